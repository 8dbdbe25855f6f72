"""The secretariat editors' permission group, kept in step with the curated models."""

from django.utils.translation import gettext_noop

EDITORS_GROUP = gettext_noop("Secretariat editors")


def ensure_editors_group(**kwargs):
    """Give the editors' group every permission on the curated models (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    from core.apps import curated_app_configs

    labels = [config.label for config in curated_app_configs()]
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=labels))


def can_preview(user, model):
    """Staff who may view `model`'s records in the admin may also see hidden ones (drafts,
    private profiles, hidden funders) and their files on the site."""
    opts = model._meta
    return user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
