"""Reads of events for the public pages: each owns its query plan."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.models import Event, Participation
from groups.models import Group
from publications.models import Publication

HOME_EVENTS = 3


def _published_organisers():
    return Prefetch(
        "organisers",
        queryset=Group.objects.published().order_by("display_order", "name"),
        to_attr="public_organisers",
    )


def event_list(*, kind="", year=None, country="", group=None, at=None):
    """Published events matching the filters: upcoming soonest first, then past ones."""
    events = Event.objects.published(at=at)
    if kind:
        events = events.filter(kind=kind)
    if year:
        events = events.filter(start_date__year=year)
    if country:
        events = events.filter(country=country)
    if group is not None:
        # A subquery rather than a join keeps one row per event.
        events = events.filter(
            pk__in=Event.organisers.through.objects.filter(group=group).values("event_id")
        )
    return events.upcoming_first(at=at).prefetch_related(_published_organisers())


def filter_facets():
    """The countries and years published events have, for the list's filters (one query)."""
    rows = (
        Event.objects.published().order_by().values_list("country", "start_date__year").distinct()
    )
    countries, years = set(), set()
    for country, year in rows:
        if country:
            countries.add(country)
        years.add(year)
    return countries, sorted(years, reverse=True)


def event_detail(*, slug, preview=False):
    """An event with its published organisers, public participants and published reports.

    Staff may preview an unpublished event (`preview=True`).
    """
    events = Event.objects.all() if preview else Event.objects.published()
    return get_object_or_404(
        events.prefetch_related(
            _published_organisers(),
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(person__is_public=True).select_related(
                    "person"
                ),
                to_attr="public_participations",
            ),
            Prefetch(
                "publications",
                queryset=Publication.objects.published().order_by("-published_on", "title"),
                to_attr="public_publications",
            ),
        ),
        slug=slug,
    )


def calendar_event(*, slug):
    """One published event for its calendar file."""
    return get_object_or_404(Event.objects.published(), slug=slug)


def calendar_events(*, group=None):
    """Every published event, oldest first, for the calendar feed."""
    events = Event.objects.published().order_by("starts_at", "pk")
    if group is not None:
        events = events.filter(
            pk__in=Event.organisers.through.objects.filter(group=group).values("event_id")
        )
    return events


def for_group(group):
    """The published events a group organised, most recent first (one query)."""
    return list(Event.objects.published().filter(organisers=group).order_by("-starts_at", "title"))


def for_person(person):
    """The published events a person took part in, with their roles (one query).

    Each item is a Participation with its event; the caller shows only public people.
    """
    return list(
        Participation.objects.filter(person=person, event__in=Event.objects.published())
        .select_related("event")
        .order_by("-event__starts_at", "event__title", "position")
    )


def for_publication(publication):
    """The published events a publication came out of or was discussed at (one query)."""
    return list(
        Event.objects.published().filter(publications=publication).order_by("-starts_at", "title")
    )


def home_events(*, at=None):
    """Upcoming events for the home page, or the most recent past ones when none is coming.

    One query: the first few in upcoming-first order; if the first is upcoming, only
    the upcoming ones are kept.
    """
    at = at or timezone.now()
    events = list(Event.objects.published(at=at).upcoming_first(at=at)[:HOME_EVENTS])
    if events and events[0].is_upcoming:
        return [event for event in events if event.is_upcoming], True
    return events, False
