"""Reads for members' own pages: each owns its query plan."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import may_preview
from groups.models import Person
from groups.selectors import published_memberships
from members.models import ProfileChange


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


def profile_change_photo(*, pk, user):
    """A profile change with a new photo: seen by the member whose profile it is and by
    staff who may view profile changes (the review), 404 to anyone else."""
    changes = ProfileChange.objects.exclude(photo="")
    if not may_preview(user, ProfileChange):
        if not user.is_authenticated:
            raise Http404
        changes = changes.filter(person__user=user)
    return get_object_or_404(changes, pk=pk)
