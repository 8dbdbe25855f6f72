"""Reads of events for the public pages: each owns its query plan."""

import datetime
import functools

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname, get_language

from core.cache import cached_value, filters_key
from core.lookups import Ids
from core.prepared import Prepared, PreparedRelated
from core.search import keyword_filter
from core.selectors import (
    PART,
    SHORT_LIST,
    attach_rows,
    plain_records,
    records,
    shortlist,
    union_all,
    union_rows,
)
from events.models import Event, Participation, upcoming_at
from funders.models import Funder
from groups.models import Group
from publications.models import Publication
from publications.selectors import link_columns

HOME_EVENTS = 3

# What an event's row on a person's or a publication's page shows (event_tags.event_item):
# not its long texts (summary, description, outcomes).
ROW_FIELDS = (
    "title", "title_en", "title_fr", "slug", "kind", "start_date", "end_date", "start_time",
    "end_time", "time_zone", "venue", "city", "country", "is_online",
)  # fmt: skip


def _columns(name):
    """A translated field's columns, one per language (`name_en`, `name_fr`)."""
    return [build_localized_fieldname(name, code) for code in mt_settings.AVAILABLE_LANGUAGES]


def _published_organisers():
    return Prefetch(
        "organisers",
        queryset=Group.objects.published().order_by("display_order", "name"),
        to_attr="public_organisers",
    )


class UpcomingFirst:
    """Published events, upcoming soonest first then past most recent first, for a Paginator.

    One `ORDER BY CASE ...` over the whole table cannot use an index: the database reads
    and sorts every event to return a page. Here each section is its own indexed query:
    the upcoming events (`ends_at >= now`, by the `event_by_end` index, then a sort of
    the few upcoming rows) and the past ones (by the `event_by_start` index, newest
    first, stopping at the page's end). A page is one query: the rows whose keys are in
    either section's slice (two LIMIT/OFFSET subqueries); the count is one aggregate.
    """

    def __init__(self, events, *, at):
        self.events, self.at = events, at

    def upcoming(self):
        return self.events.upcoming(at=self.at)

    def past(self):
        return self.events.past(at=self.at)

    @functools.cached_property
    def _counts(self):
        return self.events.aggregate(
            total=Count("pk"), upcoming=Count("pk", filter=upcoming_at(self.at))
        )

    def count(self):
        return self._counts["total"]

    def __len__(self):
        return self.count()

    def first(self, limit):
        """The first `limit` events, without counting (one query, no organisers): the
        rows among the first `limit` of each section, in upcoming-first order."""
        return list(self.first_queryset(limit))

    def first_queryset(self, limit):
        """The queryset `first()` reads."""
        return Event.objects.filter(
            _among(self.upcoming()[:limit].values("pk"), self.past()[:limit].values("pk"))
        ).upcoming_first(at=self.at)[:limit]

    def __getitem__(self, index):
        """A page: the slice split into its upcoming and past sections' bounds
        ((start, stop) in each section, or None), read by `_page()`."""
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("UpcomingFirst supports plain slices only")
        start, stop = index.start or 0, index.stop
        if stop is None or stop <= start:
            return []
        upcoming_count = self._counts["upcoming"]
        upcoming = past = None
        if start < upcoming_count:
            upcoming = (start, min(stop, upcoming_count))
        if stop > upcoming_count:
            past = (max(0, start - upcoming_count), stop - upcoming_count)
        return self._page(upcoming, past)

    def _page(self, upcoming, past):
        """The rows of the sections' bounds, in upcoming-first order, with organisers."""
        sections = []
        if upcoming:
            sections.append(self.upcoming()[slice(*upcoming)].values("pk"))
        if past:
            sections.append(self.past()[slice(*past)].values("pk"))
        return list(
            Event.objects.filter(_among(*sections))
            .upcoming_first(at=self.at)
            .prefetch_related(_published_organisers())
        )


def _among(*sections):
    """A filter: the event is among the ids of any of `sections` (sliced `values("pk")`
    querysets, one per section of UpcomingFirst).

    Where a compound statement's parts may be sliced (PostgreSQL), one `IN` of their
    UNION ALL: the database looks up those few ids by the primary key. `IN` one OR `IN`
    the other made PostgreSQL test every event of the table against both (3 ms a page at
    5,000 events, growing with them). SQLite may not slice a compound's parts: there,
    one `IN` per section."""
    features = connections[Event.objects.db].features
    if len(sections) > 1 and features.supports_slicing_ordering_in_compound:
        first, *rest = sections
        return Q(pk__in=first.union(*rest, all=True))
    among = Q()
    for section in sections:
        among |= Q(pk__in=section)
    return among


