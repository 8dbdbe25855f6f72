"""The one search interface: parse, match, filter, count, facet, rank, page, suggest.

Every search costs a fixed number of queries whatever the data: the candidates (below,
read with their kind, publication kind and year, which the facets count in Python), one
for the groups' counts, one for the page of results (snippets included), and one for a
suggestion when nothing matched. Each is compiled once per process and shape
(core.prepared, core.prepared_pages), and results are plain values, not model
instances: the page's Python, not the database, was most of a search's CPU. Only visible
documents are ever read: the `published()` filter is part of every query, so nothing
unpublished reaches results, counts, facets, suggestions or snippets.

Broad terms. A word such as "health" is in nearly every record of the archive; ranking
and counting every match would read every record (seconds at 100,000 publications with
their PDF text). So the work is bounded: the first query reads the ids of at most
COUNT_LIMIT + 1 matches, newest first (an index on the date serves it, and stops after
that many rows however many records match). When there are more, the reader is told
"more than 1,000 results", and the results, their ranking and the facet counts are
those of the COUNT_LIMIT newest matches, which the page says in so many words. Below the
limit the candidates are all the matches: nothing changes for a precise search.
"""

import difflib
import functools
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from urllib.parse import quote_plus

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import get_language

from core.choices import choice_label
from core.i18n import in_page_language
from core.links import slug_urls_in
from core.lookups import Ids
from core.models import is_live
from core.prepared import Prepared
from core.prepared_pages import PreparedPages
from core.roles import may_preview
from groups.models import Group
from publications.models import PublicationKind
from search.backends import RESULT_COLUMNS, get_backend
from search.models import Kind, SearchDocument
from search.query import Query, fold, parse, words
from search.sources import source_for_kind, source_for_model, sources

PER_PAGE = 20
# Counting, ranking and facets stop here: "more than 1,000 results" says all a reader
# needs, and a broad word ("health") would otherwise rank and count the whole archive on
# every search. Past it, the newest COUNT_LIMIT matches are the results (module docstring).
COUNT_LIMIT = 1000
# The order of the candidates: newest first, undated (people, funders, pages) last; the
# migration 0003 index serves it on PostgreSQL.
NEWEST = (F("date").desc(nulls_last=True), "pk")
FACET_SIZE = 12
# Suggestions are drawn from the titles of this many visible documents at most.
SUGGESTION_CANDIDATES = 200
MAX_WORD = 30
FRENCH = "fr"


class Results:
    """A lazy, sliceable list of ranked results: what Django's Paginator pages through.

    `ids` are the candidates only (at most COUNT_LIMIT): their number is known."""

    def __init__(self, backend, ids, query, by_date, count, language):
        self.backend = backend
        self.ids = ids
        self.query = query
        self.by_date = by_date
        self._count = count
        self.language = language

    def count(self):
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if window.stop - (window.start or 0) <= 0:
            return []  # an empty result's page: nothing to read
        rows = self.backend.page(
            self.ids,
            self.query,
            offset=window.start or 0,
            limit=window.stop - (window.start or 0),
            by_date=self.by_date,
            french=self.language == FRENCH,
        )
        address = addresses(self.language)
        # The kinds' labels in the active language (as the template's lookups gave them).
        label = functools.partial(choice_label, Kind, language=get_language())
        return [
            Result(values, snippet, snippet_fr, self.language, address, label)
            for values, snippet, snippet_fr in rows
        ]


class Result:
    """A result as a page in `language` shows it (plain values, not a SearchDocument:
    search.backends.RESULT_COLUMNS): on a French page the French title and snippet
    where the record has them (the backend chose the snippet), else its own, each with
    the `lang` attribute of the language it is in (`title_lang`, `snippet_lang`), its
    kind's label (`kind_label`, looked up once per language: core/choices.py) and its
    address in the page's language (`shown_url`)."""

    __slots__ = (
        *RESULT_COLUMNS, "snippet", "snippet_fr", "kind_label", "shown_title", "title_lang",
        "snippet_lang", "shown_url",
    )  # fmt: skip

    def __init__(self, values, snippet, snippet_fr, language, address, label):
        (
            self.id, self.kind, self.title, self.title_fr, self.url, self.date, self.language,
            self.year, self.status, self.publish_at, self.expire_at,
        ) = values  # fmt: skip
        self.snippet, self.snippet_fr = snippet, snippet_fr
        self.kind_label = label(self.kind)
        french_title = language == FRENCH and bool(self.title_fr)
        self.shown_title = self.title_fr if french_title else self.title
        self.title_lang = _lang(FRENCH if french_title else self.language, language)
        self.snippet_lang = _lang(FRENCH if snippet_fr else self.language, language)
        self.shown_url = address(self.kind, self.url)

    def __str__(self):
        return self.title

    @property
    def pk(self):
        return self.id

    @property
    def is_public(self):
        """`published()` for this one document (results marked in a staff preview)."""
        return is_live(self)


