"""One-line entries of detail pages' short lists about events, written in Python.

An event's page lists up to 48 participants and a funder's page its events: rendered by
the template engine, each line cost several hundred function calls (issue 13). These
give the same HTML: `format_html` escapes every value as the template engine would.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.i18n import lang_attribute
from core.markup import format_html, format_html_join
from events.templatetags.event_tags import long_date

register = template.Library()


@register.simple_tag
def participant_line(participation):
    """`<li class="person-line">` on an event's page: the person linked, their role at the
    event and their affiliation."""
    person = participation.person
    affiliation = ""
    if person.affiliation:
        affiliation = format_html(' <span class="person-line__meta">{}</span>', person.affiliation)
    return format_html(
        '<li class="person-line"><a href="{}">{}</a>, <span class="role">{}</span>{}</li>',
        person.get_absolute_url(),
        person.display_name,
        participation.get_role_display(),
        affiliation,
    )


@register.simple_tag
def supported_event_line(event):
    """`<li>` on a funder's page: the event linked, its kind and first day."""
    return format_html(
        '<li><a href="{}"{}>{}</a> <span class="muted">({}, {})</span></li>',
        event.get_absolute_url(),
        lang_attribute(event, "title"),
        event.title,
        event.get_kind_display(),
        long_date(event.start_date),
    )


@register.simple_tag
def participant_lines(participations):
    """`{% participant_line %}` of each participation, each on its own line (as the
    template's loop put them)."""
    space = "\n      "
    return SafeString(  # nosec B703 (lines made by format_html, joined with whitespace)
        "".join(space + participant_line(participation) + space for participation in participations)
    )


@register.simple_tag
def organiser_items(groups):
    """An event's page: each organising group as `<li>`, linked, its name marked with its
    language."""
    language = get_language()
    return format_html_join(
        "",
        '<li><a href="{}"{}>{}</a></li>',
        (
            (group.get_absolute_url(), lang_attribute(group, "name", language), group.name)
            for group in groups
        ),
    )
