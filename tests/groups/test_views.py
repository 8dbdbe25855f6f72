import datetime

import pytest
from django.urls import reverse

from core.models import Status
from events.models import Event
from groups.models import Membership, Role
from groups.selectors import GROUP_PAGE_MEMBERS
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    PersonLinkFactory,
    SecretariatBaseFactory,
)

pytestmark = pytest.mark.django_db


def _names(response, key="page_obj"):
    return [person.full_name for person in response.context[key]]


# --- /groups/ ------------------------------------------------------------------


def test_group_list_shows_published_groups_by_kind(client):
    GroupFactory(name="Working group on supply", kind="working_group")
    GroupFactory(name="JLI secretariat", kind="secretariat")
    GroupFactory(name="Hidden draft group", status=Status.DRAFT)

    response = client.get(reverse("groups:group_list"))

    sections = [(kind, [g.name for g in groups]) for kind, groups in response.context["sections"]]
    assert sections == [
        ("Working group", ["Working group on supply"]),
        ("Secretariat", ["JLI secretariat"]),
    ]
    assert "Hidden draft group" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_group_list_query_count_is_fixed(client, page_queries, count):
    GroupFactory.create_batch(count)
    # 2 queries: the published groups in kind order; the header's story pages.
    with page_queries(2):
        client.get(reverse("groups:group_list"))


# --- /groups/<slug>/ -------------------------------------------------------------


def test_group_detail_lists_co_chairs_first_then_members_current_before_past(client):
    group = GroupFactory(name="Working group on Africa")
    MembershipFactory(group=group, person__given_name="Ama", person__family_name="Zulu")
    MembershipFactory(
        group=group,
        role=Role.CO_CHAIR,
        person__given_name="Bea",
        person__family_name="Young",
        person__affiliation="University of Ghana",
        person__country="GH",
    )
    MembershipFactory(
        group=group,
        person__given_name="Cy",
        person__family_name="Adams",
        start_date=datetime.date(2002, 11, 1),
        end_date=datetime.date(2003, 6, 30),
    )
    MembershipFactory(group=group, person__given_name="Pri", person__is_public=False)

    response = client.get(group.get_absolute_url())

    assert [m.person.full_name for m in response.context["leaders"]] == ["Bea Young"]
    assert [m.person.full_name for m in response.context["members"]] == ["Ama Zulu"]
    assert [m.person.full_name for m in response.context["former"]] == ["Cy Adams"]
    assert response.text.index("Bea Young") < response.text.index("Ama Zulu")
    assert "University of Ghana, Ghana" in response.text
    assert "Former members" in response.text
    assert "Pri" not in response.text


def test_group_detail_of_unpublished_group_is_404_for_public_and_preview_for_staff(
    client, editor_user
):
    group = GroupFactory(status=Status.DRAFT)
    assert client.get(group.get_absolute_url()).status_code == 404

    client.force_login(editor_user)
    response = client.get(group.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this group is not visible to the public." in response.text


def test_scheduled_group_is_invisible_until_it_goes_live(client):
    group = GroupFactory(
        publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC), status=Status.PUBLISHED
    )
    assert client.get(group.get_absolute_url()).status_code == 404
    assert group.name not in client.get(reverse("groups:group_list")).text


def _dated(group, role, given, start, end):
    return MembershipFactory(
        group=group,
        role=role,
        person__given_name=given,
        person__family_name="Sample",
        start_date=start,
        end_date=end,
    )


def test_concluded_group_shows_its_roles_during_the_initiative_leaders_first(client):
    """Every role of 2002-2004 has ended: the co-chairs and members are the group's
    "during the initiative"; "former" only for those who left before its work ended."""
    group = GroupFactory(slug="africa")
    start, end = datetime.date(2002, 11, 1), datetime.date(2004, 12, 31)
    _dated(group, Role.MEMBER, "Ama", start, end)
    _dated(group, Role.CO_CHAIR, "Bea", start, end)
    _dated(group, Role.MEMBER, "Cy", start, datetime.date(2003, 6, 30))

    response = client.get(group.get_absolute_url())
    text = response.text

    assert response.context["group"].concluded_on == end
    assert [m.person.given_name for m in response.context["leaders"]] == ["Bea"]
    assert [m.person.given_name for m in response.context["members"]] == ["Ama"]
    assert [m.person.given_name for m in response.context["former"]] == ["Cy"]
    assert '<h2 id="members-title">Members during the initiative</h2>' in text
    assert "The group's work ended in December 2004" in text
    assert '<h2 id="past-title">Left before the group\'s work ended</h2>' in text
    assert "No members are listed yet." not in text
    assert "Former members" not in text
    assert text.index("Bea Sample") < text.index("Ama Sample") < text.index("Cy Sample")
    assert "Nov 2002 to Dec 2004" in text