@functools.lru_cache(maxsize=16)
def _lang(language, page_language):
    """` lang="xx"` when a text's language is not the page's (as `{% lang_of %}`)."""
    if language.split("-")[0].lower() == page_language.split("-")[0].lower():
        return ""
    return format_html(' lang="{}"', language)


def addresses(language):
    """A function giving a result's address in `language` from its kind and its address
    in the default language (what the index keeps), as `core.i18n.in_page_language`
    gives it: from its kind's URL pattern reversed once (core.links), rather than the
    address resolved and reversed for each result."""
    if language == settings.LANGUAGE_CODE:
        return lambda kind, url: url
    by_kind = {}

    def address(kind, url):
        localised = by_kind.get(kind)
        if localised is None:
            viewname = getattr(_source(kind), "viewname", "")
            localised = by_kind[kind] = slug_urls_in(viewname, language) if viewname else _none
        found = localised(url)
        if found is None:
            with translation.override(language):
                return in_page_language(url)
        return found

    return address


def _none(url):
    return None


def _source(kind):
    try:
        return source_for_kind(kind)
    except KeyError:
        return None


@dataclass
class Search:
    query: Query
    page: object = None
    # True when more than COUNT_LIMIT documents match: the results are the newest
    # COUNT_LIMIT of them (ranked, counted and faceted), and the page says so.
    more: bool = False
    facets: dict = field(default_factory=dict)
    suggestion: str = ""
    # The kinds whose unpublished records are included (a staff preview; none by default).
    preview: tuple = ()

    @property
    def suggestion_quoted(self):
        return quote_plus(self.suggestion)

    @property
    def count(self):
        return self.page.paginator.count if self.page else 0

    @property
    def limit(self):
        return COUNT_LIMIT


def visible_documents(preview=(), at=None):
    """The published documents (at `at`, by default now), and every document of the
    kinds in `preview`."""
    documents = SearchDocument.objects.published(at=at)
    if preview:
        documents = documents | SearchDocument.objects.filter(kind__in=preview)
    return documents


def previewable_kinds(user):
    """The kinds of content whose unpublished records `user` may see in results: those
    whose public page previews a record to staff, and only as `may_preview` allows."""
    return tuple(
        source.kind
        for source in sources()
        if source.previewable and may_preview(user, source.model)
    )


def search(
    text,
    *,
    kind="",
    publication_kind="",
    group="",
    year=None,
    sort="",
    page=1,
    preview=(),
    language=None,
):
    """Search the visible documents (and the unpublished ones of the kinds in `preview`:
    only ever `previewable_kinds()` of a staff user who asked); `page` may be anything a
    reader typed. Results are shown in `language` (the active one by default): French
    titles and snippets where records have them on a French page."""
    language = language or get_language() or settings.LANGUAGE_CODE
    query = parse(text)
    if not query:
        return Search(query=query)
    backend = get_backend()
    at = timezone.now()
    # One query, bounded however broad the term: the newest matches (module docstring),
    # with what the facets count.
    rows = _CANDIDATES.page(
        0,
        COUNT_LIMIT + 1,
        at=at,
        preview=tuple(preview),
        kind=kind or None,
        publication_kind=publication_kind or None,
        # The year as the one of `Ids`: `year=year` would not be prepared (for the int
        # stand-in, out of the small field's range, the ORM answers "no rows" without
        # SQL; and it gives PostgreSQL's driver the value wrapped), `__among` passes it as
        # is (core.lookups).
        year=Ids([year]) if year else None,
        group=group or None,
        **backend.match_terms(query),
    )
    candidates = rows[:COUNT_LIMIT]
    shown = Ids(map(itemgetter(0), candidates))
    results = Results(
        backend,
        shown,
        query,
        by_date=sort == "date",
        count=len(shown),
        language=language,
    )
    found = Search(
        query=query,
        page=Paginator(results, PER_PAGE).get_page(page),
        more=len(rows) > COUNT_LIMIT,
        facets=facets(candidates, shown, at) if candidates else {},
        preview=tuple(preview),
    )
    if not found.count:
        found.suggestion = suggest(backend, query)
    return found


