"""PostgreSQL: weighted tsvectors, a GIN index, ts_rank on a small vector, ts_headline.

Migration 0002 adds to `search_searchdocument` two columns the ORM does not manage:
`vector` (title A, lead B, body C, PDF text D: what is matched, GIN-indexed) and
`rank_vector` (title A and the start of the lead B: what is ranked). Ranking reads a
small vector, so a broad term that matches nearly every record does not read every
record's whole text. Both are built with the text search configuration of the record's
language: `jli_en` or `jli_fr`, the English or French stemmer after `unaccent` (a
configuration, not `unaccent()` in an index expression, which is not immutable).

The reader's words reach `to_tsquery` as parameters, never in the SQL; the query
language is compiled to tsquery syntax from words made only of letters and digits.
"""

from django.db import connection
from django.db.models import BooleanField, F, FloatField, TextField
from django.db.models.expressions import RawSQL

from core.prepared_pages import PreparedPages
from search.backends import RESULT_COLUMNS
from search.models import SearchDocument
from search.text import START, STOP, marked

CONFIG = (
    "(CASE search_searchdocument.language WHEN 'fr' THEN 'jli_fr' ELSE 'jli_en' END)::regconfig"
)
HEADLINE_SOURCE = 50_000
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=2"

# Both vectors of the documents with these ids: the record's own texts in its language's
# configuration, then its French version's (if any) in jli_fr with the same weights, so a
# record is found by either and ranked alike. The PDF's text is cut at 400,000
# characters: a tsvector holds at most 1 MB.
_REFRESH = """
UPDATE search_searchdocument AS d SET
  vector = setweight(to_tsvector(c.config, d.title), 'A')
        || setweight(to_tsvector(c.config, d.lead), 'B')
        || setweight(to_tsvector(c.config, d.body), 'C')
        || setweight(to_tsvector(c.config, left(d.extra, 400000)), 'D')
        || setweight(to_tsvector('jli_fr', d.title_fr), 'A')
        || setweight(to_tsvector('jli_fr', d.lead_fr), 'B')
        || setweight(to_tsvector('jli_fr', d.body_fr), 'C'),
  rank_vector = setweight(to_tsvector(c.config, d.title), 'A')
        || setweight(to_tsvector(c.config, left(d.lead, 2000)), 'B')
        || setweight(to_tsvector('jli_fr', d.title_fr), 'A')
        || setweight(to_tsvector('jli_fr', left(d.lead_fr, 2000)), 'B')
FROM (
  SELECT id, CASE language WHEN 'fr' THEN 'jli_fr'::regconfig ELSE 'jli_en'::regconfig END
    AS config
  FROM search_searchdocument WHERE id = ANY(%s)
) AS c
WHERE d.id = c.id
"""


def _raw(sql, params, output_field):
    """SQL of this module's constants; the reader's words only ever in `params`."""
    return RawSQL(sql, params, output_field=output_field)  # noqa: S611  # nosec B611


def _term(term):
    if term.is_phrase:
        return "(" + " <-> ".join(f"'{word}'" for word in term.words) + ")"
    return f"'{term.words[0]}'" + (":*" if term.prefix else "")


def tsquery_text(terms_by_clause):
    return " & ".join(
        "(" + " | ".join(_term(term) for term in clause) + ")" for clause in terms_by_clause
    )


def terms(query):
    """The tsquery texts of a parsed query: what it wants and what it excludes (None)."""
    positive = tsquery_text(query.clauses)
    negative = tsquery_text([query.excluded]) if query.excluded else None
    return {"positive": positive, "negative": negative}


def tsquery_sql(positive, negative):
    """The SQL of the tsquery of `terms()`, and its parameters."""
    sql = "(to_tsquery('jli_en', %s) || to_tsquery('jli_fr', %s))"
    params = [positive, positive]
    if negative is not None:
        sql = f"({sql} && !!(to_tsquery('jli_en', %s) || to_tsquery('jli_fr', %s)))"
        params += [negative, negative]
    return sql, params


def tsquery(query):
    """The SQL of the tsquery of a parsed query, and its parameters."""
    return tsquery_sql(**terms(query))


