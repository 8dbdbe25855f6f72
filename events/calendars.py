"""iCalendar (RFC 5545) export of events, made with the `icalendar` library.

Why that library: it is the well-kept Python implementation, escapes and folds lines
correctly, and builds VTIMEZONE components from the zoneinfo database.
"""

import datetime
import functools
import re
from urllib.parse import urlsplit

import icalendar
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.site import absolute_url, site_url

PRODID = "-//Joint Learning Initiative//JLI site//EN"

# RFC 5545 3.3.11: TEXT holds no control character but HTAB; line breaks are escaped
# (as "\\n") by vText, the others dropped here.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value):
    """A TEXT value icalendar escapes: commas, semicolons, backslashes, line breaks."""
    return icalendar.vText(_CONTROL.sub("", str(value)))


def uid_for(event):
    """Stable across edits and renames, so calendar apps update rather than duplicate."""
    host = urlsplit(site_url()).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def _component(event):
    """One VEVENT, as iCalendar bytes (memoised: see `_event_bytes`)."""
    vevent = icalendar.Event()
    vevent.add("uid", uid_for(event))
    # Without METHOD, DTSTAMP is when the information was last revised (RFC 5545 3.8.7.2).
    vevent.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("created", event.created_at.astimezone(datetime.UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", _text(event.title))
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
        vevent.add("location", _text(place))
    url = absolute_url(event.get_absolute_url())
    vevent.add("url", url)
    description = event.summary or ""
    if event.is_online and event.online_url:
        description = f"{description}\n\n{_('Online')}: {event.online_url}".strip()
    vevent.add("description", _text(f"{description}\n\n{url}".strip()))
    vevent.add("categories", [_text(event.get_kind_display())])
    return vevent


# Serialising a VEVENT costs about half a millisecond and a VTIMEZONE (every transition
# of a zone over decades) tens: each worker keeps the bytes of the ones it made. An event's
# key includes `updated_at`, so an edited event is serialised afresh; the language is in
# the key because the kind and "Online" are translated.
_EVENT_BYTES = {}
_EVENT_BYTES_MAX = 4096


def _event_bytes(event):
    key = (event.pk, event.updated_at, get_language(), site_url())
    body = _EVENT_BYTES.get(key)
    if body is None:
        if len(_EVENT_BYTES) >= _EVENT_BYTES_MAX:
            _EVENT_BYTES.clear()
        body = _EVENT_BYTES[key] = _component(event).to_ical()
    return body


@functools.lru_cache(maxsize=64)
def _timezone_bytes(tzid):
    try:
        return icalendar.Timezone.from_tzid(tzid).to_ical()
    except ValueError:  # a zone icalendar cannot describe: written as UTC instead
        return b""


def _head(name):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # An X- property is written as given unless typed: vText escapes a line break in a
    # group's name or an event's title (unescaped, it ended the line: a 500).
    calendar.add("x-wr-calname", _text(name))
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)  # noqa: S101 (icalendar's own serialisation)
    return head[: -len(end)], end


# The zones the start and end times name (not a ";TZID=" typed in a title).
_TZIDS = re.compile(rb"(?m)^(?:DTSTART|DTEND);TZID=([^:;\r\n]+)")


def calendar_for(events, *, name):
    """A VCALENDAR with one VEVENT per event and the VTIMEZONEs their times use.

    Assembled from memoised pieces: the same bytes icalendar writes for the whole
    calendar (VTIMEZONEs first, as `add_missing_timezones` puts them).
    """
    pieces, tzids = [], set()
    for event in events:
        body = _event_bytes(event)
        pieces.append(body)
        tzids.update(_TZIDS.findall(body))
    head, end = _head(name)
    zones = [_timezone_bytes(tzid.decode()) for tzid in sorted(tzids)]
    return b"".join([head, *zones, *pieces, end])
