"""The public lists' counts: cached, and fresh at once after any change."""

import datetime

import pytest
from django.utils import timezone

from core import cache as page_cache
from core.cache import cached_count, filters_key
from core.models import Status
from publications.models import Publication
from tests.factories import GroupFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def count_cache(settings):
    settings.COUNT_CACHE_SECONDS = 300


def _count():
    return cached_count(Publication.objects.published(), key="publications")


@pytest.mark.usefixtures("count_cache")
def test_count_is_read_from_the_cache_until_content_changes(django_assert_num_queries):
    PublicationFactory()
    assert _count() == 1  # fills the cache (and the schedule)
    with django_assert_num_queries(0):
        assert _count() == 1
    PublicationFactory()
    assert _count() == 2
    Publication.objects.first().delete()
    assert _count() == 1
    publication = Publication.objects.get()
    publication.status = Status.DRAFT
    publication.save()
    assert _count() == 0


@pytest.mark.usefixtures("count_cache")
def test_count_changes_when_a_scheduled_publication_goes_live(monkeypatch):
    now = timezone.now()
    PublicationFactory()
    PublicationFactory(publish_at=now + datetime.timedelta(minutes=5))
    assert _count() == 1
    later = now + datetime.timedelta(minutes=6)
    monkeypatch.setattr(page_cache.timezone, "now", lambda: later)
    monkeypatch.setattr("core.models.timezone.now", lambda: later)
    assert _count() == 2


def test_count_is_not_cached_when_turned_off(settings, django_assert_num_queries):
    settings.COUNT_CACHE_SECONDS = 0
    PublicationFactory()
    _count()
    with django_assert_num_queries(1):
        assert _count() == 1


@pytest.mark.usefixtures("count_cache")
def test_filtered_lists_have_their_own_counts(client):
    group = GroupFactory(slug="supply")
    PublicationFactory().groups.add(group)
    PublicationFactory()
    assert filters_key("publications", {"group": group}) != filters_key("publications", {})
    assert filters_key("publications", {"kind": "a", "year": 2003}) == filters_key(
        "publications", {"year": 2003, "kind": "a"}
    )
    assert client.get("/publications/?group=supply").context["page_obj"].paginator.count == 1
    assert client.get("/publications/").context["page_obj"].paginator.count == 2
    assert client.get("/people/").context["page_obj"].paginator.count == 0


@pytest.mark.usefixtures("count_cache")
def test_filter_menus_are_cached_and_fresh_after_a_change(client):
    from events.selectors import filter_facets
    from groups.selectors import directory_countries
    from tests.factories import EventFactory, PersonFactory

    PersonFactory(country="GH")
    EventFactory(country="KE", start_date=datetime.date(2004, 5, 1))
    assert directory_countries() == {"GH"}
    assert filter_facets() == ({"KE"}, [2004])

    PersonFactory(country="BR")
    EventFactory(country="CH", start_date=datetime.date(2010, 5, 1))

    assert directory_countries() == {"GH", "BR"}
    assert filter_facets() == ({"KE", "CH"}, [2010, 2004])


@pytest.mark.usefixtures("count_cache")
def test_lists_read_their_count_and_menus_from_the_cache(client, django_assert_num_queries):
    from tests.factories import PersonFactory

    PersonFactory(country="GH")
    client.get("/people/")
    # 2 queries, not 6: the page of people; their published roles (the count, the
    # countries, the groups of the filter menu and the header's story pages come from
    # the cache).
    with django_assert_num_queries(2):
        client.get("/people/")


@pytest.mark.usefixtures("count_cache")
def test_a_cached_group_menu_shows_a_new_group_at_once(client):
    GroupFactory(name="First group")
    assert "First group" in client.get("/publications/").content.decode()
    GroupFactory(name="Second group")
    page = client.get("/publications/?group=").content.decode()
    assert "First group" in page
    assert "Second group" in page


@pytest.mark.usefixtures("count_cache")
def test_menu_counts_are_cached_and_fresh_after_a_change(django_assert_num_queries):
    from events.selectors import kind_counts
    from publications.selectors import list_counts
    from tests.factories import EventFactory

    PublicationFactory(kind="report", published_on=datetime.date(2003, 5, 1))
    EventFactory(kind="workshop")
    assert list_counts({}).kinds == {"report": 1}
    assert kind_counts() == {"workshop": 1}
    with django_assert_num_queries(0):
        # Another kind or year reuses the same rows (grouped by kind and year).
        counts = list_counts({"kind": "working_paper", "year": 2003})
        assert (counts.total, counts.kinds, counts.years) == (0, {"report": 1}, {})
        assert kind_counts() == {"workshop": 1}

    PublicationFactory(kind="working_paper", published_on=datetime.date(2003, 1, 1))
    EventFactory(kind="workshop")

    counts = list_counts({"kind": "working_paper", "year": 2003})
    assert (counts.total, counts.kinds, counts.years) == (
        1,
        {"report": 1, "working_paper": 1},
        {2003: 1},
    )
    assert kind_counts() == {"workshop": 2}
