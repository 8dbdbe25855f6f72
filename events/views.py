from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.links import slug_url
from core.roles import may_preview
from core.search import keywords
from events import calendars, selectors
from events.forms import EventFilterForm
from events.metadata import event_json_ld
from events.models import Event
from groups.models import Group

EVENTS_PER_PAGE = 20
CALENDAR_TYPE = "text/calendar; charset=utf-8"


@require_safe
@public_page
def event_list(request):
    countries, years = selectors.filter_facets()
    form = EventFilterForm(request.GET or None, country_codes=countries, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    others = {
        # The keywords' matches, read once (bounded: core.search) for the list and counts.
        "q": keywords(Event, filters.get("q", "")),
        "year": filters.get("year"),
        "country": filters.get("country", ""),
        "group": filters.get("group"),
        "funder": filters.get("funder"),
    }
    events = selectors.event_list(kind=filters.get("kind", ""), **others)
    form.show_counts(selectors.kind_counts(**others))
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    upcoming, past_by_year = _sections(page)
    return render(
        request,
        "events/event_list.html",
        {
            "form": form,
            "page_obj": page,
            "upcoming": upcoming,
            "past_by_year": past_by_year,
            # An empty list says why: nothing matches, or nothing is recorded at all.
            "filtered": any(filters.values()),
            "keywords": others["q"],
        },
    )


def _sections(page):
    """Split a page of events into the upcoming ones and the past ones by year."""
    upcoming, past_by_year = [], []
    for event in page:
        if event.is_upcoming:
            upcoming.append(event)
        elif past_by_year and past_by_year[-1][0] == event.start_date.year:
            past_by_year[-1][1].append(event)
        else:
            past_by_year.append((event.start_date.year, [event]))
    return upcoming, past_by_year


@require_safe
@public_page
def event_detail(request, slug):
    event = selectors.event_detail(slug=slug, preview=may_preview(request.user, Event))
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "json_ld": event_json_ld(event),
            # Each shown twice: worked out once (`|default:...|truncatechars:300`).
            "page_description": truncatechars(event.summary or event.title, 300),
            "calendar_url": slug_url("events:event_calendar", event.slug),
        },
    )


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@public_page
def event_calendar(request, slug):
    event = selectors.calendar_event(slug=slug)
    body = calendars.calendar_for([event], name=event.title)
    return _calendar_response(body, f"{event.slug}.ics")


@require_safe
@public_page
def calendar(request):
    group = None
    name = _("JLI events")
    if request.GET.get("group"):
        group = get_object_or_404(Group.objects.published(), slug=request.GET["group"])
        name = _("JLI events: %(group)s") % {"group": group.name}
    body = calendars.calendar_for(selectors.calendar_events(group=group), name=name)
    return _calendar_response(body, f"jli-events{'-' + group.slug if group else ''}.ics")