def test_group_with_an_end_date_judges_roles_on_that_day(client):
    group = GroupFactory(active_until=datetime.date(2004, 6, 30))
    # Still open in the records, or ended after the group: both were there at its end.
    MembershipFactory(group=group, person__given_name="Open")
    _dated(group, Role.MEMBER, "Late", None, datetime.date(2005, 1, 1))
    _dated(group, Role.MEMBER, "Early", None, datetime.date(2003, 1, 1))

    response = client.get(group.get_absolute_url())

    assert response.context["group"].concluded_on == datetime.date(2004, 6, 30)
    assert sorted(m.person.given_name for m in response.context["members"]) == ["Late", "Open"]
    assert [m.person.given_name for m in response.context["former"]] == ["Early"]


def test_group_still_at_work_keeps_current_and_former_members(client):
    group = GroupFactory()
    MembershipFactory(group=group, person__given_name="Now")
    _dated(group, Role.MEMBER, "Gone", None, datetime.date(2003, 1, 1))

    text = client.get(group.get_absolute_url()).text

    assert '<h2 id="members-title">Members</h2>' in text
    assert '<h2 id="past-title">Former members</h2>' in text


@pytest.mark.parametrize("count", [1, 3])
def test_group_detail_query_count_is_fixed(client, page_queries, count):
    group = GroupFactory()
    base = SecretariatBaseFactory()
    for _ in range(count):
        MembershipFactory(group=group, base=base)
        EventFactory().organisers.add(group)
        AuthorshipFactory().publication.groups.add(group)
    for _ in range(count):
        MembershipFactory(group=group, role=Role.CO_CHAIR)
        MembershipFactory(
            group=group, start_date=datetime.date(2002, 1, 1), end_date=datetime.date(2003, 1, 1)
        )
    # 5 queries: the group (with the last end and the open count of its roles, to tell
    # whether its work has ended); its current leaders, its first current members (with their
    # total) and its first former roles (with their total), each with person and base, in
    # one UNION ALL; its newest published publications with their authorships (with
    # people) and their published groups (one UNION ALL); the published events it
    # organised; the header's story pages.
    with page_queries(5):
        client.get(group.get_absolute_url())


def test_group_detail_shows_leaders_in_full_and_caps_members_with_a_directory_link(client):
    group = GroupFactory(slug="big")
    for n in range(3):
        MembershipFactory(group=group, role=Role.CO_CHAIR, person__family_name=f"Chair{n}")
    for n in range(GROUP_PAGE_MEMBERS + 2):
        MembershipFactory(group=group, person__family_name=f"Member{n:03}")
    for n in range(GROUP_PAGE_MEMBERS + 1):
        MembershipFactory(
            group=group,
            person__family_name=f"Former{n:03}",
            start_date=datetime.date(2002, 1, 1),
            end_date=datetime.date(2003, 1, 1),
        )

    response = client.get(group.get_absolute_url())

    assert len(response.context["leaders"]) == 3
    members = [m.person.family_name for m in response.context["members"]]
    assert members == [f"Member{n:03}" for n in range(GROUP_PAGE_MEMBERS)]
    assert len(response.context["former"]) == GROUP_PAGE_MEMBERS
    assert response.context["members_total"] == GROUP_PAGE_MEMBERS + 2
    assert response.context["former_total"] == GROUP_PAGE_MEMBERS + 1
    assert "Member049" not in response.text
    assert (
        '<a href="/people/?group=big&amp;role=member">'
        f"See all {GROUP_PAGE_MEMBERS + 2} members in the people directory</a>"
    ) in response.text
    assert (
        f'<a href="/people/?group=big">{GROUP_PAGE_MEMBERS + 1} former roles: everyone who '
        "has been part of the group is in the people directory</a>"
    ) in response.text