def _filtered(events, *, kind, year_span, country, group, funder):
    if kind:
        events = events.filter(kind=kind)
    if year_span:
        # A date range, as `start_date__year` compares with.
        events = events.filter(start_date__range=year_span)
    if country:
        events = events.filter(country=country)
    if group is not None:
        # A subquery rather than a join keeps one row per event.
        events = events.filter(
            pk__in=Event.organisers.through.objects.filter(group=group).values("event_id")
        )
    if funder is not None:
        events = events.filter(
            pk__in=Event.funders.through.objects.filter(funder=funder).values("event_id")
        )
    return events


def _year_span(year):
    return (datetime.date(year, 1, 1), datetime.date(year, 12, 31)) if year else None


def event_list(*, q="", kind="", year=None, country="", group=None, funder=None, at=None):
    """Published events matching the filters: upcoming soonest first, then past ones.

    Without keywords, each page is read by a query compiled once per process, shape of
    the filters and page bounds (`_PreparedUpcomingFirst`); with them, by the plain
    queryset (the matches' ids are written into its SQL)."""
    at = at or timezone.now()

    def events():
        return _filtered(
            keyword_filter(Event.objects.published(at=at), q),
            kind=kind, year_span=_year_span(year), country=country, group=group, funder=funder,
        )  # fmt: skip

    if q:
        return UpcomingFirst(events(), at=at)
    values = {
        "kind": kind or None,
        "year_span": _year_span(year),
        "country": country or None,
        "group": None if group is None else getattr(group, "pk", group),
        "funder": None if funder is None else getattr(funder, "pk", funder),
    }
    return _PreparedUpcomingFirst(events, at=at, values=values)


def _organisers(at):
    return Group.objects.published(at=at).order_by("display_order", "name")


# Read by load_organisers: each published organiser of the events, once per event it
# organised (`listed_in`), with what a list's row shows of it (its name).
_ORGANISER_COLUMNS = (
    "listed_in",
    "id",
    "slug",
    *_columns("name"),
)
_LISTED_ORGANISERS = Prepared(
    lambda pks, at: (
        _organisers(at)
        .filter(events__id__among=pks)
        .annotate(listed_in=F("events"))
        .rewrite(False)
        .values_list(*_ORGANISER_COLUMNS)
    ),
    keep_plan=True,
)


def load_organisers(events, at=None):
    """Give each event its published organisers as `public_organisers` (in display
    order), from one query compiled once per process (core.prepared; the events' ids
    are one parameter): what prefetching `_published_organisers()` gives, but for their
    fields a row shows (the name: `_list_rows`)."""
    at = at or timezone.now()
    return attach_rows(
        events,
        "public_organisers",
        lambda pks: _list_rows(
            _LISTED_ORGANISERS.rows(pks=Ids(pks), at=at), _ORGANISER_COLUMNS, Group, ("name",)
        ),
    )


# Page queries of the events list by their sections' bounds (a slice bound is part of
# the SQL's text), at most this many: past that, the least recently used is dropped.
PREPARED_EVENT_PAGES = 64
_EVENT_PAGES = {}


def _event_page(bounds):
    """The Prepared reading the page whose sections' slices are `bounds`
    ((start, stop) of the upcoming events or None, and of the past ones)."""
    prepared = _EVENT_PAGES.pop(bounds, None)
    if prepared is None:
        if len(_EVENT_PAGES) >= PREPARED_EVENT_PAGES:
            _EVENT_PAGES.pop(next(iter(_EVENT_PAGES)), None)
        upcoming, past = bounds

        def build(at, kind, year_span, country, group, funder):
            events = _filtered(
                Event.objects.published(at=at),
                kind=kind, year_span=year_span, country=country, group=group, funder=funder,
            )  # fmt: skip
            sections = []
            if upcoming is not None:
                sections.append(events.upcoming(at=at)[slice(*upcoming)].values("pk"))
            if past is not None:
                sections.append(events.past(at=at)[slice(*past)].values("pk"))
            return (
                Event.objects.filter(_among(*sections))
                .upcoming_first(at=at)
                .rewrite(False)
                .values_list(*_PAGE_COLUMNS)
            )

        prepared = Prepared(build)
    # Last in the dict: the most recently used (another thread may have put one there).
    return _EVENT_PAGES.setdefault(bounds, prepared)


