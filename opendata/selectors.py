"""Reads for the open-data outputs. Each owns its query plan; nothing unpublished leaks.

OAI-PMH reports every publication that has been public: the public ones as records, and
the ones that stopped being public (an edit back to draft, a deletion, an expiry) as
deleted headers. A publication that never was public never appears.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import BooleanField, Case, F, Min, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order

from core.lookups import Ids
from core.models import Status
from core.prepared import Prepared
from core.prepared_pages import PreparedPages
from core.search import keyword_filter
from core.selectors import PART, union_all, union_rows
from events.models import Event, EventFunder
from funders.models import Funder
from groups.models import Group, Membership, Person
from groups.selectors import people_matching
from opendata.models import DeletedPublication
from publications.models import Authorship, Publication, PublicationFunder, Topic


def has_been_public(now):
    """Publications public now, or public once until their expiry.

    Expired ones count only when their expiry came after their creation (a record made
    already expired never was public). Scheduled ones have not been public yet.
    """
    return (
        Q(status=Status.PUBLISHED)
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now) | Q(expire_at__gt=F("created_at")))
    )


def _expired(now):
    return Q(expire_at__isnull=False, expire_at__lte=now)


def harvestable_publications(now):
    """Publications that have been public, with their OAI datestamp and deleted flag.

    The datestamp is when the public record last changed: the last save, or the
    scheduled go-live or expiry if it came later (those change what the public sees
    without a save, and harvesters asking "what changed since" must see them).
    """
    return (
        Publication.objects.filter(has_been_public(now))
        .annotate(
            oai_datestamp=Case(
                When(_expired(now), then=Greatest("updated_at", "expire_at")),
                default=Greatest("updated_at", Coalesce("publish_at", "updated_at")),
            ),
            oai_deleted=Case(
                When(_expired(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("pk")
    )


def deleted_publications(now):
    """Tombstones of publications that are not public now and not expired on schedule."""
    return DeletedPublication.objects.exclude(
        publication_pk__in=Publication.objects.filter(has_been_public(now)).values("pk")
    ).order_by("publication_pk")


def with_metadata(rows, now):
    """What oai_dc reads, given to a page of publications: ordered authors, topics,
    published groups by slug (selectors.load_publications)."""
    return load_publications(rows, now, groups_by_slug=True, funders=False)


def earliest_datestamp():
    """No record's datestamp is earlier than this (None when there is none)."""
    times = [
        Publication.objects.aggregate(earliest=Min("updated_at"))["earliest"],
        DeletedPublication.objects.aggregate(earliest=Min("datestamp"))["earliest"],
    ]
    times = [moment for moment in times if moment is not None]
    return min(times) if times else None


def public_groups_for_sets():
    return list(Group.objects.published().order_by("slug").only("slug", "name"))


# ---------------------------------------------------------------------------------------
# The read API (/api/v1/). Every read starts from what the public may see; staff get
# nothing more. Each list is ordered by primary key: stable while pages are walked.


def public_change(now):
    """When the public record last changed: the last save, or the go-live if later."""
    return Greatest("updated_at", Coalesce("publish_at", "updated_at"))


def _since(queryset, updated_since, now):
    queryset = queryset.annotate(public_updated_at=public_change(now))
    if updated_since is not None:
        queryset = queryset.filter(public_updated_at__gte=updated_since)
    return queryset


def api_groups(*, now, q="", kind=None, updated_since=None):
    groups = keyword_filter(Group.objects.published(now), q)
    if kind:
        groups = groups.filter(kind=kind)
    return _since(groups, updated_since, now).order_by("pk")


def api_people(*, now, q="", group=None, role=None, country=None, updated_since=None):
    people = people_matching(Person.objects.public(), q)
    memberships = Membership.objects.filter(group__in=Group.objects.published(now))
    if group:
        memberships = memberships.filter(group__slug=group)
    if role:
        memberships = memberships.filter(role=role)
    if group or role:
        people = people.filter(pk__in=memberships.values("person_id"))
    if country:
        people = people.filter(country=country.upper())
    if updated_since is not None:
        people = people.filter(updated_at__gte=updated_since)
    return people.annotate(public_updated_at=F("updated_at")).order_by("pk")


