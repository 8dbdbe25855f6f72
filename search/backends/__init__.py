"""The two full-text backends behind one interface, chosen by the database vendor.

A backend keeps its full-text structure in step with `SearchDocument` rows
(`refresh`, `remove`), narrows a queryset of documents to those matching a parsed query
(`match`: one SQL condition, so counts and facets stay plain ORM), and reads one page of
ranked results with their snippets (`page`: one query).
"""

from django.db import connection


def get_backend():
    if connection.vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from search.backends.sqlite import SqliteBackend

    return SqliteBackend()