def _headline(sql, params):
    """The SQL of a result's snippet, cut from its own texts, and its parameters.

    ts_headline parses all the text it is given, about 1.5 ms for a PDF's 7,500
    characters, 10 ms for 50,000: on a page of a broad term, most of the page's time. So
    it is given the shortest text that shows the match: the lead and body (the abstract,
    the description: a few hundred characters) when they hold a query word; the start of
    the lead when only the title (or the French version) does, which `rank_vector` says
    without parsing anything; and the PDF's text only when the match is there.
    """
    document = "search_searchdocument"
    texts = f"left(btrim({document}.lead || ' ' || {document}.body), {HEADLINE_SOURCE})"
    everything = (
        f"left({document}.lead || ' ' || {document}.body || ' ' || {document}.extra, "
        f"{HEADLINE_SOURCE})"
    )
    lead_start = f"left({document}.lead, 2000)"
    options = HEADLINE_OPTIONS
    return (
        f"CASE WHEN to_tsvector({CONFIG}, {texts}) @@ {sql} "
        f"THEN ts_headline({CONFIG}, {texts}, {sql}, %s) "
        f"WHEN {document}.rank_vector @@ {sql} THEN ts_headline({CONFIG}, {lead_start}, {sql}, %s) "
        f"ELSE ts_headline({CONFIG}, {everything}, {sql}, %s) END"
    ), [*params, *params, options, *params, *params, options, *params, options]


class PostgresBackend:
    vendor = "postgresql"

    def refresh(self, ids):
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH, [list(ids)])

    def remove(self, ids):
        """Nothing to do: the vectors go with their rows."""

    def clear(self):
        """Nothing to do: the vectors go with their rows."""

    def match(self, documents, query):
        return self.matching(documents, **self.match_terms(query))

    def match_terms(self, query):
        """The values `matching()` takes for `query`: its tsquery texts."""
        return terms(query)

    def matching(self, documents, *, positive, negative):
        sql, params = tsquery_sql(positive, negative)
        return documents.filter(_raw(f"vector @@ {sql}", params, BooleanField()))

    def suggestion_titles(self, documents, trigrams, limit):
        """Titles, in English or French, holding one of `trigrams` (ILIKE, served by the
        trigram indexes on both titles)."""
        patterns = [f"%{trigram}%" for trigram in trigrams]
        condition = " OR ".join(
            ["title ILIKE %s"] * len(trigrams) + ["title_fr ILIKE %s"] * len(trigrams)
        )
        close = documents.filter(_raw(f"({condition})", patterns * 2, BooleanField()))
        rows = close.values_list("title", "title_fr")[:limit]
        return [title for row in rows for title in row if title]

    def page(self, ids, query, *, offset, limit, by_date, french=False):
        """One page of the documents `ids` (an `Ids` of matches), ranked, with headlines:
        each row its RESULT_COLUMNS' values, its snippet, and whether the snippet is cut
        from the record's French texts. One query, compiled once per process and shape
        (core.prepared_pages)."""
        rows = _PAGES.page(
            offset, offset + limit, ids=ids, by_date=by_date, french=french, **terms(query)
        )
        # Each row: the columns, the headline, and on a French page the flag `snippet_fr`.
        count = len(RESULT_COLUMNS)
        return [(row[:count], marked(row[count]), french and bool(row[count + 1])) for row in rows]


def _page(*, ids, positive, negative, by_date, french):
    """The ranked documents `ids` with their headlines, as plain values.

    ts_headline is costly (it parses the text again): PostgreSQL evaluates it after the
    sort and the LIMIT, so only for the rows of the page. For a French page (`french`),
    the headline is cut from the record's French texts when they hold a query word
    (`snippet_fr`), else from its own texts, which show the match.
    """
    sql, params = tsquery_sql(positive, negative)
    rank = _raw(
        f"ts_rank(search_searchdocument.rank_vector, {sql})", params, output_field=FloatField()
    )
    headline_sql, headline_params = _headline(sql, params)
    annotations = {}
    if french:
        french_source = (
            "left(btrim(search_searchdocument.lead_fr || ' ' || search_searchdocument.body_fr),"
            f" {HEADLINE_SOURCE})"
        )
        french_hit = (
            "(search_searchdocument.lead_fr <> '' OR search_searchdocument.body_fr <> '') "
            f"AND to_tsvector('jli_fr', {french_source}) @@ {sql}"
        )
        annotations["snippet_fr"] = _raw(french_hit, params, BooleanField())
        headline_sql = (
            f"CASE WHEN {french_hit} THEN ts_headline('jli_fr', {french_source}, {sql}, %s) "
            f"ELSE {headline_sql} END"
        )
        headline_params = [*params, *params, HEADLINE_OPTIONS, *headline_params]
    headline = _raw(headline_sql, headline_params, TextField())
    # Undated documents last, as on SQLite (PostgreSQL puts NULLs first when descending).
    newest = F("date").desc(nulls_last=True)
    order = (newest, "-rank", "pk") if by_date else ("-rank", newest, "pk")
    return (
        SearchDocument.objects.filter(pk__among=ids)
        .annotate(rank=rank, headline=headline, **annotations)
        .order_by(*order)
        .values_list(*RESULT_COLUMNS, "headline", *annotations)
    )


# A page of results: one plan per shape (exclusions or not, French or not, the order).
_PAGES = PreparedPages(_page)
