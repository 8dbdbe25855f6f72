"""One-line entries of detail pages' short lists about events, written in Python.

An event's page lists up to 48 participants and a funder's page its events: rendered by
the template engine, each line cost several hundred function calls (issue 13). These
give the same HTML: `format_html` escapes every value as the template engine would.
"""

from django import template
from django.utils.safestring import SafeString

from core.choices import choice_label
from core.links import slug_urls
from core.markup import format_html, format_html_join
from events.models import Event, EventKind
from events.templatetags.event_tags import long_date
from groups.models import Group
from publications.display import Reader

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
def supported_event_lines(events):
    """`<li>` of each event on a funder's page, each on its own line (as the template's
    loop put them): the event linked, its kind and first day. The events are plain
    records (events.selectors.for_funder): the title read as its descriptor would
    (publications.display.Reader), the address pattern and labels looked up once."""
    reader = Reader()
    language = reader.language
    url = slug_urls("events:event_detail", language)
    columns = reader.columns(Event, "title")
    space = "\n  "
    lines = []
    for event in events:
        title, code = reader.text(event, columns, "title")
        line = format_html(
            '<li><a href="{}"{}>{}</a> <span class="muted">({}, {})</span></li>',
            url(event.slug),
            reader.lang(event, code),
            title,
            choice_label(EventKind, event.kind, language),
            long_date(event.start_date),
        )
        lines.append(space + line + space)
    return SafeString("".join(lines))  # nosec B703 (lines made by format_html, joined with whitespace)


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
    language. The groups are plain records (events.selectors.event_detail): their
    names read as their descriptors would (publications.display.Reader), the address
    pattern looked up once."""
    reader = Reader()
    url = slug_urls("groups:group_detail", reader.language)
    columns = reader.columns(Group, "name")
    items = []
    for group in groups:
        name, code = reader.text(group, columns, "name")
        items.append((url(group.slug), reader.lang(group, code), name))
    return format_html_join("", '<li><a href="{}"{}>{}</a></li>', items)