def membership_change():
    """When a membership last changed as the public sees it: its own last save, its
    person's (a profile made public brings its memberships into view) or its group's
    save or go-live (a group going live does the same, without a save)."""
    return Greatest(
        "updated_at",
        "person__updated_at",
        "group__updated_at",
        Coalesce("group__publish_at", "group__updated_at"),
    )


def api_memberships(*, now, group=None, person=None, role=None, updated_since=None):
    # The person's and group's slugs as values, not their model instances: a page
    # shows nothing else of them (_MEMBERSHIP_ROW_FIELDS).
    memberships = Membership.objects.filter(
        group__in=Group.objects.published(now), person__in=Person.objects.public()
    ).annotate(
        public_updated_at=membership_change(),
        person_slug=F("person__slug"),
        group_slug=F("group__slug"),
    )
    if updated_since is not None:
        memberships = memberships.filter(public_updated_at__gte=updated_since)
    if group:
        memberships = memberships.filter(group__slug=group)
    if person:
        memberships = memberships.filter(person__slug=person)
    if role:
        memberships = memberships.filter(role=role)
    return memberships.only("role", "start_date", "end_date")


def api_publications(
    *, now, q="", kind=None, group=None, topic=None, year=None, author=None, updated_since=None
):
    publications = keyword_filter(Publication.objects.published(now).without_text(), q)
    if kind:
        publications = publications.filter(kind=kind)
    if group:
        publications = publications.filter(
            pk__in=Publication.groups.through.objects.filter(
                group__in=Group.objects.published(now).filter(slug=group)
            ).values("publication_id")
        )
    if topic:
        publications = publications.filter(topics__slug=topic)
    if year:
        publications = publications.filter(published_on__year=year)
    if author:
        publications = publications.filter(
            pk__in=Authorship.objects.filter(
                person__in=Person.objects.public().filter(slug=author)
            ).values("publication_id")
        )
    # Each page's authors, groups, topics and funders: load_publications().
    return _since(publications, updated_since, now).order_by("pk")


def api_events(*, now, q="", kind=None, year=None, country=None, group=None, updated_since=None):
    events = keyword_filter(Event.objects.published(now), q)
    if kind:
        events = events.filter(kind=kind)
    if year:
        events = events.filter(start_date__year=year)
    if country:
        events = events.filter(country=country.upper())
    if group:
        events = events.filter(
            pk__in=Event.organisers.through.objects.filter(
                group__in=Group.objects.published(now).filter(slug=group)
            ).values("event_id")
        )
    # Each page's organisers, publications and funders: load_events().
    return _since(events, updated_since, now).order_by("pk")


def api_funders(*, now, q="", tier=None, updated_since=None):
    funders = keyword_filter(Funder.objects.public(), q)
    if tier:
        funders = funders.filter(tier=tier)
    if updated_since is not None:
        funders = funders.filter(updated_at__gte=updated_since)
    # Each page's publications and events: load_funders().
    return funders.annotate(public_updated_at=F("updated_at")).order_by("pk")


# ---------------------------------------------------------------------------------------
# A page of the API (or of OAI-PMH) read as plain values, not model instances: a model
# instance costs a hundred-odd Python calls to build (modeltranslation's and imagekit's
# hooks, a signal per instance) and each translated field read through its descriptor
# another dozen, a third of an API page's work. The records only need their values.
# (The bulk export still reads model instances, in chunks: opendata.records takes both.)


class Row:
    """One record's values as attributes named like the model's fields (and the
    queryset's annotations): what opendata.records and opendata.oai read."""

    def __init__(self, values):
        self.__dict__.update(values)


def plain_rows(queryset, fields, translated=()):
    """The records of `queryset` (evaluated here, e.g. a page's slice) as Rows of the
    primary key (`pk`), `fields` and the `translated` fields.

    A translated field is resolved as modeltranslation's descriptor resolves it on a
    model instance, with the settings' defaults: the column of the active language,
    else of its fallback languages in order, the first that is neither None nor empty
    (the field's default, "" for text); "" when none is. The order of languages is
    worked out once for the page rather than once per field per row.
    """
    columns = _columns(translated)
    return _rows(_values(queryset, fields, columns), columns)


