"""Reads of publications for the public pages: each owns its query plan.

Everything here starts from `Publication.objects.published()` unless staff preview a
draft on its own page: drafts, scheduled and expired items never leak into lists,
feeds, exports or person and group pages. None reads the PDF's text (`without_text()`):
search has it, and it may weigh megabytes per row.
"""

import datetime
import functools
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Value, When
from django.db.models.query import ModelIterable
from django.shortcuts import get_object_or_404
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname, get_language

from core import sections
from core.cache import cached_value, filters_key
from core.i18n import displayed
from core.links import slug_urls
from core.lookups import Ids
from core.prepared import Prepared, PreparedRelated
from core.prepared_pages import PreparedPages
from core.search import keyword_filter
from core.selectors import (
    PART,
    SHORT_LIST,
    attach_rows,
    load_related,
    plain_records,
    records,
    shortlist,
    union_all,
    union_rows,
)
from funders.models import Funder
from groups.models import Group
from publications.display import Reader
from publications.models import NEWEST, Authorship, Publication, PublicationKind, Topic

# The home page and the list's first page show this many featured publications.
FEATURED = 3
# Exports of a whole list are cut at this many records (a reference manager's import,
# not a way to copy the database).
EXPORT_LIMIT = 500


def ordered_authorships():
    return Authorship.objects.select_related("person").order_by("position", "pk")


def _shown_authorships():
    """The ordered authors with only what a page shows of them (the name, the profile
    link, the citation's name parts): not their profiles' long texts."""
    return ordered_authorships().only(
        "publication", "person", "name", "is_organisation", "position",
        "person__given_name", "person__family_name", "person__slug", "person__is_public",
    )  # fmt: skip


def _public_groups(at=None):
    """A publication's published groups, with what a page shows of them (name, link)."""
    return Group.objects.published(at=at).order_by("display_order", "name").only("name", "slug")


def with_authors_and_groups(publications):
    """Prefetch the ordered authors (with their people) and the published groups.

    Two queries whatever the number of publications; templates read
    `publication.authorships.all` and `publication.public_groups`.
    """
    return publications.prefetch_related(
        Prefetch("authorships", queryset=_shown_authorships()),
        Prefetch("groups", queryset=_public_groups(), to_attr="public_groups"),
    )


class ShownAuthor:
    """An author as a list row shows them (publication_tags.authors reads these two)."""

    __slots__ = ("display_name", "profile_url")

    def __init__(self, display_name, profile_url):
        self.display_name = display_name
        self.profile_url = profile_url


# Read by load_shown_authors: one query whatever the number of rows, whose SQL is
# compiled once per process (core.prepared; the publications' ids are one parameter).
_SHOWN_AUTHORS = Prepared(
    lambda pks: (
        Authorship.objects.filter(publication__among=pks)
        .order_by("position", "pk")
        .values_list("publication_id", "name", "person_id", "person__given_name",
                     "person__family_name", "person__slug", "person__is_public")
    ),
    keep_plan=True,
)  # fmt: skip


def load_shown_authors(publications):
    """Give each publication its `shown_authors` (ShownAuthor, in order) from one query of
    plain values: no Authorship and Person instance per author, as a prefetch makes.
    The name and link are Authorship.display_name's and profile_url's."""
    pks = [publication.pk for publication in publications]
    grouped = {}
    if pks:
        person_url = slug_urls("groups:person_detail")  # Person.get_absolute_url
        for publication, name, person, given, family, slug, public in _SHOWN_AUTHORS.rows(
            pks=Ids(pks)
        ):
            if person is not None:
                name = f"{given} {family}".strip()  # Person.full_name
            url = person_url(slug) if person and public else ""
            grouped.setdefault(publication, []).append(ShownAuthor(name, url))
    for publication in publications:
        publication.shown_authors = grouped.get(publication.pk, [])
    return publications


