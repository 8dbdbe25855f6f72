"""iCalendar (RFC 5545) export of events, made with the `icalendar` library.

Why that library: it is the well-kept Python implementation, escapes and folds lines
correctly, and builds VTIMEZONE components from the zoneinfo database.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

PRODID = "-//Joint Learning Initiative//JLI site//EN"


def uid_for(event):
    """Stable across edits and renames, so calendar apps update rather than duplicate."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def _component(event):
    vevent = icalendar.Event()
    vevent.add("uid", uid_for(event))
    # Without METHOD, DTSTAMP is when the information was last revised (RFC 5545 3.8.7.2).
    vevent.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("created", event.created_at.astimezone(datetime.UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.title)
    if event.is_all_day:
        # Whole days: VALUE=DATE, and DTEND is the day after the last one (exclusive).
        vevent.add("dtstart", event.start_date)
        vevent.add("dtend", event.last_day + datetime.timedelta(days=1))
    else:
        # Aware datetimes in the event's zone: icalendar writes TZID=<zone> and
        # add_missing_timezones() the VTIMEZONE. A zone icalendar knows to be UTC at
        # all times (Africa/Accra, for one) is written as UTC with "Z": same instants.
        start, end = event.compute_bounds()
        vevent.add("dtstart", start)
        if event.end_time is not None:
            vevent.add("dtend", end)
    place = event.place_display
    if place:
        vevent.add("location", place)
    url = settings.SITE_URL + event.get_absolute_url()
    vevent.add("url", url)
    description = event.summary or ""
    if event.is_online and event.online_url:
        description = f"{description}\n\n{_('Online')}: {event.online_url}".strip()
    vevent.add("description", f"{description}\n\n{url}".strip())
    vevent.add("categories", [str(event.get_kind_display())])
    return vevent


def calendar_for(events, *, name):
    """A VCALENDAR with one VEVENT per event and the VTIMEZONEs their times use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_component(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()
