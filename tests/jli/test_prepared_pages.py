"""core.prepared_pages: every page of a list, read by one compiled query with its bounds
as parameters, has the rows the plain queryset's slice has (SQLite and PostgreSQL)."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.prepared_pages import PreparedPages
from events.selectors import UpcomingFirst, event_list, load_organisers
from publications.models import Publication
from publications.selectors import FEED_ITEMS, feed_publications, load_topics
from tests.factories import EventFactory, GroupFactory, PublicationFactory, TopicFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _list(kind, at):
    return Publication.objects.published(at=at).without_text().filter(kind=kind).newest_first()


@pytest.fixture
def publications():
    return [
        PublicationFactory(kind="report", published_on=datetime.date(2000 + n, 1, 1))
        for n in range(7)
    ] + [PublicationFactory(kind="brief")]


def test_every_page_is_the_plain_slice_with_one_compiled_sql(publications):
    pages = PreparedPages(_list)
    for start, stop in ((0, 3), (3, 6), (6, 9), (2, 5), (8, 12)):
        with CaptureQueriesContext(connection) as queries:
            rows = pages.page(start, stop, kind="report", at=NOW)
        assert rows == list(_list("report", NOW)[start:stop])
        assert len(queries) == 1
    assert len(pages._plans) == 1


def test_an_empty_slice_asks_nothing(publications):
    pages = PreparedPages(_list)
    with CaptureQueriesContext(connection) as queries:
        assert pages.page(0, 0, kind="report", at=NOW) == []
    assert len(queries) == 0


def test_a_paginator_reads_its_pages_and_count(publications):
    rows = PreparedPages(_list).pages(kind="report", at=NOW)
    paginator = Paginator(rows, 3)
    assert paginator.count == 7
    assert [list(paginator.page(n)) for n in (1, 2, 3)] == [
        list(_list("report", NOW)[start : start + 3]) for start in (0, 3, 6)
    ]


def test_an_unordered_or_sliced_list_is_refused(publications):
    with pytest.raises(ValueError, match="unordered"):
        PreparedPages(lambda at: Publication.objects.published(at=at).order_by()).page(0, 2, at=NOW)
    with pytest.raises(ValueError, match="unsliced"):
        PreparedPages(lambda at: _list("report", at)[:5]).page(0, 2, at=NOW)


def test_event_pages_are_upcoming_first_across_sections_with_their_organisers():
    group = GroupFactory()
    today = timezone.localdate()
    for days in (-40, -30, -20, -10, 5, 15, 25):
        EventFactory(start_date=today + datetime.timedelta(days=days)).organisers.add(group)
    prepared = event_list(at=NOW)
    plain = UpcomingFirst(prepared.events, at=NOW)
    for start, stop in ((0, 2), (2, 4), (2, 5), (4, 7)):
        rows, expected = prepared[start:stop], plain[start:stop]
        assert rows == expected
        assert [event.is_upcoming for event in rows] == [event.is_upcoming for event in expected]
        assert all(event.public_organisers == [group] for event in rows)
    assert load_organisers([]) == []


def test_the_feed_is_the_newest_with_their_topics():
    topic, other = TopicFactory(name="B topic"), TopicFactory(name="A topic")
    for n in range(FEED_ITEMS + 2):
        publication = PublicationFactory(published_on=datetime.date(1990 + n % 30, 1, 1))
        if n % 2:
            publication.topics.add(topic, other)
    feed = feed_publications(at=NOW)
    expected = list(Publication.objects.published(at=NOW).newest_first()[:FEED_ITEMS])
    assert [(entry.pk, entry.slug, entry.title_en) for entry in feed] == [
        (p.pk, p.slug, p.title_en) for p in expected
    ]
    names = [[topic.name for topic in entry.listed_topics] for entry in feed]
    assert names == [[t.name for t in p.topics.all()] for p in expected]
    assert ["A topic", "B topic"] in names
    assert load_topics([]) == []
