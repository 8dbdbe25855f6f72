"""The two full-text backends behind one interface, chosen by the database vendor.

A backend keeps its full-text structure in step with `SearchDocument` rows
(`refresh`, `remove`), narrows a queryset of documents to those matching a parsed query
(`match`: one SQL condition, so counts and facets stay plain ORM; `match_terms` and
`matching` are the same in two steps, the reader's words as the values a prepared query
takes: core.prepared), and reads one page of ranked results with their snippets
(`page`: one query, plain rows of RESULT_COLUMNS).
"""

from django.db import connection

# What a result shows, in the order of a `page()` row's values (search.engine.Result).
RESULT_COLUMNS = (
    "id", "kind", "title", "title_fr", "url", "date", "language", "year",
    "status", "publish_at", "expire_at",
)  # fmt: skip


def get_backend():
    if connection.vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from search.backends.sqlite import SqliteBackend

    return SqliteBackend()
