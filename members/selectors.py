"""Reads for members' own pages: each owns its query plan."""

from django.db.models import Prefetch

from groups.models import Person
from groups.selectors import published_memberships


def profile_for_user(*, user):
    """The person a signed-in user is, with their roles in published groups and links.

    None when no person is linked to the account.
    """
    return (
        Person.objects.filter(user=user)
        .prefetch_related(
            Prefetch("memberships", queryset=published_memberships(), to_attr="public_roles"),
            "links",
        )
        .first()
    )


def latest_profile_change(*, person):
    """The person's most recent profile change (pending or reviewed), or None."""
    return person.profile_changes.order_by("-submitted_at").first()
