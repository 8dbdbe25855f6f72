import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Status
from events import calendars, selectors
from events.models import Event
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _parse(response):
    assert response["Content-Type"] == CALENDAR_TYPE
    return icalendar.Calendar.from_ical(response.content)


def _events(calendar):
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_event_calendar_keeps_title_times_with_zone_place_and_url(client):
    event = EventFactory(
        title="Consultation in Accra",
        slug="accra",
        start_date=datetime.date(2003, 6, 2),
        end_date=datetime.date(2003, 6, 3),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(17, 30),
        time_zone="Africa/Nairobi",
        venue="Conference hall",
        city="Nairobi",
        country="KE",
    )

    response = client.get(reverse("events:event_calendar", kwargs={"slug": "accra"}))

    assert response["Content-Disposition"] == 'attachment; filename="accra.ics"'
    calendar = _parse(response)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["summary"] == "Consultation in Accra"
    zone = zoneinfo.ZoneInfo("Africa/Nairobi")
    assert vevent.start == datetime.datetime(2003, 6, 2, 9, 0, tzinfo=zone)
    assert vevent.end == datetime.datetime(2003, 6, 3, 17, 30, tzinfo=zone)
    assert vevent["dtstart"].params["TZID"] == "Africa/Nairobi"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]
    assert vevent["location"] == "Conference hall, Nairobi, Kenya"
    assert vevent["url"] == "http://127.0.0.1:8000/events/accra/"
    assert vevent["uid"] == f"event-{event.pk}@127.0.0.1"
    assert vevent["sequence"] == 0
    assert vevent["last-modified"].dt == event.updated_at.replace(microsecond=0)
    assert vevent["dtstamp"].dt == event.updated_at.replace(microsecond=0)
    assert calendar["version"] == "2.0"
    assert calendar["prodid"] == "-//Joint Learning Initiative//JLI site//EN"


def test_all_day_event_stays_all_day_with_exclusive_end(client):
    EventFactory(
        title="Two days",
        slug="two-days",
        start_date=datetime.date(2003, 6, 2),
        end_date=datetime.date(2003, 6, 3),
    )
    response = client.get(reverse("events:event_calendar", kwargs={"slug": "two-days"}))
    (vevent,) = _parse(response).walk("VEVENT")
    assert vevent["dtstart"].params["VALUE"] == "DATE"
    assert vevent.start == datetime.date(2003, 6, 2)
    assert vevent.end == datetime.date(2003, 6, 4)
    assert b"DTSTART;VALUE=DATE:20030602" in response.content
    assert b"DTEND;VALUE=DATE:20030604" in response.content
    assert b"VTIMEZONE" not in response.content


def test_uid_is_stable_and_sequence_rises_when_the_event_moves(client, settings):
    settings.SITE_URL = "https://jli.example.org"
    event = EventFactory(slug="moving")
    url = reverse("events:event_calendar", kwargs={"slug": "moving"})
    (before,) = _parse(client.get(url)).walk("VEVENT")
    event.start_date = datetime.date(2003, 7, 1)
    event.save()
    (after,) = _parse(client.get(url)).walk("VEVENT")
    assert before["uid"] == after["uid"] == f"event-{event.pk}@jli.example.org"
    assert (before["sequence"], after["sequence"]) == (0, 1)
    assert after["url"] == "https://jli.example.org/events/moving/"


def _days_ago(days):
    return datetime.date.today() - datetime.timedelta(days=days)  # noqa: DTZ011


def test_calendar_lists_published_events_only(client):
    EventFactory(title="Shown", start_date=_days_ago(40))
    EventFactory(title="Online one", is_online=True, start_date=_days_ago(10))
    EventFactory(title="Draft", status=Status.DRAFT, start_date=_days_ago(5))
    EventFactory(title="Scheduled", publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    EventFactory(title="Expired", expire_at=datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC))

    response = client.get(reverse("events:calendar"))

    events = _events(_parse(response))
    assert list(events) == ["Shown", "Online one"]
    assert events["Online one"]["location"] == "Online"
    assert response["Content-Disposition"] == 'attachment; filename="jli-events.ics"'


def test_calendar_filters_by_group(client):
    supply = GroupFactory(slug="supply", name="Supply")
    EventFactory(title="Supply's", start_date=_days_ago(3)).organisers.add(supply)
    EventFactory(title="Other", start_date=_days_ago(3))
    calendar = _parse(client.get(reverse("events:calendar"), {"group": "supply"}))
    assert list(_events(calendar)) == ["Supply's"]
    assert calendar["x-wr-calname"] == "JLI events: Supply"


def test_calendar_of_unknown_or_unpublished_group_is_404(client):
    GroupFactory(slug="hidden", status=Status.DRAFT)
    assert client.get(reverse("events:calendar"), {"group": "nope"}).status_code == 404
    assert client.get(reverse("events:calendar"), {"group": "hidden"}).status_code == 404


def test_calendar_of_unpublished_event_is_404_for_everyone(persona):
    _, client = persona
    for event in (
        EventFactory(status=Status.DRAFT),
        EventFactory(publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)),
    ):
        assert (
            client.get(reverse("events:event_calendar", kwargs={"slug": event.slug})).status_code
            == 404
        )