def plain_values(queryset, fields, translated=()):
    """The values() queryset plain_rows() reads, unevaluated (e.g. to prepare it:
    core.prepared); rows_of() makes its dicts Rows."""
    return _values(queryset, fields, _columns(translated))


def rows_of(values, translated=()):
    """Rows of plain_values() dicts, read in the same language."""
    return _rows(values, _columns(translated))


def _columns(translated):
    """{translated field: its columns, in the order the active language reads them}."""
    languages = resolution_order(get_language())
    return {name: [build_localized_fieldname(name, language) for language in languages]
            for name in translated}  # fmt: skip


def _values(queryset, fields, columns):
    names = dict.fromkeys(["pk", *fields, *(c for cs in columns.values() for c in cs)])
    # rewrite(False) (a translated model's queryset): the names are the columns
    # themselves; modeltranslation need not look for translated names in them, nor
    # copy each row to apply fallbacks.
    if columns:
        queryset = queryset.rewrite(False)
    return queryset.values(*names)


def _rows(values_of_rows, columns):
    rows = []
    for values in values_of_rows:
        for name, localized in columns.items():
            value = ""
            for column in localized:
                if values[column] is not None and values[column] != "":
                    value = values[column]
                    break
            values[name] = value
        rows.append(Row(values))
    return rows


PUBLICATION_FIELDS = ("slug", "kind", "published_on", "date_precision", "language",
                      "publisher", "place", "series", "number", "doi", "isbn", "licence",
                      "file", "file_size", "page_count")  # fmt: skip
PUBLICATION_TRANSLATED = ("title", "subtitle", "abstract", "summary")


_PUBLICATION_ROW_FIELDS = (*PUBLICATION_FIELDS, "public_updated_at")


def harvestable_values(queryset):
    """harvestable_publications() records as plain_values(): with their datestamp,
    deleted flag and the title and subtitle in their own language (full_title());
    harvestable_rows_of() makes them Rows for OAI-PMH."""
    return plain_values(queryset, _HARVESTABLE_FIELDS, PUBLICATION_TRANSLATED)


def harvestable_rows_of(values):
    return rows_of(values, PUBLICATION_TRANSLATED)


def harvestable_rows(queryset):
    """harvestable_publications() records as Rows for OAI-PMH (harvestable_values())."""
    return plain_rows(queryset, _HARVESTABLE_FIELDS, PUBLICATION_TRANSLATED)


_HARVESTABLE_FIELDS = (
    *PUBLICATION_FIELDS, "oai_datestamp", "oai_deleted",
    *(build_localized_fieldname(name, settings.LANGUAGE_CODE) for name in ("title", "subtitle")),
)  # fmt: skip


_PERSON_ROW_FIELDS = (
    "slug", "honorific", "given_name", "family_name", "affiliation", "position", "country",
    "bio", "website", "orcid", "email", "email_visibility", "public_updated_at",
)  # fmt: skip


_MEMBERSHIP_ROW_FIELDS = (
    "person_slug", "group_slug", "role", "start_date", "end_date", "public_updated_at",
)  # fmt: skip


_EVENT_ROW_FIELDS = ("slug", "kind", "start_date", "end_date", "starts_at", "ends_at",
                     "time_zone", "venue", "city", "country", "is_online",
                     "public_updated_at")  # fmt: skip
_EVENT_TRANSLATED = ("title", "summary", "outcomes")


# ---------------------------------------------------------------------------------------
# One record of the API by slug: the query has one shape (only the slug and the time
# change), compiled once per process and language (core.prepared), and PostgreSQL keeps
# its plan (`keep_plan`: a look-up by slug plans the same whatever the slug).


def _by_slug(records, read=None):
    """Prepared: the record of `slug` among `records(now=now)`, sliced to one, as plain
    values when `read` is (fields, translated fields) of plain_values(), else as model
    instances."""

    def build(slug, now):
        found = records(now=now).filter(slug=slug)[:1]
        return found if read is None else plain_values(found, *read)

    return Prepared(build, keep_plan=True)


