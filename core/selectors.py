"""Reads every app shares."""

from dataclasses import dataclass

# A detail page lists this many related items (a group's publications, a person's
# events, ...), then links to the full list, filtered: the page costs the same whatever
# the number of items.
SHORT_LIST = 10


@dataclass(frozen=True)
class Shortlist:
    """The first items of a list and whether there are more."""

    items: list
    has_more: bool

    def __bool__(self):
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def shortlist(rows, limit=SHORT_LIST):
    """The first `limit` of `rows` (a queryset or a list), reading one more row to tell
    whether there are more: one query for a queryset."""
    rows = list(rows[: limit + 1])
    return Shortlist(items=rows[:limit], has_more=len(rows) > limit)