def test_group_detail_keeps_its_roles_until_content_changes(
    client, settings, django_assert_num_queries
):
    # The roles are kept with the list counts: a second view reads no roles, and a
    # change made outside the admin (a service, the shell) shows on the next view.
    settings.COUNT_CACHE_SECONDS = 300
    group = GroupFactory()
    MembershipFactory(group=group, person__family_name="Banda")

    def members():
        response = client.get(group.get_absolute_url())
        return [line.person.family_name for line in response.context["members"]]

    assert members() == ["Banda"]
    # 3 queries: the group, its publications (with their authors and groups) and its events;
    # not its roles (the header's story pages are kept too).
    with django_assert_num_queries(3):
        assert members() == ["Banda"]

    joined = MembershipFactory(group=group, person__family_name="Abbot")
    assert members() == ["Abbot", "Banda"]
    joined.person.is_public = False
    joined.person.save()
    assert members() == ["Banda"]
    Membership.objects.filter(pk=joined.pk).update(end_date=datetime.date(2003, 1, 1))
    joined.person.is_public = True
    joined.person.save()
    response = client.get(group.get_absolute_url())
    assert [line.person.family_name for line in response.context["former"]] == ["Abbot"]


def test_group_detail_without_more_members_has_no_directory_link(client):
    group = GroupFactory(slug="small")
    MembershipFactory(group=group)
    response = client.get(group.get_absolute_url())
    assert response.context["members_total"] == 1
    assert "in the people directory" not in response.text


# --- /people/ --------------------------------------------------------------------


def test_directory_lists_only_public_people_alphabetically(client):
    PersonFactory(given_name="Zoe", family_name="Banda")
    PersonFactory(given_name="Adam", family_name="Cole")
    PersonFactory(given_name="Hidden", family_name="Abbot", is_public=False)

    response = client.get(reverse("groups:person_list"))

    assert _names(response) == ["Zoe Banda", "Adam Cole"]
    assert "Hidden" not in response.text
    assert "2 people" in response.text


def test_directory_filters_by_group_role_country_and_name(client):
    supply = GroupFactory(slug="supply")
    demand = GroupFactory(slug="demand")
    MembershipFactory(
        group=supply, role=Role.CO_CHAIR, person__given_name="Ana", person__country="BR"
    )
    MembershipFactory(group=supply, person__given_name="Ben", person__country="KE")
    MembershipFactory(
        group=demand, role=Role.CO_CHAIR, person__given_name="Cat", person__country="KE"
    )
    url = reverse("groups:person_list")

    assert [p.given_name for p in client.get(url, {"group": "supply"}).context["page_obj"]] == [
        "Ana",
        "Ben",
    ]
    response = client.get(url, {"group": "supply", "role": "co_chair"})
    assert [p.given_name for p in response.context["page_obj"]] == ["Ana"]
    response = client.get(url, {"country": "KE"})
    assert sorted(p.given_name for p in response.context["page_obj"]) == ["Ben", "Cat"]
    response = client.get(url, {"q": "cat"})
    assert [p.given_name for p in response.context["page_obj"]] == ["Cat"]


def test_directory_with_a_bad_filter_says_so_and_still_lists_people(client):
    PersonFactory(given_name="Ana")
    response = client.get(reverse("groups:person_list"), {"group": "no-such-group"})

    assert response.status_code == 200
    assert "Please correct the problems below." in response.text
    assert "Select a valid choice" in response.text
    assert [p.given_name for p in response.context["page_obj"]] == ["Ana"]


def test_directory_is_paginated(client):
    PersonFactory.create_batch(25)
    response = client.get(reverse("groups:person_list"))
    assert len(response.context["page_obj"]) == 24
    assert 'aria-current="page" aria-label="Page 1">1</a>' in response.text
    assert 'rel="next">Next</a>' in response.text
    second = client.get(reverse("groups:person_list"), {"page": 2})
    assert len(second.context["page_obj"]) == 1


@pytest.mark.parametrize("count", [1, 3])
def test_directory_query_count_is_fixed(client, page_queries, count):
    for _ in range(count):
        MembershipFactory()
    # 6 queries: countries for the filter; groups for the filter; the count; the page
    # of people; their roles in published groups with group and base; the header's
    # story pages.
    with page_queries(6):
        client.get(reverse("groups:person_list"))


# --- /people/<slug>/ -------------------------------------------------------------