def _counts(at, kind, year_span, country, group, funder):
    """How many events the filters give, and how many of them are upcoming: one row
    (an aggregate over no grouping: a constant's is none)."""
    events = _filtered(
        Event.objects.published(at=at),
        kind=kind, year_span=year_span, country=country, group=group, funder=funder,
    )  # fmt: skip
    return (
        events.order_by()
        .annotate(whole=Value(1))
        .values("whole")
        .annotate(total=Count("pk"), upcoming=Count("pk", filter=upcoming_at(at)))
        .values_list("total", "upcoming")
    )


# The events list's count, compiled once per process and shape of the filters: built
# by the ORM, the aggregate cost as much as reading the page's rows.
_EVENT_COUNTS = Prepared(_counts)


class _PreparedUpcomingFirst(UpcomingFirst):
    """UpcomingFirst whose pages and count are read by prepared queries (`values`: the
    filters as core.prepared's values), the organisers by load_organisers. The plain
    queryset (`events`, built by the callable given) only when something asks for it
    (the kind counts, when not cached)."""

    def __init__(self, events, *, at, values):
        self._events, self.at, self.values = events, at, values

    @functools.cached_property
    def events(self):
        return self._events()

    @functools.cached_property
    def _counts(self):
        total, upcoming = _EVENT_COUNTS.get(at=self.at, **self.values)
        return {"total": total, "upcoming": upcoming}

    def _page(self, upcoming, past):
        rows = _event_page((upcoming, past)).rows(at=self.at, **self.values)
        return load_organisers(_list_rows(rows), at=self.at)


# What the events list reads of each event: what its row shows (`event_item`), the
# title by its columns, and whether it is upcoming (its section). Read with
# modeltranslation's rewriting off (`rewrite(False)`): it has nothing to rewrite in
# these columns, and its values iterable makes a dict and a tuple again per row.
_ROW_COLUMNS = ("id", *(name for name in ROW_FIELDS if name != "title"))
_PAGE_COLUMNS = (*_ROW_COLUMNS, "is_upcoming")


def _list_rows(rows, columns=_PAGE_COLUMNS, model=Event, translated=("title",)):
    """Events (or `model`'s records) for the rows of a list (core.selectors.records)."""
    return records(rows, columns, model, translated)


def kind_counts(*, q="", year=None, country="", group=None, funder=None):
    """How many published events each kind has under the list's other filters
    ({kind: n}), for the kind menu: one aggregate query, cached until content changes."""
    others = {"q": q, "year": year, "country": country, "group": group, "funder": funder}

    def compute():
        events = event_list(**others).events.order_by()
        return dict(events.values_list("kind").annotate(total=Count("pk")))

    active = {name: value for name, value in others.items() if value}
    return cached_value(f"events:kind-counts:{filters_key('events', active)}", compute)


def filter_facets():
    """The countries and years published events have, for the list's filters (one query).

    It reads every published event: cached until content changes (core.cache.cached_value).
    """

    def compute():
        rows = (
            Event.objects.published()
            .order_by()
            .values_list("country", "start_date__year")
            .distinct()
        )
        countries, years = set(), set()
        for country, year in rows:
            if country:
                countries.add(country)
            years.add(year)
        return countries, sorted(years, reverse=True)

    return cached_value("events:facets", compute)


# An event's page lists this many participants, then says how many more there are: the
# page costs the same however many took part (as a group's page with its members).
EVENT_PAGE_PARTICIPANTS = 48


# The queries of an event's page, compiled once per process and language
# (core.prepared): only the slug, the event's id and the time change between pages.
_EVENT = Prepared(lambda slug, at: Event.objects.published(at=at).filter(slug=slug), keep_plan=True)
_PREVIEW = Prepared(lambda slug: Event.objects.filter(slug=slug))
# Of each organiser and participant, what the page shows (its row, its JSON-LD): not
# their long texts, which loading costs a converter call per column and row.


def _links(pk, at):
    """An event's published organisers (in the secretariat's order, then by name: in
    the page's language, as modeltranslation orders by it) and its public funders (by
    name) in one query (core.selectors.union_all), as plain records of what the page
    shows of them (publications.selectors.link_columns)."""
    group_sort = build_localized_fieldname("name", get_language())
    return union_all(
        {
            "organiser": (
                Group.objects.published(at=at).filter(events=pk),
                link_columns(translated=True, rank="display_order", sort=group_sort),
            ),
            "funder": (
                Funder.objects.public().filter(events=pk),
                link_columns(translated=False, rank=Value(0), sort="name"),
            ),
        },
        order_by=(PART, "rank", "sort", "id"),
    )


