"""A list's pages, each read by one query compiled once per process (issue 13).

A paginated list's query differs from one page to the next only by its slice, but Django
writes a slice into the SQL's text (`LIMIT 20 OFFSET 40`), so a `core.prepared.Prepared`
built with the slice would make a plan per page. `PreparedPages(build)` prepares the
unsliced queryset (`build(**values)`, ordered, under Prepared's rules) and reads a page
with the same SQL followed by `LIMIT %s OFFSET %s`, the bounds being two more
parameters: one plan per shape of the filters serves every page.

    _PAGES = PreparedPages(lambda kind, at: Thing.objects.published(at=at).filter(kind=kind))
    paginator = Paginator(_PAGES.pages(kind=kind, at=now), 20)

`pages(**values)` is what a Paginator slices: each slice runs one query for those rows
(none for an empty slice, as a queryset's). Its `count()` counts the plain queryset
(for a Paginator, core.cache.CachedCountPaginator); none if the paginator is given one
(core.pagination.CountedPaginator).
"""

from core.prepared import _UNPREPARABLE, Prepared, _Plan

__all__ = ["PreparedPages"]

_LIMIT, _OFFSET = "__limit", "__offset"


class PreparedPages(Prepared):
    """`build(**values)`'s queryset read a page at a time (see the module)."""

    def pages(self, *, loaded=None, **values):
        """The rows for a Paginator: slicing runs one query (`loaded(rows)`, if given,
        completes the rows read, e.g. with their authors)."""
        return _Pages(self, values, loaded)

    def plain(self, **values):
        """The unsliced queryset, built (e.g. to count it)."""
        return self.build(**values)

    def page(self, start, stop, **values):
        """The rows `start` to `stop` (as `queryset[start:stop]`), as a list."""
        if stop <= start:
            return []
        return self.rows(**values, **{_LIMIT: stop - start, _OFFSET: start})

    def _plain(self, values, single=False, context=None):
        values = dict(values)
        limit, offset = values.pop(_LIMIT, None), values.pop(_OFFSET, None)
        queryset = super()._plain(values, single, context)
        if limit is None:
            return queryset
        return queryset[offset : offset + limit]

    def _prepare(self, values, single):
        unsliced = {name: value for name, value in values.items() if name not in (_LIMIT, _OFFSET)}
        plan = super()._prepare(unsliced, single)
        if plan is _UNPREPARABLE:
            return plan
        query = plan.template.query
        if not query.order_by and not (query.default_ordering and query.get_meta().ordering):
            raise ValueError(f"{self!r}: pages of an unordered queryset")
        if query.is_sliced or query.combinator:
            raise ValueError(f"{self!r}: build() gives the whole list, unsliced and uncombined")
        count = len(plan.params)
        return _Plan(
            plan.template,
            plan.alias,
            f"{plan.sql} LIMIT %s OFFSET %s",
            (*plan.params, 0, 0),
            (*plan.slots, (count, _LIMIT, None, None), (count + 1, _OFFSET, None, None)),
            plan.state,
        )


class _Pages:
    """A list's rows as a Paginator slices them (one query per slice)."""

    def __init__(self, prepared, values, loaded):
        self.prepared, self.values, self.loaded = prepared, values, loaded

    def count(self):
        """How many rows the list has (one COUNT query of the plain queryset)."""
        return self.prepared.plain(**self.values).count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a prepared list supports plain slices only")
        start, stop = index.start or 0, index.stop
        if stop is None or start < 0 or stop < 0:
            raise ValueError("a prepared list is sliced with two bounds, neither negative")
        rows = self.prepared.page(start, stop, **self.values)
        return self.loaded(rows) if self.loaded else rows
