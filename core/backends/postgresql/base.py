"""Django's PostgreSQL backend, with the server's plans kept for core.prepared's queries.

PostgreSQL plans every query it is sent, and a detail page's queries took longer to plan
than to run (a publication's page: 2.1 ms of planning against 0.9 ms of execution, on
100,000 publications). core.prepared already compiles each of them once per process to
the same SQL text; a `Prepared(..., keep_plan=True)` query is also prepared by the server
on its first run on a connection (psycopg's `prepare=True`) and then executed by name,
its plan kept by PostgreSQL for the connection's life (persistent: CONN_MAX_AGE).

Only the queries marked so: PostgreSQL may then run a generic plan, the same whatever
the values, which suits a look-up by a slug or a primary key, not a list whose best plan
depends on how common its filter's value is (search, a group's newest publications).
That needs server-side binding (the values sent apart from the SQL, as `prepare`
requires), which Django supports as the `server_side_binding` option.
"""

from django.db.backends.postgresql import base
from psycopg import ClientCursor

from core.prepared import KEPT_PLANS

# psycopg prepares a query on its own after this many runs: never, in practice.
_NEVER = 2**31 - 1
# The protocol numbers a statement's values in 16 bits, so the server takes at most this
# many apart from the SQL.
_MAX_PARAMS = 65_535


class KeptPlanCursor(base.ServerBindingCursor):
    """Django's server-side binding cursor, preparing the kept plans' SQL."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if params is not None and len(params) > _MAX_PARAMS:
            # More values than the server takes apart (a whole table's ids in `__in`:
            # the search index's rebuild on 100,000 publications): merged into the SQL
            # here instead, as Django's default cursor merges every query's.
            query, params = ClientCursor(self.connection).mogrify(query, params), None
        elif prepare is None and query in KEPT_PLANS:
            prepare = True
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's, with server-side binding (its `server_side_binding` option, so that the
    rest of Django knows, e.g. the SQL it logs) and KeptPlanCursors."""

    def __init__(self, settings_dict, *args, **kwargs):
        options = {**settings_dict.get("OPTIONS", {}), "server_side_binding": True}
        super().__init__({**settings_dict, "OPTIONS": options}, *args, **kwargs)

    def get_connection_params(self):
        params = super().get_connection_params()
        params["cursor_factory"] = KeptPlanCursor
        # Only what `prepare=True` asks for (None would turn even that off).
        params["prepare_threshold"] = _NEVER
        return params
