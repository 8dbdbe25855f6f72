"""The one search interface: parse, match, filter, count, facet, rank, page, suggest.

Every search costs a fixed number of queries whatever the data: the candidates (below),
one for the facets (their four counts joined by UNION ALL), one for the page of results
(snippets included), and one for a suggestion when nothing matched. Only visible
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
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Cast
from django.utils.html import format_html
from django.utils.translation import get_language

from core.choices import choice_label
from core.lookups import Ids
from core.roles import may_preview
from groups.models import Group
from publications.models import PublicationKind
from search.backends import get_backend
from search.models import Kind, SearchDocument
from search.query import Query, fold, parse, words
from search.sources import source_for_model, sources

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

    `documents` holds the candidates only (at most COUNT_LIMIT): their number is known."""

    def __init__(self, backend, documents, query, by_date, count, language):
        self.backend = backend
        self.documents = documents
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
            self.documents,
            self.query,
            offset=window.start or 0,
            limit=window.stop - (window.start or 0),
            by_date=self.by_date,
            french=self.language == FRENCH,
        )
        return [shown_in(row, self.language) for row in rows]


def _lang(language, page_language):
    """` lang="xx"` when a text's language is not the page's (as `{% lang_of %}`)."""
    if language.split("-")[0].lower() == page_language.split("-")[0].lower():
        return ""
    return format_html(' lang="{}"', language)


def shown_in(row, language):
    """A result as a page in `language` shows it: on a French page the French title and
    snippet where the record has them (the backend chose the snippet), else its own, each
    with the `lang` attribute of the language it is in (`title_lang`, `snippet_lang`),
    and its kind's label (`kind_label`, looked up once per language: core/choices.py)."""
    row.kind_label = choice_label(Kind, row.kind)
    french_title = language == FRENCH and bool(row.title_fr)
    row.shown_title = row.title_fr if french_title else row.title
    row.title_lang = _lang(FRENCH if french_title else row.language, language)
    row.snippet_lang = _lang(FRENCH if row.snippet_fr else row.language, language)
    return row


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


def visible_documents(preview=()):
    """The published documents, and every document of the kinds in `preview`."""
    documents = SearchDocument.objects.published()
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
    documents = backend.match(visible_documents(tuple(preview)), query)
    if kind:
        documents = documents.filter(kind=kind)
    if publication_kind:
        documents = documents.filter(publication_kind=publication_kind)
    if year:
        documents = documents.filter(year=year)
    if group:
        through = SearchDocument.groups.through.objects.filter(
            group__slug=group, group__in=Group.objects.published()
        )
        documents = documents.filter(pk__in=through.values("searchdocument_id"))
    # One query, bounded however broad the term: the newest matches (module docstring).
    ids = list(documents.order_by(*NEWEST).values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    shown = Ids(ids[:COUNT_LIMIT])
    candidates = SearchDocument.objects.filter(pk__among=shown)
    results = Results(
        backend,
        candidates,
        query,
        by_date=sort == "date",
        count=min(len(ids), COUNT_LIMIT),
        language=language,
    )
    found = Search(
        query=query,
        page=Paginator(results, PER_PAGE).get_page(page),
        more=len(ids) > COUNT_LIMIT,
        facets=facets(shown) if ids else {},
        preview=tuple(preview),
    )
    if not found.count:
        found.suggestion = suggest(backend, query)
    return found


def facets(ids):
    """Counts per kind, publication kind, year and group, over the candidates `ids`
    (an `Ids`: core/lookups.py): one query, the four counts joined by UNION ALL."""
    documents = SearchDocument.objects.filter(pk__among=ids)
    # Driven from the candidates' links to their groups (the links' unique index on the
    # document id): starting from the documents, PostgreSQL chose to scan an index of
    # every document for the 1,000 ids (70 ms at 100,000 publications).
    # (`searchdocument__id`, not the foreign key `searchdocument_id`: the same column,
    # without the ORM checking each of the 1,000 ids as a related object.)
    links = SearchDocument.groups.through.objects.filter(
        searchdocument__id__among=ids, group__in=Group.objects.published()
    )
    counts = _counted(documents, "kind", F("kind")).union(
        _counted(documents.exclude(publication_kind=""), "ptype", F("publication_kind")),
        _counted(documents.exclude(year=None), "year", Cast("year", CharField())),
        _counted(links, "group", F("group__slug"), F("group__name"), "searchdocument_id"),
        all=True,
    )
    found = {"kind": [], "ptype": [], "year": [], "group": []}
    for row in counts:
        found[row["facet"]].append((row["value"], row["label"], row["n"]))
    kinds, publication_kinds = dict(Kind.choices), dict(PublicationKind.choices)
    by_count = lambda row: (-row[2], row[1] or row[0])  # noqa: E731
    return {
        "kind": [
            (value, kinds.get(value, value), n)
            for value, _, n in sorted(found["kind"], key=by_count)
        ],
        "ptype": [
            (value, publication_kinds.get(value, ""), n)
            for value, _, n in sorted(found["ptype"], key=by_count)
        ],
        "year": [
            (value, value, n) for value, _, n in sorted(found["year"], key=lambda row: -int(row[0]))
        ][:FACET_SIZE],
        "group": sorted(found["group"], key=by_count)[:FACET_SIZE],
    }


def _counted(rows, facet, value, label=None, counting="pk"):
    """`rows` counted by `value` (and `label`), as the (facet, value, label, n) rows of
    `facets()`'s union."""
    return (
        rows.values(facet=Value(facet), value=value, label=label or Value(""))
        .annotate(n=Count(counting))
        .order_by()
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
