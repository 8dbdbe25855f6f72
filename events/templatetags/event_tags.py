"""An event's row in lists and its date and time, written in Python.

The events list shows up to fifty rows, a group's, person's or publication's page ten;
rendered by the template engine, each row (an include, with another for its date) cost
more than the rest of the page. `format_html` escapes every value as the template engine
would; the strings are the templates' own messages, so their translations hold.
"""

import functools

from django import template
from django.template.defaultfilters import date
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from core.choices import choice_label
from core.links import slug_urls
from core.markup import escaped, format_html
from events.models import Event, EventKind, ParticipantRole
from publications.display import Reader

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _long_date(day, language):
    """`day` as "3 May 2004" in `language` (the date filter's "j F Y"): formatted once per
    day and language, as a list repeats the same few dates."""
    return date(day, "j F Y")


def long_date(day):
    """`day|date:"j F Y"` in the active language."""
    return _long_date(day, get_language())


def _hm(moment):
    return f"{moment.hour:02d}:{moment.minute:02d}"  # the time filter's "H:i"


def _day(day):
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), long_date(day))


@register.simple_tag
def when(event, show_zone=False):
    """The event's day(s) and times as `<time>` elements, with its time zone if asked."""
    return _when(
        event.start_date,
        event.end_date,
        event.start_time,
        event.end_time,
        event.time_zone,
        show_zone,
        get_language(),
    )


@functools.lru_cache(maxsize=4096)
def _when(start_date, end_date, start_time, end_time, time_zone, show_zone, language):
    """`when()` of a schedule in `language` (the active one), written once per process:
    it depends on nothing else, and a list shows the same events again and again."""
    schedule = Event(
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
        time_zone=time_zone,
    )
    return _write_when(schedule, show_zone)


def _write_when(event, show_zone):
    if event.is_all_day:
        if event.is_multi_day:
            return format_html("{} – {}", _day(event.start_date), _day(event.end_date))
        return _day(event.start_date)
    start = format_html(
        '<time datetime="{}T{}">{}, {}</time>',
        event.start_date.isoformat(),
        _hm(event.start_time),
        long_date(event.start_date),
        _hm(event.start_time),
    )
    end = ""
    if event.end_time and event.is_multi_day:
        end = format_html(
            ' – <time datetime="{}T{}">{}, {}</time>',
            event.end_date.isoformat(),
            _hm(event.end_time),
            long_date(event.end_date),
            _hm(event.end_time),
        )
    elif event.end_time:
        end = format_html(
            ' – <time datetime="{}T{}">{}</time>',
            event.start_date.isoformat(),
            _hm(event.end_time),
            _hm(event.end_time),
        )
    elif event.is_multi_day:
        end = format_html(" – {}", _day(event.end_date))
    zone = ""
    if show_zone:
        # The zone by its name in the reader's language ("East Africa Time").
        zone = format_html(' <span class="event-zone">({})</span>', event.time_zone_name)
    return format_html("{}{}{}", start, end, zone)


class _Items:
    """What every row of a list shares, looked up once per list rather than per row:
    the language, the address pattern, the "Organised by" label."""

    def __init__(self):
        # The title read by its columns, looked up once (publications.display.Reader).
        self.reader = reader = Reader()
        self.language = reader.language
        self.title = reader.columns(Event, "title")
        self.url = slug_urls("events:event_detail", self.language)
        self.organised_by = escaped(gettext("Organised by"))
        self.role = None

    def item(self, event, level, role=""):
        """`{% event_item %}` of `event`."""
        language = self.language
        place = event.place_display
        organisers = getattr(event, "public_organisers", None)
        if role:
            if self.role is None:
                self.role = gettext("Role: %(role)s")
            role = self.role % {"role": role}
        title, title_language = self.reader.text(event, self.title, "title")
        return format_html(
            '<li class="event-item"><h{} class="event-item__title"><a href="{}"{}>{}</a></h{}>'
            '<p class="event-item__meta"><span class="event-item__kind">{}</span> · {}{}</p>'
            "{}{}</li>\n",
            level,
            self.url(event.slug),
            self.reader.lang(event, title_language),
            title,
            level,
            choice_label(EventKind, event.kind, language),
            _when(
                event.start_date,
                event.end_date,
                event.start_time,
                event.end_time,
                event.time_zone,
                True,
                language,
            ),
            format_html(" · {}", place) if place else "",
            format_html('<p class="event-item__meta">{}</p>', role) if role else "",
            SafeString(  # nosec B703 (the label and each name escaped by escaped())
                f'<p class="event-item__meta">{self.organised_by} '
                f"{', '.join([escaped(group.name) for group in organisers])}</p>"
            )
            if organisers
            else "",
        )


@register.simple_tag
def event_item(event, level=3, role=""):
    """One `<li class="event-item">` (`level`: the title's heading level; `role`: the
    person's role at the event, on their page). Reads `event.public_organisers` when the
    selector prefetched it."""
    return _Items().item(event, level, role)


@register.simple_tag
def event_items(events, level=3):
    """`{% event_item event level %}` of each of `events`, one after the other."""
    items = _Items()
    return SafeString(  # nosec B703 (items made by format_html, joined)
        "".join([items.item(event, level) for event in events])
    )


@register.simple_tag
def participation_items(participations):
    """A person's page: `{% event_item %}` of each event (level 3), with the person's
    role there (`participations`: (event, role) pairs, events.selectors.person_events)."""
    items = _Items()
    language = items.language
    return SafeString(  # nosec B703 (items made by format_html, joined)
        "".join(
            [
                items.item(event, 3, choice_label(ParticipantRole, role, language))
                for event, role in participations
            ]
        )
    )