_LINKS = Prepared(_links, keep_plan=True)
_PARTICIPANT_FIELDS = (
    "event", "person", "role", "position", "person__honorific", "person__given_name",
    "person__family_name", "person__slug", "person__affiliation",
)  # fmt: skip
_PARTICIPATIONS = PreparedRelated(
    Event,
    "participations",
    lambda: (
        Participation.objects.filter(person__is_public=True)
        .select_related("person")
        .only(*_PARTICIPANT_FIELDS)
        .order_by("position", "pk")
    ),
    limit=EVENT_PAGE_PARTICIPANTS + 1,
    keep_plan=True,
)
_PUBLICATIONS = PreparedRelated(
    Event,
    "publications",
    lambda at: (
        Publication.objects.published(at=at)
        .newest_first()
        .only("title", "subtitle", "slug", "published_on", "date_precision", "language")
    ),
    limit=SHORT_LIST + 1,
    keep_plan=True,
)


def event_detail(*, slug, preview=False, at=None):
    """An event with its published organisers, public participants, published reports and
    public funders.

    The participants and publications are bounded: `participants` and `publications`
    are Shortlists (core.selectors) of the first EVENT_PAGE_PARTICIPANTS and SHORT_LIST,
    each read with one more row to tell whether there are more. Staff may preview an
    unpublished event (`preview=True`). Four queries: the event, its organisers and
    funders together (`_links`: plain records), then its participants and its
    publications, each by its own plain query (for one event, a prefetch costs the ORM
    about twice as much to build, and a sliced one a window function: issue 13), each
    compiled once per process (core.prepared).
    """
    at = at or timezone.now()
    event = _PREVIEW.get_or_404(slug=slug) if preview else _EVENT.get_or_404(slug=slug, at=at)
    links = union_rows(_LINKS.rows(pk=event.pk, at=at))
    event.public_organisers = links.get("organiser", [])
    # Credited as a publication's page credits them: public funders only.
    event.public_funders = links.get("funder", [])
    event.public_participations = _PARTICIPATIONS.rows(event)
    event.public_publications = _PUBLICATIONS.rows(event, at=at)
    event.participants = shortlist(event.public_participations, EVENT_PAGE_PARTICIPANTS)
    event.related_publications = shortlist(event.public_publications)
    return event


def calendar_event(*, slug):
    """One published event for its calendar file."""
    return get_object_or_404(Event.objects.published(), slug=slug)


# The calendar feed: every upcoming event and those of the last year, at most this many
# (upcoming soonest first, then the most recent past ones), so the feed costs the same
# whatever the size of the archive. Older events are on the events pages.
CALENDAR_PAST_DAYS = 365
CALENDAR_MAX_EVENTS = 100


@functools.cache
def _calendar(limit):
    """The calendar feed's query for at most `limit` events (a slice bound is part of the
    SQL's text: one Prepared per limit), compiled once per process and shape (with or
    without a group: core.prepared)."""

    def build(at, since, group):
        events = Event.objects.published(at=at).filter(ends_at__gte=since)
        if group is not None:
            events = events.filter(
                pk__in=Event.organisers.through.objects.filter(group=group).values("event_id")
            )
        return UpcomingFirst(events, at=at).first_queryset(limit)

    return Prepared(build)


def calendar_events(*, group=None, at=None):
    """The calendar feed's events (see CALENDAR_MAX_EVENTS), oldest first (one query)."""
    at = at or timezone.now()
    chosen = _calendar(CALENDAR_MAX_EVENTS).rows(
        at=at,
        since=at - datetime.timedelta(days=CALENDAR_PAST_DAYS),
        group=None if group is None else group.pk,
    )
    return sorted(chosen, key=lambda event: (event.starts_at, event.pk))


_FOR_GROUP = Prepared(
    lambda group, at: (
        UpcomingFirst(
            Event.objects.published(at=at).filter(
                pk__in=Event.organisers.through.objects.filter(group=group).values("event_id")
            ),
            at=at,
        )
        .first_queryset(SHORT_LIST + 1)
        .rewrite(False)
        .values_list(*_PAGE_COLUMNS)
    )
)


def for_group(group, *, at=None):
    """A group's published events, upcoming soonest first then the most recent past ones:
    a Shortlist (core.selectors). One query, compiled once per process (core.prepared)."""
    return shortlist(_list_rows(_FOR_GROUP.rows(group=group.pk, at=at or timezone.now())))


_FOR_PERSON = Prepared(
    lambda person, at: (
        _participations(person, at)
        .select_related("event")
        .order_by("-event__starts_at", "event__title", "position")
    ),
    keep_plan=True,
)


