import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Status
from events import selectors
from events.models import Event
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def mixed_events():
    """5 upcoming, 7 past (two on the same day: the title breaks the tie), 1 draft."""
    for n, days in enumerate([3, 40, 1, 400, 90]):
        EventFactory(title=f"Up {n}", start_date=NOW.date() + datetime.timedelta(days=days))
    for n, days in enumerate([2, 30, 30, 365, 800, 5, 3000]):
        EventFactory(title=f"Past {n}", start_date=NOW.date() - datetime.timedelta(days=days))
    EventFactory(title="Draft", start_date=NOW.date(), status=Status.DRAFT)


def test_upcoming_first_pages_equal_the_single_ordered_query(mixed_events):
    expected = [e.title for e in Event.objects.published(at=NOW).upcoming_first(at=NOW)]
    events = selectors.event_list(at=NOW)

    assert events.count() == len(expected) == 12
    assert expected[:5] == ["Up 2", "Up 0", "Up 1", "Up 4", "Up 3"]
    for start in range(14):
        for stop in range(start, 15):
            assert [e.title for e in events[start:stop]] == expected[start:stop], (start, stop)


def test_a_groups_upcoming_first_pages_equal_the_single_ordered_query(mixed_events):
    group = GroupFactory()
    for event in Event.objects.filter(title__in=["Up 0", "Up 4", "Past 1", "Past 2", "Draft"]):
        event.organisers.add(group)
    expected = [
        e.title
        for e in Event.objects.published(at=NOW).filter(organisers=group).upcoming_first(at=NOW)
    ]
    events = selectors.event_list(group=group, at=NOW)

    assert expected == ["Up 0", "Up 4", "Past 1", "Past 2"]
    assert events.count() == 4
    for start in range(5):
        for stop in range(start, 6):
            assert [e.title for e in events[start:stop]] == expected[start:stop], (start, stop)


def test_a_page_spanning_both_sections_reads_their_ids_by_one_in(mixed_events):
    """Where a compound statement's parts may be sliced (PostgreSQL), the page's rows are
    the events whose id is in one UNION ALL of the sections' ids (looked up by primary
    key), not in one section OR the other (which tests every event of the table)."""
    with CaptureQueriesContext(connection) as queries:
        assert len(selectors.event_list(at=NOW)[4:6]) == 2
    page = next(q["sql"] for q in queries if "is_upcoming" in q["sql"])
    if connection.features.supports_slicing_ordering_in_compound:
        assert "UNION ALL" in page
        assert ") OR " not in page
    else:
        assert "UNION" not in page


def test_upcoming_first_marks_the_sections(mixed_events):
    page = selectors.event_list(at=NOW)[3:7]
    assert [(e.title, e.is_upcoming) for e in page] == [
        ("Up 4", True),
        ("Up 3", True),
        ("Past 0", False),
        ("Past 5", False),
    ]


def test_upcoming_first_page_is_one_query_and_the_count_another(
    mixed_events, django_assert_num_queries
):
    events = selectors.event_list(at=NOW)
    # The sections' counts (one aggregate); then a page spanning both sections: its
    # rows (one query with two LIMIT subqueries) and their published organisers.
    with django_assert_num_queries(3):
        assert events.count() == 12
        assert len(events[4:6]) == 2


def test_home_events_are_upcoming_only_when_any(mixed_events, django_assert_num_queries):
    with django_assert_num_queries(1):
        events, upcoming = selectors.home_events(at=NOW)
    assert [e.title for e in events] == ["Up 2", "Up 0", "Up 1"]
    assert upcoming is True


def test_home_events_fall_back_to_the_latest_past_ones():
    for n, days in enumerate([10, 2, 400, 30]):
        EventFactory(title=f"Past {n}", start_date=NOW.date() - datetime.timedelta(days=days))
    events, upcoming = selectors.home_events(at=NOW)
    assert [e.title for e in events] == ["Past 1", "Past 0", "Past 3"]
    assert upcoming is False
