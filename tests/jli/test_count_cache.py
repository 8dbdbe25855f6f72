"""The public lists' counts: cached, and fresh at once after any change."""

import datetime

import pytest
from django.utils import timezone

from jli import cache as page_cache
from jli.cache import cached_count, filters_key
from jli.models import Status
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
    monkeypatch.setattr("jli.models.timezone.now", lambda: later)
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
