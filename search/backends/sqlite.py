"""SQLite: an FTS5 table of stemmed text, ranked by bm25, snippets made in Python.

`search_fts` (migration 0002) holds, per document id (its rowid), the title, lead, body
and extra texts with every word folded (no accents, lower case) and stemmed in the
record's language by snowballstemmer; the query's words get the same treatment in both
languages. Only quoted stems reach FTS5's MATCH, so its syntax errors cannot happen.
"""

import json

from django.db import connection
from django.db.models import IntegerField, Q
from django.db.models.expressions import RawSQL

from search.backends import RESULT_COLUMNS
from search.models import SearchDocument
from search.query import fold
from search.text import (
    LANGUAGES,
    matcher,
    snippet,
    snippet_and_hit,
    stem,
    stemmed_text,
    stems_any_language,
)


def _raw(sql, params, output_field):
    """SQL of this module's constants; the reader's words only ever in `params`."""
    return RawSQL(sql, params, output_field=output_field)  # noqa: S611  # nosec B611


def _quoted(text):
    return '"' + text.replace('"', '""') + '"'


def _term(term):
    if term.is_phrase:
        languages = {" ".join(stem(word, lang) for word in term.words) for lang in LANGUAGES}
        options = [_quoted(phrase) for phrase in sorted(languages)]
    else:
        options = [_quoted(word) for word in sorted(stems_any_language(term.words[0]))]
        if term.prefix:
            options.append(_quoted(fold(term.words[0])) + "*")
    return "(" + " OR ".join(options) + ")"


def _both(own, french, language):
    """A column's text: the record's own stemmed in its language, its French version's in
    French."""
    return " ".join(filter(None, [stemmed_text(own, language), stemmed_text(french, "fr")]))


def fts_query(query):
    """The FTS5 expression of a parsed query."""
    clauses = ["(" + " OR ".join(_term(term) for term in clause) + ")" for clause in query.clauses]
    expression = " AND ".join(clauses)
    if query.excluded:
        expression += " NOT (" + " OR ".join(_term(term) for term in query.excluded) + ")"
    return expression


class SqliteBackend:
    vendor = "sqlite"

    def refresh(self, ids):
        documents = SearchDocument.objects.filter(pk__in=ids).values_list(
            "pk", "language", "title", "lead", "body", "extra", "title_fr", "lead_fr", "body_fr"
        )
        # Each column holds the record's own text stemmed in its language, then its French
        # version's stemmed in French: found by either, with the column's weight.
        rows = [
            (
                pk,
                _both(title, title_fr, language),
                _both(lead, lead_fr, language),
                _both(body, body_fr, language),
                stemmed_text(extra, language),
            )
            for pk, language, title, lead, body, extra, title_fr, lead_fr, body_fr in documents
        ]
        with connection.cursor() as cursor:
            self._delete(cursor, ids)
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, lead, body, extra) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )

    def remove(self, ids):
        with connection.cursor() as cursor:
            self._delete(cursor, ids)

    def _delete(self, cursor, ids):
        cursor.execute(
            "DELETE FROM search_fts WHERE rowid IN (SELECT value FROM json_each(%s))",
            [json.dumps(list(ids))],
        )

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def match(self, documents, query):
        return self.matching(documents, **self.match_terms(query))

    def match_terms(self, query):
        """The values `matching()` takes for `query`: its FTS5 expression."""
        return {"expression": fts_query(query)}

    def matching(self, documents, *, expression):
        # A subquery of ids: Django aliases the outer table as it needs (joins, subqueries).
        matching = _raw(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", (expression,), IntegerField()
        )
        return documents.filter(pk__in=matching)

    def suggestion_titles(self, documents, trigrams, limit):
        """Titles, in English or French, holding one of `trigrams` (a scan: SQLite sites
        are small)."""
        condition = Q()
        for trigram in trigrams:
            condition |= Q(title__icontains=trigram) | Q(title_fr__icontains=trigram)
        rows = documents.filter(condition).values_list("title", "title_fr")[:limit]
        return [title for row in rows for title in row if title]

    def page(self, ids, query, *, offset, limit, by_date, french=False):
        """One page of the documents `ids` (an `Ids` of matches), ranked, with snippets:
        each row its RESULT_COLUMNS' values, its snippet, and whether the snippet is cut
        from the record's French texts.

        For a French page (`french`), the snippet is cut from the record's French texts
        when they hold a query word, else from its own texts.

        One query joining the FTS table once: bm25 is computed in the same scan as the
        match (a correlated subquery per row would repeat the match for every row). Its
        text is fixed (the ids are one JSON parameter: core.lookups), and its rows are
        read as plain values.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                _PAGE_BY_DATE if by_date else _PAGE_BY_RANK,
                [fts_query(query), ids.parameter(connection.vendor), limit, offset],
            )
            rows = cursor.fetchall()
        matches = matcher(query)
        count = len(RESULT_COLUMNS)
        convert = connection.ops.convert_datetimefield_value
        shown = []
        for row in rows:
            values = list(row[:count])
            # The cursor gives the declared `datetime` columns naive (in UTC): as the ORM
            # reads them, aware.
            for index in _DATETIMES:
                values[index] = convert(values[index], None, connection)
            lead, body, extra, lead_fr, body_fr, _rank = row[count:]
            text, in_french = "", False
            if french and (lead_fr or body_fr):
                text, in_french = snippet_and_hit([lead_fr, body_fr], query, matches=matches)
            if not in_french:
                text = snippet([lead, body, extra], query, matches=matches)
            shown.append((tuple(values), text, in_french))
        return shown


_DATETIMES = (RESULT_COLUMNS.index("publish_at"), RESULT_COLUMNS.index("expire_at"))
_PAGE = (
    "SELECT {columns}, d.lead, d.body, d.extra, d.lead_fr, d.body_fr, "
    "bm25(search_fts, 10.0, 4.0, 2.0, 1.0) AS rank "
    "FROM search_searchdocument AS d JOIN search_fts ON search_fts.rowid = d.id "
    "WHERE search_fts MATCH %s AND d.id IN (SELECT value FROM json_each(%s)) "
    "ORDER BY {order} LIMIT %s OFFSET %s"
)
_COLUMNS = ", ".join(f"d.{column}" for column in RESULT_COLUMNS)
_PAGE_BY_RANK = _PAGE.format(columns=_COLUMNS, order="rank, d.date DESC, d.id")
_PAGE_BY_DATE = _PAGE.format(columns=_COLUMNS, order="d.date IS NULL, d.date DESC, rank, d.id")
