"""`field__among=ids`: a field among a list of integers, written as the database reads it
fastest.

Searches and keyword boxes filter by up to 1,001 ids at once (core/search.py,
search/engine.py). `pk__in=ids` writes one placeholder per id: 1,000 parameters adapted by
psycopg, 1,000 literals in the statement that PostgreSQL parses, in each of the five
queries of a broad search. On PostgreSQL `among` writes `= ANY(%s)` with the ids as one
array parameter (the planner still knows its values and size). On SQLite it writes the
integers themselves, `IN (1, 2, 3)`: each id was made an `int` first, so nothing but
digits reaches the SQL, and no parameter is prepared per id (`__in` runs each through
the field's preparation: 83,000 Python calls for a page of search results).
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField, Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]
        if not self.rhs:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(str(int(value)) for value in self.rhs)})", lhs_params


def register():
    """On integer fields (ids, big or not: their subclasses) and foreign keys."""
    IntegerField.register_lookup(Among)
    ForeignKey.register_lookup(Among)
