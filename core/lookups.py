"""`field__among=ids`: a field among a list of integers, written as the database reads it
fastest.

Searches and keyword boxes filter by up to 1,001 ids at once (core/search.py,
search/engine.py). `pk__in=ids` writes one placeholder per id: 1,000 parameters adapted by
psycopg, 1,000 literals in the statement that PostgreSQL parses, in each of the five
queries of a broad search. On PostgreSQL `among` writes `= ANY(%s)` with the ids as one
array parameter (the planner still knows its values and size); elsewhere it is `IN`.
"""

from django.db.models import ForeignKey, IntegerField, Lookup
from django.db.models.lookups import In


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return compiler.compile(In(self.lhs, self.rhs))
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


def register():
    """On integer fields (ids, big or not: their subclasses) and foreign keys."""
    IntegerField.register_lookup(Among)
    ForeignKey.register_lookup(Among)
