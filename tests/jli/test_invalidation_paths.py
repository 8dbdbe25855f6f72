"""Changes made outside the admin refresh every page that shows them (page cache on).

The production path: whole pages and list counts cached (PAGE_CACHE_SECONDS and
COUNT_CACHE_SECONDS on), each page read once so it is cached, then a change made the way
a service, a shell or a script makes it (related managers, services, bulk updates): every
page that shows the change must show it on the next read.
"""

import pytest
from django.test import Client

from core.models import Status
from core.services import publishable_set_status
from events.models import Event
from members.services import profile_change_approve
from publications.models import Publication
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    ParticipationFactory,
    PersonFactory,
    ProfileChangeFactory,
    PublicationFactory,
    StoryPageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_caches(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.COUNT_CACHE_SECONDS = 300


def _cached(client, *urls):
    """Read each page twice: the second read must come from the cache."""
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def _shown(client, url, text):
    response = client.get(url)
    assert response.status_code == 200, url
    return text in response.text


@pytest.fixture
def world():
    group = GroupFactory(name="Working group on supply", slug="supply")
    publication = PublicationFactory(title="Brain drain in Africa", slug="drain")
    event = EventFactory(title="Consultation in Accra", slug="accra")
    funder = FunderFactory(name="Rockefeller Foundation", slug="rf")
    person = PersonFactory(given_name="Ama", family_name="Mensah", slug="ama")
    return group, publication, event, funder, person


def test_a_publication_added_to_a_group_shows_on_every_page_that_lists_it(client, world):
    group, publication, *_ = world
    pages = ["/groups/supply/", "/publications/?group=supply", "/publications/drain/"]
    _cached(client, *pages)

    group.publications.add(publication)

    assert _shown(client, "/groups/supply/", "Brain drain in Africa")
    assert _shown(client, "/publications/?group=supply", "1 publication")
    assert _shown(client, "/publications/drain/", "Working group on supply")

    group.publications.remove(publication)

    assert not _shown(client, "/groups/supply/", "Brain drain in Africa")
    assert _shown(client, "/publications/?group=supply", "0 publications")


def test_links_made_from_either_side_show_at_once(client, world):
    _group, publication, event, funder, _person = world
    pages = ["/funders/rf/", "/events/accra/", "/publications/drain/", "/publications/"]
    _cached(client, *pages)

    funder.publications.add(publication)
    event.publications.add(publication)
    publication.topics.add(TopicFactory(name="Migration", slug="migration"))

    assert _shown(client, "/funders/rf/", "Brain drain in Africa")
    assert _shown(client, "/events/accra/", "Brain drain in Africa")
    assert _shown(client, "/publications/drain/", "Consultation in Accra")
    assert _shown(client, "/publications/drain/", "Rockefeller Foundation")
    assert _shown(client, "/publications/drain/", "Migration")

    event.funders.add(funder)
    assert _shown(client, "/funders/rf/", "Consultation in Accra")

    funder.publications.clear()
    assert not _shown(client, "/funders/rf/", "Brain drain in Africa")


def test_an_author_or_participant_added_shows_on_their_pages(client, world):
    _group, publication, event, _funder, person = world
    _cached(client, "/publications/drain/", "/publications/", "/events/accra/", "/people/ama/")

    AuthorshipFactory(publication=publication, person=person)
    ParticipationFactory(event=event, person=person)

    for url in ["/publications/drain/", "/publications/", "/events/accra/"]:
        assert _shown(client, url, "Ama Mensah"), url
    assert _shown(client, "/people/ama/", "Brain drain in Africa")
    assert _shown(client, "/people/ama/", "Consultation in Accra")


def test_a_service_that_updates_in_bulk_refreshes_pages(client, world):
    group, publication, _event, *_ = world
    group.publications.add(publication)
    pages = ["/publications/", "/groups/supply/", "/events/", "/"]
    _cached(client, *pages)

    publishable_set_status(queryset=Publication.objects.all(), status=Status.DRAFT)
    publishable_set_status(queryset=Event.objects.all(), status=Status.DRAFT)

    for url in pages:
        assert not _shown(client, url, "Brain drain in Africa"), url
    assert not _shown(client, "/events/", "Consultation in Accra")
    assert client.get("/publications/drain/").status_code == 404


def test_an_approved_profile_change_shows_on_the_persons_pages(
    client, world, editor_user, django_capture_on_commit_callbacks
):
    _group, publication, *_ = world
    person = PersonFactory(slug="kofi", given_name="Kofi", family_name="Boateng")
    AuthorshipFactory(publication=publication, person=person)
    _cached(client, "/people/kofi/", "/publications/drain/", "/people/")
    change = ProfileChangeFactory(
        person=person, submitted_by=editor_user, affiliation="University of Ghana"
    )

    with django_capture_on_commit_callbacks(execute=True):
        profile_change_approve(change=change, reviewer=editor_user)

    assert _shown(client, "/people/kofi/", "University of Ghana")
    assert _shown(client, "/people/", "University of Ghana")


def test_a_renamed_author_shows_in_the_stored_citation_and_every_page(
    client, world, django_capture_on_commit_callbacks
):
    _group, publication, _event, _funder, person = world
    with django_capture_on_commit_callbacks(execute=True):
        AuthorshipFactory(publication=publication, person=person)
    pages = ["/publications/drain/", "/publications/", "/people/", "/people/ama/"]
    _cached(client, *pages)

    with django_capture_on_commit_callbacks(execute=True):
        person.family_name = "Mensah-Bonsu"
        person.save()

    for url in pages:
        assert _shown(client, url, "Mensah-Bonsu"), url
    stored = Publication.objects.get(slug="drain").citations["styles"]["vancouver"]["text"]
    assert stored.startswith("Mensah-Bonsu A. Brain drain in Africa")
    assert _shown(client, "/publications/drain/", stored)


def test_the_header_menu_follows_story_pages_changed_outside_the_admin(client, member_user):
    """Every page's header menu comes from the cache (jli.selectors.navigation_menu), for
    anonymous readers (cached pages) and signed-in members (pages rendered every time)."""
    member = Client()
    member.force_login(member_user)
    page = StoryPageFactory(title="Our goals", slug="goals", show_in_navigation=True)
    pages = ["/publications/", "/groups/", "/about/goals/"]
    _cached(client, *pages)
    assert _shown(member, "/publications/", "Our goals")  # the menu is in the cache

    page.title = "Goals and design"
    page.save()
    StoryPageFactory(title="Lessons learned", slug="lessons", show_in_navigation=True)

    for reader in (client, member):
        for url in pages:
            assert _shown(reader, url, "Goals and design"), url
            assert _shown(reader, url, "Lessons learned"), url
            assert not _shown(reader, url, "Our goals"), url

    publishable_set_status(queryset=type(page).objects.filter(slug="lessons"), status=Status.DRAFT)

    for reader in (client, member):
        assert not _shown(reader, "/publications/", "Lessons learned")