_DETAILS = {
    "groups": (_by_slug(api_groups), None),
    "people": (_by_slug(api_people, (_PERSON_ROW_FIELDS, ())), ()),
    "publications": (
        _by_slug(api_publications, (_PUBLICATION_ROW_FIELDS, PUBLICATION_TRANSLATED)),
        PUBLICATION_TRANSLATED,
    ),
    "events": (_by_slug(api_events, (_EVENT_ROW_FIELDS, _EVENT_TRANSLATED)), _EVENT_TRANSLATED),
    "funders": (_by_slug(api_funders), None),
}


def api_record(kind, slug, now):
    """The public record of `kind` (groups, people, publications, events, funders) with
    this slug, in a list (empty when none): model instances of groups and funders,
    Rows (as API_LISTS reads them) of the others."""
    prepared, translated = _DETAILS[kind]
    found = prepared.rows(slug=slug, now=now)
    return found if translated is None else rows_of(found, translated)


# ---------------------------------------------------------------------------------------
# The API's lists: a page's query compiled once per process and language for each
# combination of filters present (core.prepared_pages), its bounds two parameters.


class ApiList:
    """An API list: `selector(now=..., **filters)` (api_groups, api_publications, ...)
    read a page at a time, as plain Rows when `read` is (fields, translated fields) of
    plain_values(), else as model instances.

    The keywords (`q`: their matches' ids are written into the SQL), a `year` (a range
    made from it) and a `country` (upper-cased) are not values core.prepared can put in
    place: with any of them, the plain queryset is read instead (correct, only not
    compiled once)."""

    PLAIN = ("q", "year", "country")

    def __init__(self, selector, read=None):
        self.selector = selector
        self.read = read
        self.pages = PreparedPages(self._build)

    def _build(self, **values):
        queryset = self.selector(**values)
        return queryset if self.read is None else plain_values(queryset, *self.read)

    def queryset(self, now, filters):
        """The whole list, unsliced (e.g. to count it)."""
        return self.selector(now=now, **filters)

    def page(self, now, filters, start, stop):
        """Rows `start` to `stop` of the list (as the queryset sliced)."""
        if any(filters.get(name) for name in self.PLAIN):
            rows = self.queryset(now, filters)[start:stop]
            if self.read is not None:
                rows = plain_values(rows, *self.read)
        else:
            # An empty value filters nothing (as the selectors read it), so it is no
            # value of the prepared query either.
            given = {name: None if value == "" else value
                     for name, value in filters.items() if name not in self.PLAIN}  # fmt: skip
            rows = self.pages.page(start, stop, now=now, **given)
        return list(rows) if self.read is None else rows_of(rows, self.read[1])


def _memberships_by_pk(**values):
    return api_memberships(**values).order_by("pk")


API_LISTS = {
    "groups": ApiList(api_groups),
    "people": ApiList(api_people, (_PERSON_ROW_FIELDS, ())),
    "memberships": ApiList(_memberships_by_pk, (_MEMBERSHIP_ROW_FIELDS, ())),
    "publications": ApiList(api_publications, (_PUBLICATION_ROW_FIELDS, PUBLICATION_TRANSLATED)),
    "events": ApiList(api_events, (_EVENT_ROW_FIELDS, _EVENT_TRANSLATED)),
    "funders": ApiList(api_funders),
}


# ---------------------------------------------------------------------------------------
# What a page of records links to, read as plain values: one query per link and no model
# instance per linked row (a prefetch would build one per author, group, topic, funder),
# for the API's lists and details, the bulk files and OAI-PMH. Each query is the related
# model's own queryset, so the order is the one a prefetch gives (the model's ordering).


def _by_row(pairs):
    """{row pk: [value, ...]} from (row pk, value) pairs, in the query's order."""
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