def for_person(person, *, at=None):
    """The published events a person took part in, with their roles (one query,
    compiled once per process: core.prepared): Participations with their event, for
    their profile. The caller shows only public people."""
    return _FOR_PERSON.rows(person=person.pk, at=at or timezone.now())


def _participations(person, at):
    """`person`'s (an id, or an OuterRef) participations in published events."""
    return Participation.objects.filter(person=person, event__in=Event.objects.published(at=at))


def person_has_events(at):
    """Whether the person of the query (`OuterRef("pk")`) took part in published events:
    for their page's query (core.sections.annotations)."""
    return Exists(_participations(OuterRef("pk"), at))


# What a person's page shows of each participation: its role, then its event's row
# (_ROW_COLUMNS), in for_person's order.
_PERSON_EVENTS = Prepared(
    lambda person, at: (
        _participations(person, at)
        .order_by("-event__starts_at", "event__title", "position")
        .values_list("role", *(f"event__{name}" for name in _ROW_COLUMNS))
    ),
    keep_plan=True,
)


def person_events(person, at=None):
    """A person's page: the published events they took part in, as (event, role) pairs
    (role: a ParticipantRole), in for_person's order, each event with what its row
    shows (_ROW_COLUMNS: core.selectors.records). One query, compiled once per process
    (core.prepared)."""
    rows = _PERSON_EVENTS.rows(person=person.pk, at=at or timezone.now())
    events = _list_rows([row[1:] for row in rows], _ROW_COLUMNS)
    return [(event, row[0]) for event, row in zip(events, rows, strict=True)]


def _of_publication(publication, at):
    """The published events `publication` (an id, or an OuterRef) came out of or was
    discussed at."""
    return Event.objects.published(at=at).filter(publications=publication)


_FOR_PUBLICATION = Prepared(
    lambda publication, at: (
        _of_publication(publication, at)
        .most_recent_first()
        .rewrite(False)
        .values_list(*_ROW_COLUMNS)
    ),
    keep_plan=True,
)


def publication_has_events(at):
    """Whether the publication of the query (`OuterRef("pk")`) came out of, or was
    discussed at, published events: for its page's query (core.sections.annotations)."""
    return Exists(_of_publication(OuterRef("pk"), at))


def for_publication(publication, at=None):
    """The published events a publication came out of or was discussed at (one query,
    compiled once per process: core.prepared), with what their rows show (ROW_FIELDS)."""
    rows = _FOR_PUBLICATION.rows(publication=publication.pk, at=at or timezone.now())
    return _list_rows(rows, _ROW_COLUMNS)


# What a funder's page shows of an event (event_lines.supported_event_lines).
_SUPPORTED_COLUMNS = ("id", "slug", "kind", "start_date", "title", *_columns("title"))
_FOR_FUNDER = Prepared(
    lambda funder, at: (
        Event.objects.published(at=at)
        .filter(funder_links__funder=funder)
        .order_by("funder_links__position", "funder_links__pk")
        .rewrite(False)  # the columns as named
        .values_list(*_SUPPORTED_COLUMNS)[: SHORT_LIST + 1]
    ),
    # The rows of one funder, found by its id in the links' index whatever their number:
    # PostgreSQL's plan for any funder is the same (core.prepared's keep_plan).
    keep_plan=True,
)


def for_funder(funder, at=None):
    """The published events that name this funder, in the funder's own order (set on
    its admin page): a Shortlist of plain records of `_SUPPORTED_COLUMNS` (one query,
    compiled once per process: core.prepared)."""
    rows = _FOR_FUNDER.rows(funder=funder.pk, at=at or timezone.now())
    return shortlist(plain_records(rows, _SUPPORTED_COLUMNS))


_HOME_EVENTS = Prepared(
    lambda at: (
        UpcomingFirst(Event.objects.published(at=at), at=at)
        .first_queryset(HOME_EVENTS)
        .rewrite(False)
        .values_list(*_PAGE_COLUMNS)
    )
)


def home_events(*, at=None):
    """Upcoming events for the home page, or the most recent past ones when none is coming.

    One query: the rows among the first few upcoming and the first few past ones (two
    indexed LIMIT subqueries), in upcoming-first order; if the first is upcoming, only
    the upcoming ones are kept.
    """
    at = at or timezone.now()
    events = _list_rows(_HOME_EVENTS.rows(at=at))
    if events and events[0].is_upcoming:
        return [event for event in events if event.is_upcoming], True
    return events, False