# A group as list rows read it (load_authors_and_groups): its id, slug and each
# language's name (modeltranslation's columns) for publications.display.Reader.
_GROUP_COLUMNS = (
    "pk",
    "slug",
    *(build_localized_fieldname("name", code) for code in settings.MODELTRANSLATION_LANGUAGES),
)


def _author_and_group_parts(authorships, groups, more=()):
    """The parts of union_all (core.selectors) that read publications' authors and
    published groups: `authorships` (Authorship rows) with the person's `id`, `slug`,
    names and whether public, the authorship's `name`, in order; `groups` (published
    groups, joined to their publications) with `id`, `slug` and each language's name, in
    display order then by the name in the page's language (as modeltranslation orders
    by it). Each row says which publication it is `listed_in`; a column one part does
    not have is NULL there, and so are `more`, the columns of other parts."""
    group_names = _GROUP_COLUMNS[2:]
    nothing = dict.fromkeys(("given", "family", "public"))
    return {
        "author": (
            authorships,
            {
                "listed_in": "publication_id",
                "id": "person_id",
                "slug": "person__slug",
                "name": "name",
                "given": "person__given_name",
                "family": "person__family_name",
                "public": "person__is_public",
                **dict.fromkeys(group_names),
                "rank": "position",
                "sort_text": None,
                "sort_number": "pk",
                **dict.fromkeys(more),
            },
        ),
        "group": (
            groups,
            {
                "listed_in": "publications",
                "id": "pk",
                "slug": "slug",
                "name": None,
                **nothing,
                **{column: column for column in group_names},
                "rank": "display_order",
                "sort_text": build_localized_fieldname("name", get_language()),
                "sort_number": None,
                **dict.fromkeys(more),
            },
        ),
    }


def _authors_and_groups(pks, at):
    """Each publication's (`pks`) authors and published groups, in one query
    (core.selectors.union_all of _author_and_group_parts), each part in its order."""
    return union_all(
        _author_and_group_parts(
            Authorship.objects.filter(publication__among=pks),
            _public_groups(at).filter(publications__id__among=pks),
        ),
        order_by=(PART, "rank", "sort_text", "sort_number"),
    )


_AUTHORS_AND_GROUPS = Prepared(_authors_and_groups, keep_plan=True)


def load_authors_and_groups(publications, at=None):
    """Give each publication its `shown_authors` (ShownAuthor, in order: what
    load_shown_authors gives) and its published groups as `public_groups` (in display
    order, what a prefetch of `_public_groups()` gives, each a plain record of its `pk`,
    `slug` and names, `name_en` and `name_fr`), for list rows
    (publication_tags.publication_items): one query (`_authors_and_groups`, compiled once
    per process and language: core.prepared) rather than one each."""
    pks = [publication.pk for publication in publications]
    parts = {}
    if pks:
        parts = union_rows(_AUTHORS_AND_GROUPS.rows(pks=Ids(pks), at=at or timezone.now()))
    return _attach_authors_and_groups(publications, parts)


def _attach_authors_and_groups(publications, parts):
    """Give each publication its `shown_authors` and `public_groups` (as
    load_authors_and_groups) from the "author" and "group" parts of union_rows."""
    authors, groups = {}, {}
    person_url = slug_urls("groups:person_detail")  # Person.get_absolute_url
    for row in parts.get("author", ()):
        name = row.name
        if row.id is not None:
            name = f"{row.given} {row.family}".strip()  # Person.full_name
        url = person_url(row.slug) if row.id and row.public else ""
        authors.setdefault(row.listed_in, []).append(ShownAuthor(name, url))
    for row in parts.get("group", ()):
        row.pk = row.id
        groups.setdefault(row.listed_in, []).append(row)
    for publication in publications:
        publication.shown_authors = authors.get(publication.pk, [])
        publication.public_groups = groups.get(publication.pk, [])
    return publications


