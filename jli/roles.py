"""The secretariat editors' permission group, kept in step with the content models."""

from django.utils.translation import gettext_noop

EDITORS_GROUP = gettext_noop("Secretariat editors")
# Apps whose every model the secretariat curates.
CONTENT_APPS = ["jli", "groups", "publications", "events", "funders"]


def ensure_editors_group(**kwargs):
    """Give the editors' group every permission on the content models (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=CONTENT_APPS))
