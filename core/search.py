"""The keyword filter that lists of lower apps borrow from the search app.

The publications, people and events lists offer a keyword box, but their apps sit below
`search` (docs/design.md) and may not import it. So the search app registers its engine
here at start-up (SearchConfig.ready) and the lists ask through this module. With no
engine registered (search not installed), keywords filter only by what a list matched
before (its `also` condition), or not at all.

Bounded as the search page is (search/engine.py): the engine reads the ids of at most
`limit` + 1 matching records, newest first, in one query; a list is then filtered by
those ids, a list of values whose size the planner knows (a subquery of the matches let
PostgreSQL walk the newest-first index of a 100,000-row table for a rare word), passed as
one array parameter on PostgreSQL (`pk__among`, core/lookups.py). When
more records match, the list holds, filters and counts the `limit` most recent, and says
so (`Keywords.more`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from core.lookups import Ids

_engine: list[Callable] = []


@dataclass(frozen=True)
class Keywords:
    """The keywords a reader typed and the ids of the records they match (None: no
    searchable word); `more` when more than `limit` records match and `ids` holds the
    `limit` most recent. Read once per request (`keywords()`) and passed to the list's
    selectors in place of the text: it prints as the text (cache keys, forms)."""

    text: str
    ids: Ids | None = None
    more: bool = False
    limit: int = 0

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)

    def split(self):
        return self.text.split()


def register(matcher: Callable):
    """`matcher(model, q)` returns `(ids, more, limit)`: the ids of at most `limit` of
    `model`'s public records matching the keywords `q`, the most recent first, and
    whether more match; or None when `q` holds no searchable word."""
    _engine[:] = [matcher]


def keywords(model, q):
    """The keywords `q` matched against `model`'s records: one query (none without a
    searchable word, or without an engine)."""
    if isinstance(q, Keywords):
        return q
    found = _engine[0](model, q) if q and _engine else None
    if found is None:
        return Keywords(q or "")
    ids, more, limit = found
    return Keywords(q, Ids(ids), more, limit)


def keyword_filter(queryset, q, *, also=None):
    """`queryset` narrowed to the records matching the keywords `q` (a `Keywords`, or the
    text: then read here), or the condition `also` (a Q: what the list matched before it
    had the engine, such as names). With no engine, only `also` filters (or nothing)."""
    if not q:
        return queryset
    found = keywords(queryset.model, q)
    if found.ids is None:
        return queryset.filter(also) if also is not None else queryset
    condition = Q(pk__among=found.ids)
    return queryset.filter(condition | also if also is not None else condition)
