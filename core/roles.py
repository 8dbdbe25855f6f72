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


def may_preview(user, model):
    """Whether `user` may see unpublished records of `model` on the public site.

    Staff with the model's view permission (the admin's own rule for reading a record):
    `is_staff` alone is not enough, since a staff account with no permissions reads
    nothing in the admin and must read no draft on the site either.
    """
    if not (user.is_active and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
