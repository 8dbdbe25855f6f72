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

from core.i18n import lang_attribute
from core.markup import format_html, format_html_join

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


@register.simple_tag
def event_item(event, level=3, role=""):
    """One `<li class="event-item">` (`level`: the title's heading level; `role`: the
    person's role at the event, on their page). Reads `event.public_organisers` when the
    selector prefetched it."""
    place = event.place_display
    organisers = getattr(event, "public_organisers", None)
    role = gettext("Role: %(role)s") % {"role": role} if role else ""
    return format_html(
        '<li class="event-item"><h{} class="event-item__title"><a href="{}"{}>{}</a></h{}>'
        '<p class="event-item__meta"><span class="event-item__kind">{}</span> · {}{}</p>'
        "{}{}</li>\n",
        level,
        event.get_absolute_url(),
        lang_attribute(event, "title"),
        event.title,
        level,
        event.get_kind_display(),
        when(event, show_zone=True),
        format_html(" · {}", place) if place else "",
        format_html('<p class="event-item__meta">{}</p>', role) if role else "",
        format_html(
            '<p class="event-item__meta">{} {}</p>',
            gettext("Organised by"),
            format_html_join(", ", "{}", ((group.name,) for group in organisers)),
        )
        if organisers
        else "",
    )


@register.simple_tag
def participation_items(participations):
    """A person's page: `{% event_item %}` of each participation's event (level 3),
    with the person's role there."""
    return SafeString(  # nosec B703 (items made by format_html, joined)
        "".join(
            event_item(participation.event, 3, participation.get_role_display())
            for participation in participations
        )
    )