# Read by load_topics: each topic's name, once for each publication it is in
# (`listed_in`), in the topics' order (as a prefetch of `topics` gives them).
_LISTED_TOPICS = Prepared(
    lambda pks: (
        Topic.objects.filter(publications__id__among=pks)
        .annotate(listed_in=F("publications"))
        .values_list("listed_in", "name")
    ),
    keep_plan=True,
)


def load_topics(publications):
    """Give each publication its topics as `listed_topics` (in the topics' order), plain
    records of their `name`, from one query compiled once per process (core.prepared;
    the publications' ids are one parameter): what prefetching `topics` gives, without
    a related manager or a Topic instance per publication and topic."""
    return attach_rows(
        publications,
        "listed_topics",
        lambda pks: plain_records(_LISTED_TOPICS.rows(pks=Ids(pks)), ("listed_in", "name")),
    )


class _WithShownAuthors(ModelIterable):
    """Model rows given their `shown_authors` once the query has read them all."""

    def __iter__(self):
        yield from load_shown_authors(list(super().__iter__()))


def with_shown_authors(publications):
    """Each publication's ordered authors as `shown_authors`, read after the rows."""
    publications = publications.all()
    publications._iterable_class = _WithShownAuthors
    return publications


def with_shown_authors_and_groups(publications):
    """For list rows (publication_tags.publication_item): each publication's ordered
    authors (`shown_authors`, read as values after the rows: one query) and published
    groups (`public_groups`, prefetched)."""
    return with_shown_authors(
        publications.prefetch_related(
            Prefetch("groups", queryset=_public_groups(), to_attr="public_groups")
        )
    )


# What a list row shows (publication_tags.publication_items reads no other field): not
# the long texts (the PDF's text may run to megabytes), nor the twenty other columns,
# each a value to convert and set on every row.
LIST_FIELDS = (
    "title", "subtitle", "slug", "kind", "published_on", "date_precision", "language",
    "is_featured", "cover",
)  # fmt: skip
# The same as plain values: the translated fields by their columns, one per language
# (core.selectors.records), and the id.
_ROW_TRANSLATED = ("title", "subtitle")
_ROW_COLUMNS = (
    "id",
    *(
        column
        for name in LIST_FIELDS
        for column in (
            [build_localized_fieldname(name, code) for code in settings.MODELTRANSLATION_LANGUAGES]
            if name in _ROW_TRANSLATED
            else [name]
        )
    ),
)


def _list_page(*, at, kind, group, topic, year_span, author, funder, by_title):
    """The list's query without keywords, each filter a value of core.prepared's."""
    publications = _filtered(
        Publication.objects.published(at=at).without_text(),
        kind=kind, group=group, topic=topic, year_span=year_span, author=author,
        funder=funder, by_title=by_title,
    )  # fmt: skip
    return publications.only(*LIST_FIELDS)


# The list's pages: one plan per combination of filters present (core.prepared_pages).
_LIST_PAGES = PreparedPages(_list_page)


def _rows_with_authors_and_groups(publications):
    return load_authors_and_groups(publications)


def publication_list(**filters):
    """Published publications matching the list's filters, with authors and groups, for
    a Paginator: each page one query (compiled once per process and combination of
    filters, core.prepared_pages), then one for their authors and groups.
    With keywords, the plain queryset (the matches' ids are written into its SQL)."""
    if filters.get("q"):
        return with_shown_authors_and_groups(filtered_publications(**filters).only(*LIST_FIELDS))
    year = filters.get("year")
    return _LIST_PAGES.pages(
        loaded=_rows_with_authors_and_groups,
        at=timezone.now(),
        kind=filters.get("kind") or None,
        group=_pk(filters.get("group")),
        topic=_pk(filters.get("topic")),
        year_span=_year_span(year) if year else None,
        author=_pk(filters.get("author")),
        funder=_pk(filters.get("funder")),
        by_title=filters.get("sort") == "title",
    )


def _pk(instance):
    return None if instance is None else getattr(instance, "pk", instance)