def _candidates(*, at, preview, kind, publication_kind, year, group, **terms):
    """The ids of the visible documents matching `terms` (the backend's values of a
    query) and the filters given (None: not filtered; `year` an `Ids` of one), newest
    first."""
    documents = get_backend().matching(visible_documents(preview, at), **terms)
    if kind is not None:
        documents = documents.filter(kind=kind)
    if publication_kind is not None:
        documents = documents.filter(publication_kind=publication_kind)
    if year is not None:
        documents = documents.filter(year__among=year)
    if group is not None:
        through = SearchDocument.groups.through.objects.filter(
            group__slug=group, group__in=Group.objects.published(at=at)
        )
        documents = documents.filter(pk__in=through.values("searchdocument_id"))
    return documents.order_by(*NEWEST).values_list("pk", "kind", "publication_kind", "year")


# The candidates, compiled once per process, language and shape (which filters,
# exclusions or not, how many kinds a preview adds: up to some 200 shapes, hence
# `max_plans`); read as a page whose length (COUNT_LIMIT + 1) is a parameter:
# core.prepared_pages.
_CANDIDATES = PreparedPages(_candidates, max_plans=256)


def facets(candidates, ids, at=None):
    """Counts per kind, publication kind, year and group, over the `candidates` (their
    rows: id, kind, publication kind, year) whose ids are `ids` (an `Ids`:
    core/lookups.py): the first three counted here from the rows already read, the
    groups by one query compiled once per process (core.prepared)."""
    by_count = lambda row: (-row[2], row[1] or row[0])  # noqa: E731
    kinds = Counter(map(itemgetter(1), candidates))
    publication_kinds = Counter(map(itemgetter(2), candidates))
    publication_kinds.pop("", None)
    years = Counter(map(itemgetter(3), candidates))
    years.pop(None, None)
    groups = _GROUP_COUNTS.rows(ids=ids, at=at or timezone.now())
    return {
        "kind": [
            (value, choice_label(Kind, value), n)
            for value, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        ],
        "ptype": [
            (value, _publication_kind_label(value), n)
            for value, n in sorted(publication_kinds.items(), key=lambda item: (-item[1], item[0]))
        ],
        "year": [(str(year), str(year), n) for year, n in sorted(years.items(), reverse=True)][
            :FACET_SIZE
        ],
        "group": sorted(groups, key=by_count)[:FACET_SIZE],
    }


def _publication_kind_label(value):
    """The kind's label ("" for a value no longer among the kinds)."""
    label = choice_label(PublicationKind, value)
    return "" if label == value and value not in PublicationKind.values else label


# Each published group of the candidates with how many of them it holds: driven from
# the candidates' links to their groups (the links' unique index on the document id):
# starting from the documents, PostgreSQL chose to scan an index of every document for
# the 1,000 ids (70 ms at 100,000 publications). (`searchdocument__id`, not the foreign
# key `searchdocument_id`: the same column, without the ORM checking each of the 1,000
# ids as a related object.)
_GROUP_COUNTS = Prepared(
    lambda ids, at: (
        SearchDocument.groups.through.objects.filter(
            searchdocument__id__among=ids, group__in=Group.objects.published(at=at)
        )
        .values_list("group__slug", "group__name")
        .annotate(n=Count("searchdocument_id"))
        .order_by()
    )
)


def suggest(backend, query):
    """A corrected query from the words of visible titles (English and French) near the
    reader's words ("" when none is better)."""
    # Words people mistype are short; a long run of letters is no word to correct.
    typed = [word for word in query.all_words if len(word) <= MAX_WORD][:5]
    if not typed:
        return ""
    # Candidates: visible titles (either language) sharing three letters in a row with a
    # typed word.
    trigrams = sorted(
        {word.lower()[i : i + 3] for word in typed for i in range(max(1, len(word) - 2))}
    )
    titles = backend.suggestion_titles(visible_documents(), trigrams, SUGGESTION_CANDIDATES)
    vocabulary = {fold(word): word.lower() for title in titles for word in words(title)}
    corrected = []
    changed = False
    for word in typed:
        folded = fold(word)
        if folded in vocabulary:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=0.75)
        if close:
            corrected.append(vocabulary[close[0]])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


def matching_ids(model, text):
    """The ids of `model`'s public records matching `text`, bounded as a search is
    (core.search's hook for the lists' keyword boxes): `(ids, more, COUNT_LIMIT)`, at most
    COUNT_LIMIT ids, newest first, and whether more match; None when `text` holds no word.
    One query, served like a search's candidates (a rare word by the GIN index, a broad
    one by the newest-first index, stopping after COUNT_LIMIT + 1 rows)."""
    source = source_for_model(model)
    query = parse(text)
    if source is None or not query:
        return None
    documents = get_backend().match(SearchDocument.objects.published(), query)
    documents = documents.filter(kind=source.kind).order_by(*NEWEST)
    ids = list(documents.values_list("object_id", flat=True)[: COUNT_LIMIT + 1])
    return ids[:COUNT_LIMIT], len(ids) > COUNT_LIMIT, COUNT_LIMIT