class _PageQuery:
    """A query of what some records (`pks`: a page of the API or OAI-PMH, a chunk of
    the bulk export) link to, compiled once per process and language (core.prepared):
    the keys are one parameter however many (`__among`, core/lookups.py), so the
    driver parses one short statement and nothing is done per key. PostgreSQL keeps
    its plan (`keep_plan`): rows by a list of ids, each found by its index, however
    many (planning had cost an API page more of the server's time than running)."""

    def __init__(self, build):
        self.prepared = Prepared(build, keep_plan=True)

    def rows(self, pks, **values):
        return self.prepared.rows(pks=Ids(pks), **values)


def _attach(rows, attribute, grouped):
    for row in rows:
        setattr(row, attribute, grouped.get(row.pk, []))


# The authorships, then the people among them (two short queries). One query joining
# both made PostgreSQL hash all 20,000 people for a page of 100 publications (~200
# authors), the planner's estimate of a nested loop being off for cached tables.
_AUTHORS = _PageQuery(
    lambda pks: (
        Authorship.objects.filter(publication__among=pks)
        .order_by("position", "pk")
        .values_list("publication_id", "name", "is_organisation", "person_id")
    )
)
_AUTHOR_PEOPLE = _PageQuery(
    lambda pks: Person.objects.filter(pk__among=pks).values_list(
        "pk", "given_name", "family_name", "slug", "is_public"
    )
)


def author_rows(publication_pks):
    """{publication pk: [Author, ...]} in the authors' order: their name (a linked
    person's full name), whether an organisation, the person's slug when their profile
    is public, family and given names, and whether they are a person of the site."""
    rows = _AUTHORS.rows(list(publication_pks))
    person_pks = {person for *_, person in rows if person is not None}
    people = {pk: rest for pk, *rest in _AUTHOR_PEOPLE.rows(person_pks)} if person_pks else {}
    grouped = defaultdict(list)
    for publication, name, organisation, person in rows:
        given = family = slug = None
        if person is not None:
            given, family, slug, public = people[person]
            name = f"{given} {family}".strip()  # Person.full_name
            slug = slug if public else None
        author = Author(name, organisation, slug, family, given, person is not None)
        grouped[publication].append(author)
    return grouped


class Author:
    """One author of a publication as the open data show it (a light row)."""

    __slots__ = ("family_name", "given_name", "has_person", "name", "organisation", "person")

    def __init__(self, name, organisation, person, family_name, given_name, has_person):
        self.name = name
        self.organisation = organisation
        self.person = person  # the slug when the profile is public, else None
        self.family_name = family_name
        self.given_name = given_name
        self.has_person = has_person


def _publication_links(groups_by_slug, funders):
    """The prepared query of what publications (`pks`) link to, in one UNION ALL
    (core.selectors.union_all): their published groups, their topics and, when
    `funders`, their public funders; each row the publication's id (`row`), the linked
    record's slug and its name (a topic's; NULL for the others), each part in its own
    order: groups by slug when `groups_by_slug`, else as the model orders them (the
    secretariat's order, then the name as stored, whatever the reader's language),
    topics by name, funders as their model does (the secretariat's order, then the
    name)."""

    def build(pks, now):
        def columns(name, rank, sort):
            return {"row": "publications", "slug": "slug", "name": name, "rank": rank,
                    "sort": sort, "id": "id"}  # fmt: skip

        group_order = (Value(0), "slug") if groups_by_slug else ("display_order", "name")
        parts = {
            "group": (
                Group.objects.published(now).filter(publications__id__among=pks),
                columns(None, *group_order),
            ),
            "topic": (
                Topic.objects.filter(publications__id__among=pks),
                columns("name", Value(0), "name"),
            ),
        }
        if funders:
            parts["funder"] = (
                Funder.objects.public().filter(publications__id__among=pks),
                columns(None, "display_order", "name"),
            )
        return union_all(parts, order_by=(PART, "rank", "sort", "id"))

    return _PageQuery(build)


# One per combination load_publications takes, each compiled once per process and
# language on its first use (_PageQuery): the API and the bulk export read the groups in
# the model's order, with funders; OAI-PMH's oai_dc by slug, without.
_PUBLICATION_LINKS = {
    (groups_by_slug, funders): _publication_links(groups_by_slug, funders)
    for groups_by_slug in (False, True)
    for funders in (False, True)
}