def _year_span(year):
    """The first and last days of `year`: what `published_on__year` compares with."""
    return (datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def filtered_publications(
    *, q="", kind="", group=None, topic=None, year=None, author=None, funder=None, sort="date"
):
    """Published publications matching the list's filters, in the chosen order."""
    return _filtered(
        keyword_filter(Publication.objects.published().without_text(), q),
        kind=kind, group=group, topic=topic, year_span=_year_span(year) if year else None,
        author=author, funder=funder, by_title=sort == "title",
    )  # fmt: skip


def _filtered(publications, *, kind, group, topic, year_span, author, funder, by_title):
    if kind:
        publications = publications.filter(kind=kind)
    if group is not None:
        publications = publications.filter(groups=group)
    if topic is not None:
        publications = publications.filter(topics=topic)
    if year_span:
        # A date range (as `published_on__year`), so the (status, published_on) index
        # serves it.
        publications = publications.filter(published_on__range=year_span)
    if author is not None:
        publications = publications.filter(authorships__person=author)
    if funder is not None:
        publications = publications.filter(funders=funder)
    if by_title:
        # By the title the reader sees: the French one, else the English one.
        return publications.order_by(displayed("title"), "pk")
    return publications.newest_first()


@dataclass(frozen=True)
class ListCounts:
    """The publication list's count, and what each option of its kind and year menus
    gives ({kind: n}, {year: n}; absent means none)."""

    total: int
    kinds: dict
    years: dict


def list_counts(filters):
    """The list's count and its menus' counts, from one aggregate query.

    The query groups the published publications that the filters other than kind and
    year keep by kind and year (a few dozen rows whatever the archive's size); the
    count and both menus are sums of those rows. Each menu counts under the other
    filters but not its own, so that it says what choosing an option would give: the
    kind menu under the chosen year, the year menu under the chosen kind. The rows are
    cached until content changes (core.cache.cached_value): one scan serves every kind
    and year a reader tries.
    """
    kind, year = filters.get("kind"), filters.get("year")
    others = {key: value for key, value in filters.items() if key not in ("kind", "year", "sort")}

    def compute():
        return list(
            filtered_publications(**others)
            .order_by()
            .values_list("kind", "published_on__year")
            .annotate(total=Count("pk"))
        )

    rows = cached_value(f"publications:counts:{filters_key('publications', others)}", compute)
    total, kinds, years = 0, Counter(), Counter()
    for row_kind, row_year, count in rows:
        in_kind = not kind or row_kind == kind
        in_year = not year or row_year == year
        if in_year:
            kinds[row_kind] += count
        if in_kind and row_year is not None:  # undated: in no year
            years[row_year] += count
        if in_kind and in_year:
            total += count
    return ListCounts(total=total, kinds=dict(kinds), years=dict(years))


@functools.cache
def _featured(limit):
    """The featured publications' query for `limit` rows (a slice bound is part of the
    SQL's text: one Prepared per limit; callers use one or two)."""

    def build(at):
        strategy_first = Case(
            When(kind=PublicationKind.STRATEGY_REPORT, then=Value(0)), default=Value(1)
        )
        return (
            Publication.objects.published(at=at)
            .without_text()
            .filter(is_featured=True)
            .alias(strategy_first=strategy_first)
            .order_by("strategy_first", F("published_on").desc(nulls_last=True), "title")[:limit]
        )

    return Prepared(build)


def featured_publications(limit=FEATURED, at=None):
    """Featured publications, the Strategy Report first, then newest first (one query,
    compiled once per process, language and limit: core.prepared)."""
    return _featured(limit).rows(at=at or timezone.now())


# The Atom feed's entries (publications.feeds): the newest published publications.
FEED_ITEMS = 50
# The feed's entries as plain values: no model instance per entry (publications.feeds
# reads each column once). The title's and subtitle's own columns (a feed names the work
# as published); each language's summary and abstract (publications.display.Reader).
FEED_COLUMNS = (
    "pk", "slug", "kind", "published_on", "created_at",
    *(build_localized_fieldname(name, settings.LANGUAGE_CODE) for name in ("title", "subtitle")),
    *(
        build_localized_fieldname(name, code)
        for name in ("summary", "abstract")
        for code in settings.MODELTRANSLATION_LANGUAGES
    ),
)  # fmt: skip
_FEED = Prepared(
    lambda at: (
        Publication.objects.published(at=at).newest_first().values_list(*FEED_COLUMNS)[:FEED_ITEMS]
    )
)


def feed_publications(at=None):
    """The feed's publications, newest first, as plain records of FEED_COLUMNS with
    their `shown_authors` (ShownAuthor) and `listed_topics` (load_topics): three
    queries, each compiled once per process (core.prepared)."""
    entries = plain_records(_FEED.rows(at=at or timezone.now()), FEED_COLUMNS)
    return load_topics(load_shown_authors(entries))


# The queries of a publication's page, compiled once per process and language
# (core.prepared): only the slug, the ids and the time change from one page to another.
# The record comes with whether each section other apps add to the page has something
# to show (core.sections.annotations: the events it came out of), so that a page with
# nothing for a section runs no query for it.
_PUBLICATION = Prepared(
    lambda slug, at: (
        Publication.objects.published(at=at)
        .without_text()
        .filter(slug=slug)
        .annotate(**sections.annotations(Publication, at))
    ),
    keep_plan=True,
)
_PREVIEW = Prepared(
    lambda slug, at: (
        Publication.objects.without_text()
        .filter(slug=slug)
        .annotate(**sections.annotations(Publication, at))
    )
)
_AUTHORS = PreparedRelated(Publication, "authorships", _shown_authorships, keep_plan=True)


def link_columns(*, translated, rank, sort):
    """The columns (core.selectors.union_all) of a record a detail page links to by its
    name (a group, a topic, a funder): its `id`, `slug` and `name`, each language's name
    when `translated` (a group's, for publications.display.Reader; else NULL), and its
    order (`rank` then `sort`: field names or expressions)."""
    names = {column: column if translated else None for column in _GROUP_COLUMNS[2:]}
    return {"id": "id", "slug": "slug", "name": "name", **names, "rank": rank, "sort": sort}


def _links(pk, at):
    """A publication's topics, published groups and public funders in one query
    (core.selectors.union_all), each in the order its own query gave (topics by name;
    groups and funders in the secretariat's order, then by name: the group's in the
    page's language, as modeltranslation orders by it), as plain records: the page
    shows their names and links."""
    group_sort = build_localized_fieldname("name", get_language())
    return union_all(
        {
            "topic": (
                Topic.objects.filter(publications=pk),
                link_columns(translated=False, rank=Value(0), sort="name"),
            ),
            "group": (
                Group.objects.published(at=at).filter(publications=pk),
                link_columns(translated=True, rank="display_order", sort=group_sort),
            ),
            "funder": (
                Funder.objects.public().filter(publications=pk),
                link_columns(translated=False, rank="display_order", sort="name"),
            ),
        },
        order_by=(PART, "rank", "sort", "id"),
    )


_LINKS = Prepared(_links, keep_plan=True)


def _shown_authors(authorships):
    """Each authorship's ShownAuthor (Authorship.display_name and profile_url), the
    profiles' address pattern looked up once: the page's line of authors and its
    schema.org data both read them."""
    person_url = slug_urls("groups:person_detail")
    shown = []
    for authorship in authorships:
        if authorship.person_id:
            person = authorship.person
            url = person_url(person.slug) if person.is_public else ""
            shown.append(ShownAuthor(person.full_name, url))
        else:
            shown.append(ShownAuthor(authorship.name, ""))
    return shown


def publication_detail(*, slug, preview=False, at=None):
    """One publication with authors, groups, topics and public funders.

    Staff may preview an unpublished publication (`preview=True`). Three queries: the
    publication (with the `has_<section>` flags of core.sections.annotations, so that
    sections_for skips a section with nothing to show), its authors
    (core.selectors.load_related), and its topics, published groups and public funders
    together (`_links`); templates read
    `publication.authorships.all` (and `.shown_authors`, ShownAuthor of each), and
    `.listed_topics`, `.public_groups` and `.public_funders`, plain records of each
    one's `id`, `slug` and names (`name`, and a group's in each language: `name_en`,
    `name_fr`). Each query's SQL is compiled once per process (core.prepared).
    """
    at = at or timezone.now()
    if preview:
        publication = _PREVIEW.get_or_404(slug=slug, at=at)
    else:
        publication = _PUBLICATION.get_or_404(slug=slug, at=at)
    publication.shown_authors = _shown_authors(load_related(publication, "authorships", _AUTHORS))
    links = union_rows(_LINKS.rows(pk=publication.pk, at=at))
    publication.listed_topics = links.get("topic", [])
    publication.public_groups = links.get("group", [])
    publication.public_funders = links.get("funder", [])
    return publication


# A publication's page shows this many related publications.
RELATED = 4


def _newest_ids(link, ids, at):
    """The ids of the RELATED + 1 newest published publications linked (`link`: "group"
    or "topic") to any of `ids`: one more than a page shows, for the page's own
    publication, which is among them when it is among the newest (related_publications
    leaves it out)."""
    through = getattr(Publication, f"{link}s").through
    return (
        Publication.objects.published(at=at)
        .filter(pk__in=through.objects.filter(**{f"{link}__among": ids}).values("publication_id"))
        .newest_first()
        .values("pk")[: RELATED + 1]
    )


# What a publication's line on a detail page shows (publication_lines: its title in each
# language and the language of its own text, kind, date and address), as the attributes
# of its plain record and the columns they are read from.
_LINE_COLUMNS = {
    "id": "id",
    "slug": "slug",
    "kind": "kind",
    "published_on": "published_on",
    "date_precision": "date_precision",
    "content_language": "language",
    "title": "title",
    **{
        build_localized_fieldname("title", code): build_localized_fieldname("title", code)
        for code in settings.MODELTRANSLATION_LANGUAGES
    },
}


def _related(groups, topics, at):
    """The RELATED + 1 newest by group and by topic (`groups`, `topics`: Ids, or None for
    none) in one query: each part's newest ids read by its own subquery (a compound
    statement's parts may not be sliced on SQLite), then their rows, each part's in the
    subquery's order (newest_first's: the date, then the title's column in the page's
    language, as modeltranslation orders by it, then the id)."""
    columns = {
        **_LINE_COLUMNS,
        "newest": NEWEST,
        "sort_title": build_localized_fieldname("title", get_language()),
    }
    parts = {}
    for link, ids in (("group", groups), ("topic", topics)):
        if ids is not None:
            newest = _newest_ids(link, ids, at)
            parts[link] = (Publication.objects.filter(pk__in=newest), columns)
    return union_all(parts, order_by=(PART, "-newest", "sort_title", "id"))


# Not a kept plan (core.prepared's keep_plan): PostgreSQL's generic plan, made without
# the ids, hashes every row of both links (1.7 ms on 1,000 publications against 0.2 ms
# for the plan of the values), and the best plan depends on how common a group or topic
# is; a page reads these rows from the cache instead (related_publications).
_RELATED = Prepared(_related)


def _newest_key(publication, title):
    """newest_first()'s order in Python (the title, `title(publication)`, compared as
    Python compares text)."""
    return (-(publication.published_on or datetime.date.min).toordinal(), title(publication))


def _related_candidates(groups, topics):
    """{"group": rows, "topic": rows} of `_related`, kept until content changes
    (core.cache.cached_value) under the groups' and topics' ids: every publication of the
    same groups and topics shows the same newest publications (but itself), so a crawler
    walking the archive's pages, each read once, finds them kept after the first page of
    the same groups and topics (about 1,200 combinations among the benchmark's 100,000
    publications); the page then reads them without planning and running a query."""
    key = ",".join(map(str, groups or ())) + ":" + ",".join(map(str, topics or ()))
    return cached_value(
        f"publications:related:{key}",
        lambda: union_rows(_RELATED.rows(groups=groups, topics=topics, at=timezone.now())),
    )


def related_publications(publication):
    """The RELATED newest other published publications from the same groups or on the
    same topics.

    The newest RELATED + 1 by group and by topic (`_related_candidates`: from the cache,
    else one query compiled once per process and language: core.prepared), each read by
    its own subquery, joined by UNION ALL (core.selectors.union_all), and merged here,
    the page's own publication left out: each subquery is planned for its own selectivity
    (a common group walks the newest-first index and stops; a rare one reads its few
    rows). One subquery with `groups OR topics` could not be: on 100,000 publications
    PostgreSQL hashed every row of both links for every page (13 ms), and walked the
    whole index for a rare group (90 ms). Each a plain record (SimpleNamespace) of
    `_LINE_COLUMNS`, for publication_lines.
    """
    groups = Ids(sorted(group.id for group in publication.public_groups)) or None
    topics = Ids(sorted(topic.id for topic in publication.listed_topics)) or None
    if groups is None and topics is None:
        return []
    candidates = {}
    for rows in _related_candidates(groups, topics).values():
        # Each part's newest RELATED but the publication itself (the rows are in order).
        for row in [row for row in rows if row.id != publication.pk][:RELATED]:
            candidates.setdefault(row.id, row)
    # The title as `row.title` reads it, its columns looked up once (publications.display).
    reader = Reader()
    columns = reader.columns(Publication, "title")

    def title(row):
        return reader.text(row, columns, "title")[0]

    return sorted(candidates.values(), key=lambda row: (*_newest_key(row, title), row.id))[:RELATED]


def publication_file(*, slug, preview=False):
    """A publication that has a file, for its download (404 otherwise)."""
    publications = Publication.objects.all() if preview else Publication.objects.published()
    return get_object_or_404(publications.without_text().exclude(file=""), slug=slug)


def publication_cover(*, slug, preview=False):
    """A publication that has a cover, for its cover and thumbnail (404 otherwise)."""
    publications = Publication.objects.all() if preview else Publication.objects.published()
    return get_object_or_404(publications.exclude(cover=""), slug=slug)


def for_export(publications):
    """What the citation exports read: ordered authors with people, and topics."""
    return publications.without_text().prefetch_related(
        Prefetch("authorships", queryset=ordered_authorships()), "topics"
    )


def for_citations(publication_ids):
    """The publications whose formatted citations are (re)computed, with what they read."""
    return (
        Publication.objects.filter(pk__in=publication_ids)
        .prefetch_related(Prefetch("authorships", queryset=ordered_authorships()))
        .defer("text", "body")
    )


def publication_for_export(*, slug, preview=False):
    publications = Publication.objects.all() if preview else Publication.objects.published()
    return get_object_or_404(for_export(publications), slug=slug)


# What the publication part of a shortlist (_shortlist_query) reads besides the
# columns it shares with the authors' and groups' parts (`id`, `slug`): the rest of
# what a row shows (_ROW_COLUMNS) and the date it is ordered by.
_SHORTLIST_MORE = (*(c for c in _ROW_COLUMNS if c not in ("id", "slug")), "day")


def _shortlist_query(publications, at):
    """A person's or a group's page: the newest SHORT_LIST+1 of `publications` with
    what their rows show (_ROW_COLUMNS) and the authors and published groups of each,
    in one query (core.selectors.union_all) rather than one for the rows and one for
    what they link to. The parts find the same publications by one sub-select (newest
    first, as Publication.newest_first orders them) and order them in the same way."""
    picked = publications.newest_first().values("pk")[: SHORT_LIST + 1]
    parts = _author_and_group_parts(
        Authorship.objects.filter(publication__in=picked),
        _public_groups(at).filter(publications__in=picked),
        more=_SHORTLIST_MORE,
    )
    # The rows' own columns, under the names the other parts give them (NULL where a
    # row has no such thing); first, so that the union's columns convert as a row's do.
    columns = dict.fromkeys(parts["author"][1])
    columns.update(
        listed_in="pk",
        id="pk",
        slug="slug",
        sort_text=build_localized_fieldname("title", get_language()),
        sort_number="pk",
        day=NEWEST,
        **{column: column for column in _SHORTLIST_MORE if column != "day"},
    )
    return union_all(
        {"publication": (Publication.objects.filter(pk__in=picked), columns), **parts},
        order_by=(PART, "rank", "-day", "sort_text", "sort_number"),
    )


def _shortlist(rows):
    """A Shortlist (core.selectors) of the publications of `_shortlist_query()`'s rows,
    as Publication records (core.selectors.records) with their `shown_authors` and
    `public_groups`."""
    parts = union_rows(rows)
    row = attrgetter(*_ROW_COLUMNS)  # a publication part's row as _ROW_COLUMNS' tuple
    publications = [row(record) for record in parts.get("publication", ())]
    shown = shortlist(records(publications, _ROW_COLUMNS, Publication, _ROW_TRANSLATED))
    _attach_authors_and_groups(shown.items, parts)
    return shown


def person_has_publications(at):
    """Whether the person of the query (`OuterRef("pk")`) is an author of published
    publications: for their page's query (core.sections.annotations)."""
    return Exists(
        Authorship.objects.filter(
            person=OuterRef("pk"), publication__in=Publication.objects.published(at=at)
        )
    )


_PERSON_PUBLICATIONS = Prepared(
    lambda person, at: _shortlist_query(
        Publication.objects.published(at=at).filter(
            pk__in=Authorship.objects.filter(person=person).values("publication_id")
        ),
        at,
    ),
    keep_plan=True,
)


def person_publications(person, at=None):
    """A person's newest published publications: a Shortlist (core.selectors), each
    with its `shown_authors` and `public_groups` (one query, compiled once per process:
    core.prepared)."""
    return _shortlist(_PERSON_PUBLICATIONS.rows(person=person.pk, at=at or timezone.now()))


def titles_for_person(person):
    """Every published publication a person authored, newest first, for their profile."""
    return list(
        Publication.objects.published()
        .filter(pk__in=Authorship.objects.filter(person=person).values("publication_id"))
        .newest_first()
        .only("title", "slug", "published_on", "date_precision", "language")
    )


_GROUP_PUBLICATIONS = Prepared(
    lambda group, at: _shortlist_query(
        Publication.objects.published(at=at).filter(groups=group), at
    )
)


def group_publications(group, at=None):
    """A group's newest published publications: a Shortlist (core.selectors), each with
    its `shown_authors` and `public_groups` (one query, compiled once per process:
    core.prepared)."""
    return _shortlist(_GROUP_PUBLICATIONS.rows(group=group.pk, at=at or timezone.now()))


_FUNDER_PUBLICATIONS = Prepared(
    lambda funder, at: (
        Publication.objects.published(at=at)
        .filter(funder_links__funder=funder)
        .order_by("funder_links__position", "funder_links__pk")
        .rewrite(False)  # the columns as named
        .values_list(*_LINE_COLUMNS.values())[: SHORT_LIST + 1]
    ),
    # The rows of one funder, found by its id in the links' index whatever their number:
    # PostgreSQL's plan for any funder is the same (core.prepared's keep_plan).
    keep_plan=True,
)


def funder_publications(funder, at=None):
    """The published publications that name this funder, in the funder's own order
    (set on its admin page): a Shortlist of plain records of `_LINE_COLUMNS`, for
    publication_lines (one query, compiled once per process: core.prepared)."""
    rows = _FUNDER_PUBLICATIONS.rows(funder=funder.pk, at=at or timezone.now())
    return shortlist(plain_records(rows, _LINE_COLUMNS))
