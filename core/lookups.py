"""`field__among=ids`: a field among a list of integers, written as the database reads it
fastest.

Searches and keyword boxes filter by up to 1,001 ids at once (core/search.py,
search/engine.py). `pk__in=ids` costs, per id and per query, a placeholder in the
statement, a parameter adapted by the driver and a run through the field's preparation;
the ORM also looks into every item of a list given to `filter()` (for expressions): for
the five queries of a broad search, some 100,000 Python calls. `among` writes:

- on PostgreSQL `= ANY(%s::bigint[])` with the ids as one array literal parameter,
  `'{1,2,3}'`, made by one `join` (the planner still knows its values and size; psycopg
  would otherwise inspect each item of a list to choose the array's type); in a query
  whose plan the server keeps (core.prepared's `keep_plan`), the same array read by a
  sub-select, so that the server keeps that plan (Among.as_sql);
- on SQLite `IN (SELECT value FROM json_each(%s))` with the ids as one JSON array
  parameter, `'[1,2,3]'` (the same plan as the integers written out: a primary key
  search per id).

Either way the SQL's text is the same whatever the ids and however many: a query with
`__among` is compiled once (core.prepared), and the driver parses one short statement.

Give it an `Ids` (opaque to the ORM's look into lists) or any iterable of integers.
"""

import contextvars

from django.db.models import ForeignKey, IntegerField, Lookup

# True while core.prepared compiles a query whose plan PostgreSQL keeps (`keep_plan`):
# its ids are then hidden from the planner (Among.as_sql).
hidden_from_planner = contextvars.ContextVar("hidden_from_planner", default=False)


class Ids:
    """Integers for `__among`, converted once; the ORM passes them through untouched."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = tuple(map(int, values))

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)

    def __bool__(self):
        return bool(self.values)

    def __eq__(self, other):
        return isinstance(other, Ids) and other.values == self.values

    def __hash__(self):
        return hash(self.values)

    def __repr__(self):
        return f"Ids({list(self.values)!r})"

    def text(self, open_="(", close=")"):
        """The integers between `open_` and `close`, comma-separated: only digits and
        signs, each having been through `int()`."""
        return open_ + ",".join(map(str, self.values)) + close

    def parameter(self, vendor):
        """The one parameter `__among` passes for these ids: a PostgreSQL array literal,
        or a JSON array for SQLite's json_each."""
        return self.text("{", "}") if vendor == "postgresql" else self.text("[", "]")


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return self.rhs if isinstance(self.rhs, Ids) else Ids(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs.parameter(connection.vendor)
        if connection.vendor == "postgresql":
            if hidden_from_planner.get():
                # Read by a sub-select the planner does not look into. PostgreSQL keeps
                # a prepared query's generic plan (made without the values) only when
                # its estimated cost is no higher than that of plans made for the
                # values: with a short list in view those look cheaper, and the query
                # would be planned afresh on every run (0.4-0.9 ms of the server's
                # time on a person's page). Hidden, both estimates are the same.
                return f"{lhs} = ANY((SELECT %s::bigint[])::bigint[])", [*lhs_params, ids]
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]
        # The column's SQL (`lhs`) is the ORM's; the ids are a parameter.
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, ids]  # noqa: S608  # nosec B608


def register():
    """On integer fields (ids, big or not: their subclasses) and foreign keys."""
    IntegerField.register_lookup(Among)
    ForeignKey.register_lookup(Among)
