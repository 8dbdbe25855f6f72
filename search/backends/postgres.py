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

from search.text import START, STOP, marked

CONFIG = (
    "(CASE search_searchdocument.language WHEN 'fr' THEN 'jli_fr' ELSE 'jli_en' END)::regconfig"
)
HEADLINE_SOURCE = 50_000
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=2"

# Both vectors of the documents with these ids, each in its language's configuration.
# The PDF's text is cut at 400,000 characters: a tsvector holds at most 1 MB.
_REFRESH = """
UPDATE search_searchdocument AS d SET
  vector = setweight(to_tsvector(c.config, d.title), 'A')
        || setweight(to_tsvector(c.config, d.lead), 'B')
        || setweight(to_tsvector(c.config, d.body), 'C')
        || setweight(to_tsvector(c.config, left(d.extra, 400000)), 'D'),
  rank_vector = setweight(to_tsvector(c.config, d.title), 'A')
        || setweight(to_tsvector(c.config, left(d.lead, 2000)), 'B')
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


def tsquery(query):
    """The SQL of the tsquery of a parsed query, and its parameters."""
    sql = "(to_tsquery('jli_en', %s) || to_tsquery('jli_fr', %s))"
    positive = tsquery_text(query.clauses)
    params = [positive, positive]
    if query.excluded:
        negative = tsquery_text([query.excluded])
        sql = f"({sql} && !!(to_tsquery('jli_en', %s) || to_tsquery('jli_fr', %s)))"
        params += [negative, negative]
    return sql, params


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
        sql, params = tsquery(query)
        return documents.filter(_raw(f"vector @@ {sql}", params, BooleanField()))

    def suggestion_titles(self, documents, trigrams, limit):
        """Titles holding one of `trigrams` (ILIKE, served by the trigram index on titles)."""
        condition = " OR ".join(["title ILIKE %s"] * len(trigrams))
        patterns = [f"%{trigram}%" for trigram in trigrams]
        close = documents.filter(_raw(f"({condition})", patterns, BooleanField()))
        return list(close.values_list("title", flat=True)[:limit])

    def page(self, documents, query, *, offset, limit, by_date):
        """One page of `documents` (already narrowed by match()), ranked, with headlines.

        ts_headline is costly (it parses the text again): PostgreSQL evaluates it after
        the sort and the LIMIT, so only for the rows of the page.
        """
        sql, params = tsquery(query)
        rank = _raw(
            f"ts_rank(search_searchdocument.rank_vector, {sql})", params, output_field=FloatField()
        )
        source = (
            f"left(search_searchdocument.lead || ' ' || search_searchdocument.body || ' ' "
            f"|| search_searchdocument.extra, {HEADLINE_SOURCE})"
        )
        headline = _raw(
            f"ts_headline({CONFIG}, {source}, {sql}, %s)",
            [*params, HEADLINE_OPTIONS],
            TextField(),
        )
        # Undated documents last, as on SQLite (PostgreSQL puts NULLs first when descending).
        newest = F("date").desc(nulls_last=True)
        order = (newest, "-rank", "pk") if by_date else ("-rank", newest, "pk")
        rows = list(
            documents.annotate(rank=rank, headline=headline)
            .defer("lead", "body", "extra")
            .order_by(*order)[offset : offset + limit]
        )
        for row in rows:
            row.snippet = marked(row.headline)
        return rows