def test_person_page_shows_every_published_role(client):
    person = PersonFactory(given_name="Ana", family_name="Silva", position="Director")
    MembershipFactory(person=person, group__name="Working group on supply", role=Role.CO_CHAIR)
    MembershipFactory(person=person, group__name="Secret draft group", group__status=Status.DRAFT)

    response = client.get(person.get_absolute_url())

    assert [
        f"{m.get_role_display()}, {m.group.name}" for m in response.context["person"].public_roles
    ] == ["Co-chair, Working group on supply"]
    assert "Secret draft group" not in response.text


def test_person_page_shows_the_persons_links(client):
    person = PersonFactory()
    PersonLinkFactory(person=person, label="Staff page", url="https://example.org/staff")
    response = client.get(person.get_absolute_url())
    assert (
        '<dt>Staff page</dt><dd><a href="https://example.org/staff" rel="nofollow noopener">'
        in response.text
    )


def test_private_person_is_404(client):
    person = PersonFactory(is_public=False)
    assert client.get(person.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("visibility", "anonymous_sees", "member_sees"),
    [("nobody", False, False), ("members", False, True), ("everyone", True, True)],
)
def test_person_email_follows_the_persons_choice(
    client, member_user, visibility, anonymous_sees, member_sees
):
    person = PersonFactory(email="ana@example.org", email_visibility=visibility)
    assert ("ana@example.org" in client.get(person.get_absolute_url()).text) is anonymous_sees
    client.force_login(member_user)
    assert ("ana@example.org" in client.get(person.get_absolute_url()).text) is member_sees


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(("links", "queries"), [(True, 6), (False, 5)])
def test_person_page_query_count_is_fixed(client, page_queries, count, links, queries):
    person = PersonFactory()
    for _ in range(count):
        MembershipFactory(person=person)
        ParticipationFactory(person=person)
        AuthorshipFactory(person=person).publication.groups.add(GroupFactory())
        if links:
            PersonLinkFactory(person=person)
    # 6 queries: the person (and whether they have links); their roles in published
    # groups with group and base; their links (skipped when the person's row says they
    # have none: 5); their newest published publications with their authorships (with
    # people) and their published groups (one UNION ALL); their participations in
    # published events with the event; the header's story pages.
    with page_queries(queries):
        response = client.get(person.get_absolute_url())
    assert len(response.context["person"].shown_links) == (count if links else 0)


def test_person_page_without_published_work_skips_those_sections_queries(client, page_queries):
    person = PersonFactory()
    MembershipFactory(person=person)
    AuthorshipFactory(
        person=person, publication__title="Draft paper", publication__status=Status.DRAFT
    )
    ParticipationFactory(person=person, event__title="Hidden meeting", event__status=Status.DRAFT)
    # 3 queries: the person (whose row says they have no links, no published publication
    # and no published event), their roles, the header's story pages.
    with page_queries(3):
        response = client.get(person.get_absolute_url())
    assert "Draft paper" not in response.text
    assert "Hidden meeting" not in response.text
    assert 'id="publications-title"' not in response.text
    assert 'id="person-events-title"' not in response.text


def test_person_page_shows_published_work_beside_unpublished(client):
    person = PersonFactory()
    AuthorshipFactory(person=person, publication__title="Published paper")
    AuthorshipFactory(
        person=person, publication__title="Draft paper", publication__status=Status.DRAFT
    )
    ParticipationFactory(person=person, event__title="Open meeting")
    ParticipationFactory(person=person, event__title="Hidden meeting", event__status=Status.DRAFT)
    text = client.get(person.get_absolute_url()).text
    assert "Published paper" in text
    assert "Open meeting" in text
    assert "Draft paper" not in text
    assert "Hidden meeting" not in text


def test_group_detail_shows_ten_events_upcoming_first_then_links_to_the_list(client):
    group = GroupFactory(slug="big")
    today = datetime.date.today()  # noqa: DTZ011
    for n in range(11):
        EventFactory(title=f"Past {n:02}", start_date=today - datetime.timedelta(days=10 + n))
    EventFactory(title="Soon", start_date=today + datetime.timedelta(days=3))
    for event in Event.objects.all():
        event.organisers.add(group)

    response = client.get(group.get_absolute_url())

    shown = [e.title for e in response.context["events"]][:10]
    assert shown == ["Soon"] + [f"Past {n:02}" for n in range(9)]
    assert "Past 09" not in response.text
    assert '<a href="/events/?group=big">All the events this group organised</a>' in response.text
