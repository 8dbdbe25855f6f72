"""The keyword filter that lists of lower apps borrow from the search app.

The publications, people and events lists offer a keyword box, but their apps sit below
`search` (docs/design.md) and may not import it. So the search app registers its engine
here at start-up (SearchConfig.ready) and the lists ask through this module. With no
engine registered (search not installed), a keyword filters nothing out.
"""

from collections.abc import Callable

_engine: list[Callable] = []


def register(matcher: Callable):
    """`matcher(model, q)` returns a subquery of the ids of `model`'s public records that
    match the keywords `q`, or None when `q` holds no searchable word."""
    _engine[:] = [matcher]


def keyword_filter(queryset, q):
    """`queryset` narrowed to the records matching the keywords `q` (unchanged when `q` is
    empty or no engine is registered). One subquery: no extra round trip."""
    if not q or not _engine:
        return queryset
    ids = _engine[0](queryset.model, q)
    if ids is None:
        return queryset
    return queryset.filter(pk__in=ids)