def load_publications(rows, now, groups_by_slug=False, funders=True):
    """Give each publication of `rows` its `authors` (Author rows), `group_slugs`,
    `topic_list` ((slug, name) pairs) and `funder_slugs` (public funders).
    `groups_by_slug`: the groups ordered by slug (else the model's order);
    `funders=False`: no `funder_slugs`.
    Three queries: the authorships, their people (author_rows), and the groups, topics
    and funders together (`_publication_links`). Returns `rows`."""
    if not rows:
        return rows
    pks = [row.pk for row in rows]
    _attach(rows, "authors", author_rows(pks))
    links = union_rows(_PUBLICATION_LINKS[groups_by_slug, funders].rows(pks, now=now))
    _attach(rows, "group_slugs", _by_row((link.row, link.slug) for link in links.get("group", [])))
    topics = links.get("topic", [])
    _attach(rows, "topic_list", _by_row((link.row, (link.slug, link.name)) for link in topics))
    if funders:
        funder_slugs = _by_row((link.row, link.slug) for link in links.get("funder", []))
        _attach(rows, "funder_slugs", funder_slugs)
    return rows


def _event_links():
    """The prepared query of what events (`pks`) link to, in one UNION ALL
    (core.selectors.union_all): their published organising groups, published
    publications and public funders; each row the event's id (`row`) and the linked
    record's slug, each part in its model's order: groups and funders by the
    secretariat's order then the name as stored, publications newest first (undated
    last), then by title as stored.

    The parts' orders share three columns: `rank` (the display order; for
    publications, 1 when undated), `day` (a publication's date, newest first; NULL for
    the others) and `sort` (the name or title). The undated rank puts undated
    publications last on both databases, which order NULLs differently."""

    def build(pks, now):
        def columns(rank, day, sort):
            return {"row": "events", "slug": "slug", "rank": rank, "day": day, "sort": sort,
                    "id": "id"}  # fmt: skip

        undated = Case(When(published_on__isnull=True, then=Value(1)), default=Value(0))
        parts = {
            "group": (
                Group.objects.published(now).filter(events__id__among=pks),
                columns("display_order", None, "name"),
            ),
            "publication": (
                Publication.objects.published(now).filter(events__id__among=pks),
                columns(undated, "published_on", "title"),
            ),
            "funder": (
                Funder.objects.public().filter(events__id__among=pks),
                columns("display_order", None, "name"),
            ),
        }
        return union_all(parts, order_by=(PART, "rank", "-day", "sort", "id"))

    return _PageQuery(build)


_EVENT_LINKS = _event_links()  # compiled once per process and language (_PageQuery)


def load_events(rows, now):
    """Give each event its `organiser_slugs`, `publication_slugs` and `funder_slugs`
    (published or public ones only), read together (`_event_links`): one query."""
    if rows:
        links = union_rows(_EVENT_LINKS.rows([row.pk for row in rows], now=now))
        for attribute, part in (("organiser_slugs", "group"),
                                ("publication_slugs", "publication"),
                                ("funder_slugs", "funder")):  # fmt: skip
            _attach(rows, attribute, _by_row((link.row, link.slug) for link in links.get(part, [])))
    return rows


def load_funders(rows, now):
    """Give each funder its `publication_slugs` and `event_slugs` (published ones)."""
    if rows:
        _attach(rows, "publication_slugs", _supported_slugs(PublicationFunder, rows, now))
        _attach(rows, "event_slugs", _supported_slugs(EventFunder, rows, now))
    return rows


def _supported_slugs(link_model, rows, now):
    """{funder pk: [slug, ...]} of the published records the funders supported, in each
    funder's own order (set on its admin page)."""
    supported = link_model.supported_field
    model = link_model._meta.get_field(supported).related_model
    links = link_model.objects.filter(
        funder__among=Ids(row.pk for row in rows),
        **{f"{supported}__in": model.objects.published(now)},
    ).order_by("position", "pk")
    return _by_row(links.values_list("funder_id", f"{supported}__slug"))
