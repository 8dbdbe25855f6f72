import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


def _split(at):
    return (
        [e.title for e in Event.objects.upcoming(at=at)],
        [e.title for e in Event.objects.past(at=at)],
    )


def test_all_day_event_without_zone_is_upcoming_until_the_end_of_its_day_in_utc():
    EventFactory(title="Geneva day", start_date=datetime.date(2024, 3, 10))

    assert _split(_at(2024, 3, 10, 23, 59, 59)) == (["Geneva day"], [])
    assert _split(_at(2024, 3, 11, 0, 0, 0)) == ([], ["Geneva day"])


def test_event_ending_today_is_still_upcoming_today_in_its_own_zone():
    # Auckland is UTC+13 on 10 March 2024: its day ends at 10:59:59 UTC.
    EventFactory(
        title="Auckland", start_date=datetime.date(2024, 3, 10), time_zone="Pacific/Auckland"
    )
    # Los Angeles switches to daylight time that day (UTC-7): its day ends 06:59:59 UTC
    # on the 11th.
    EventFactory(
        title="Los Angeles",
        start_date=datetime.date(2024, 3, 8),
        end_date=datetime.date(2024, 3, 10),
        time_zone="America/Los_Angeles",
    )

    assert _split(_at(2024, 3, 10, 10, 59)) == (["Los Angeles", "Auckland"], [])
    # Midnight has passed in Auckland, not in Los Angeles.
    assert _split(_at(2024, 3, 10, 11, 0)) == (["Los Angeles"], ["Auckland"])
    assert _split(_at(2024, 3, 10, 23, 59, tz=zoneinfo.ZoneInfo("America/Los_Angeles"))) == (
        ["Los Angeles"],
        ["Auckland"],
    )
    assert _split(_at(2024, 3, 11, 0, 0, tz=zoneinfo.ZoneInfo("America/Los_Angeles"))) == (
        [],
        ["Auckland", "Los Angeles"],  # Auckland started later (9 March 11:00 UTC).
    )


def test_timed_event_is_past_once_its_end_time_passes_in_its_zone():
    EventFactory(
        title="Nairobi workshop",
        start_date=datetime.date(2003, 6, 2),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(17, 0),
        time_zone="Africa/Nairobi",  # UTC+3
    )
    assert _split(_at(2003, 6, 2, 13, 59)) == (["Nairobi workshop"], [])
    assert _split(_at(2003, 6, 2, 14, 1)) == ([], ["Nairobi workshop"])


def test_timed_event_without_end_time_lasts_to_the_end_of_its_day():
    event = EventFactory(
        start_date=datetime.date(2003, 6, 2),
        start_time=datetime.time(9, 0),
        time_zone="Asia/Bangkok",
    )
    assert event.starts_at == _at(2003, 6, 2, 2, 0)
    assert event.ends_at == _at(2003, 6, 2, 16, 59, 59, 999999)


def test_bounds_are_stored_in_utc_from_the_events_zone():
    event = EventFactory(
        start_date=datetime.date(2003, 6, 2),
        end_date=datetime.date(2003, 6, 4),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(12, 30),
        time_zone="Europe/Zurich",  # UTC+2 in summer
    )
    event.refresh_from_db()
    assert event.starts_at == _at(2003, 6, 2, 7, 0)
    assert event.ends_at == _at(2003, 6, 4, 10, 30)


def test_upcoming_first_orders_soonest_upcoming_then_latest_past():
    for title, day in [("old", 1), ("older", 0), ("soon", 20), ("later", 25), ("today", 10)]:
        EventFactory(title=title, start_date=datetime.date(2024, 3, 1 + day))
    events = Event.objects.upcoming_first(at=_at(2024, 3, 11, 12))
    assert [(e.title, e.is_upcoming) for e in events] == [
        ("today", True),
        ("soon", True),
        ("later", True),
        ("old", False),
        ("older", False),
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start_time": datetime.time(9)}, "time_zone", "An event with a time needs a time zone."),
        (
            {"end_date": datetime.date(2003, 6, 1)},
            "end_date",
            "An event cannot end before it starts.",
        ),
        (
            {"start_time": datetime.time(14), "end_time": datetime.time(9), "time_zone": "UTC"},
            "end_time",
            "An event cannot end before it starts.",
        ),
        (
            {"end_time": datetime.time(9), "time_zone": "UTC"},
            "start_time",
            "An end time needs a start time.",
        ),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a valid choice."),
    ],
)
def test_clean_refuses_bad_times_on_the_field(fields, field, message):
    event = EventFactory.build(start_date=datetime.date(2003, 6, 2), **fields)
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert list(caught.value.message_dict) == [field]
    assert message in caught.value.message_dict[field][0]


def test_end_time_before_start_time_is_fine_on_a_later_day():
    event = EventFactory.build(
        start_date=datetime.date(2003, 6, 2),
        end_date=datetime.date(2003, 6, 3),
        start_time=datetime.time(20),
        end_time=datetime.time(2),
        time_zone="UTC",
    )
    event.full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"start_time": datetime.time(9)},
        {"end_date": datetime.date(2003, 6, 1)},
        {"start_time": datetime.time(14), "end_time": datetime.time(9), "time_zone": "UTC"},
        {"end_time": datetime.time(9), "time_zone": "UTC"},
    ],
)
def test_database_refuses_bad_times_too(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(start_date=datetime.date(2003, 6, 2), **fields)


def test_sequence_goes_up_when_the_schedule_changes_not_otherwise():
    event = EventFactory()
    assert event.sequence == 0
    event = Event.objects.get(pk=event.pk)
    event.description = "<p>More words.</p>"
    event.save()
    assert event.sequence == 0
    event.start_date = datetime.date(2003, 6, 3)
    event.save()
    event.city = "Accra"
    event.save()
    assert Event.objects.get(pk=event.pk).sequence == 2


def test_place_display_combines_place_and_online():
    assert EventFactory.build(venue="Hall", city="Accra", country="GH").place_display == (
        "Hall, Accra, Ghana"
    )
    assert EventFactory.build(is_online=True).place_display == "Online"
    assert EventFactory.build(city="Accra", is_online=True).place_display == "Accra and online"
