"""The keyword filter that lists of lower apps borrow from the search app.

The publications, people and events lists offer a keyword box, but their apps sit below
`search` (docs/design.md) and may not import it. So the search app registers its engine
here at start-up (SearchConfig.ready) and the lists ask through this module. With no
engine registered (search not installed), keywords filter only by what a list matched
before (its `also` condition), or not at all.
"""

from collections.abc import Callable

from django.db.models import Q

_engine: list[Callable] = []


def register(matcher: Callable):
    """`matcher(model, q)` returns a subquery of the ids of `model`'s public records that
    match the keywords `q`, or None when `q` holds no searchable word."""
    _engine[:] = [matcher]


def keyword_filter(queryset, q, *, also=None):
    """`queryset` narrowed to the records matching the keywords `q`, or the condition
    `also` (a Q: what the list matched before it had the engine, such as names). One
    subquery: no extra round trip. With no engine, only `also` filters (or nothing)."""
    if not q:
        return queryset
    ids = _engine[0](queryset.model, q) if _engine else None
    if ids is None:
        return queryset.filter(also) if also is not None else queryset
    condition = Q(pk__in=ids)
    return queryset.filter(condition | also if also is not None else condition)
