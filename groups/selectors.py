"""Reads of people and groups for the public pages: each owns its query plan."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from groups.models import Group, GroupKind, Membership, Person


def home_groups():
    """The published working groups, in the secretariat's order."""
    return list(Group.objects.published().filter(kind=GroupKind.WORKING_GROUP))


def groups_by_kind():
    """Published groups, grouped by kind: a list of (kind label, [groups])."""
    sections = {}
    for group in Group.objects.published().by_kind_order():
        sections.setdefault(group.get_kind_display(), []).append(group)
    return list(sections.items())


def group_detail(*, slug, preview=False):
    """A group with the roles of its public members, co-chairs first.

    Staff may preview an unpublished group (`preview=True`).
    """
    groups = Group.objects.all() if preview else Group.objects.published()
    group = get_object_or_404(groups, slug=slug)
    memberships = list(
        Membership.objects.filter(group=group, person__is_public=True)
        .select_related("person", "base")
        .in_role_order()
    )
    return group, memberships


def published_memberships():
    """Roles in published groups, with their group and base, for a person's pages."""
    return (
        Membership.objects.filter(group__in=Group.objects.published())
        .select_related("group", "base")
        .order_by("-end_date", "group__display_order", "group__name")
    )


def person_directory(*, name="", group=None, role="", country=""):
    """Public people matching the directory's filters, with their published roles."""
    people = Person.objects.public()
    for word in name.split():
        people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    if group is not None or role:
        # One membership must match both filters; a subquery keeps rows distinct.
        people = people.filter(
            pk__in=Membership.objects.filter(
                **({"group": group} if group is not None else {}),
                **({"role": role} if role else {}),
            ).values("person_id")
        )
    if country:
        people = people.filter(country=country)
    return people.prefetch_related(
        Prefetch("memberships", queryset=published_memberships(), to_attr="public_roles")
    )


def directory_countries():
    """Countries of public people, for the directory's country filter."""
    codes = (
        Person.objects.public()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return set(codes)


def person_detail(*, slug):
    """A public person with every role they hold in a published group, and their links."""
    person = get_object_or_404(
        Person.objects.public().prefetch_related(
            Prefetch("memberships", queryset=published_memberships(), to_attr="public_roles"),
            "links",
        ),
        slug=slug,
    )
    return person


# --- Members' own profiles -------------------------------------------------------------


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