@pytest.mark.parametrize("count", [1, 3])
def test_calendar_query_count_is_fixed(client, page_queries, count):
    group = GroupFactory(slug="supply")
    for _ in range(count):
        EventFactory(
            start_date=_days_ago(3), start_time=datetime.time(9), time_zone="Europe/Zurich"
        ).organisers.add(group, GroupFactory())
    # 1 query: the published events.
    with page_queries(1):
        response = client.get(reverse("events:calendar"))
    assert len(_parse(response).walk("VEVENT")) == count
    # 2 queries: the group; its published events.
    with page_queries(2):
        client.get(reverse("events:calendar"), {"group": "supply"})


def test_calendar_holds_upcoming_events_and_the_last_years_at_most_the_maximum(client, monkeypatch):
    monkeypatch.setattr(selectors, "CALENDAR_MAX_EVENTS", 4)
    for days in (800, 366, 300, 200, 100):
        EventFactory(title=f"{days} days ago", start_date=_days_ago(days))
    for days in (2, 60, 30):
        EventFactory(title=f"in {days} days", start_date=_days_ago(-days))

    titles = list(_events(_parse(client.get(reverse("events:calendar")))))

    # Upcoming first in the choice (all three), then the most recent past one; oldest
    # first in the file. Older than a year: never.
    assert titles == ["100 days ago", "in 2 days", "in 30 days", "in 60 days"]


def test_calendar_is_the_same_bytes_whether_memoised_or_not(client):
    EventFactory(
        title="Zurich", start_date=_days_ago(-5), start_time=datetime.time(9),
        time_zone="Europe/Zurich",
    )  # fmt: skip
    EventFactory(title="All day", start_date=_days_ago(-6))
    first = client.get(reverse("events:calendar")).content
    second = client.get(reverse("events:calendar")).content
    events = list(Event.objects.order_by("starts_at", "pk"))
    whole = icalendar.Calendar()
    for name, value in _parse_head(first):
        whole.add(name, value)
    for event in events:
        whole.add_component(calendars._component(event))
    whole.add_missing_timezones()
    assert first == second == whole.to_ical()


def _parse_head(body):
    calendar = icalendar.Calendar.from_ical(body)
    return [(name, calendar[name]) for name in ("prodid", "version", "calscale", "x-wr-calname")]


def test_calendar_shows_an_edit_at_once(client):
    event = EventFactory(title="Before", start_date=_days_ago(-5))
    client.get(reverse("events:calendar"))
    event.title = "After"
    event.save()
    assert list(_events(_parse(client.get(reverse("events:calendar"))))) == ["After"]


@pytest.mark.parametrize("count", [1, 3])
def test_event_calendar_query_count_is_fixed(client, page_queries, count):
    event = EventFactory()
    for _ in range(count):
        event.organisers.add(GroupFactory())
    # 1 query: the published event.
    with page_queries(1):
        client.get(reverse("events:event_calendar", kwargs={"slug": event.slug}))


def test_calendar_answers_304_when_unchanged_and_200_after_an_edit(client):
    event = EventFactory(title="Before", start_date=_days_ago(-5))
    first = client.get(reverse("events:calendar"))
    etag = first["ETag"]

    again = client.get(reverse("events:calendar"), headers={"if-none-match": etag})
    assert (again.status_code, again.content) == (304, b"")

    event.title = "After"
    event.save()
    changed = client.get(reverse("events:calendar"), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert list(_events(_parse(changed))) == ["After"]


def test_line_breaks_and_control_characters_in_titles_and_group_names_are_escaped(client):
    """A line break in an event's title or a group's name ended the content line (500)."""
    group = GroupFactory(slug="broken", name="Line\r\nbreak; group, name\x1b")
    event = EventFactory(
        slug="broken",
        title="Title\nwith a break\r; and\x07 a bell",
        start_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    event.organisers.add(group)

    single = client.get(f"/events/{event.slug}.ics")
    grouped = client.get("/events/calendar.ics?group=broken")

    assert (single.status_code, grouped.status_code) == (200, 200)
    assert b"SUMMARY:Title\\nwith a break\\n\\; and a bell\r\n" in single.content
    assert b"X-WR-CALNAME:Title\\nwith a break\\n\\; and a bell\r\n" in single.content
    calendar = _parse(grouped)
    assert b"X-WR-CALNAME:JLI events: Line\\nbreak\\; group\\, name\r\n" in grouped.content
    assert list(_events(calendar)) == ["Title\nwith a break\n; and a bell"]
    assert b"\x1b" not in grouped.content
    assert b"\x07" not in single.content


def test_a_zone_typed_in_a_title_adds_no_timezone(client):
    EventFactory(
        slug="zone",
        title="Meet ;TZID=Europe/Paris:",
        start_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    response = client.get("/events/zone.ics")
    assert b"BEGIN:VTIMEZONE" not in response.content


def test_calendar_group_with_a_nul_is_a_bad_request(client):
    assert client.get("/events/calendar.ics?group=%00").status_code == 400
