"""The numbered page links every paginated list shares (`{% pagination page_obj %}`).

Built from `Paginator.get_elided_page_range`: the first and last pages, the current
page's neighbours, and a gap (…) between them, so a list of 951 pages offers
1 2 3 … 950 951 rather than 951 links or only Previous/Next. Every link keeps the
request's other query parameters (filters, sort, keywords).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator

# Neighbours of the current page on each side, and pages kept at each end: at most nine
# numbers, two gaps, Previous and Next (three short lines at 320 px wide, at worst).
ON_EACH_SIDE = 2
ON_ENDS = 2


@dataclass(frozen=True)
class PageLink:
    """A page's number and address; `number` None is a gap (…) with no address."""

    number: int | None
    url: str = ""
    current: bool = False


def page_url(path, query, number):
    """`path` with the query parameters of `query` (a QueryDict) and page `number`.

    Page 1 is the list's own address without `page`, so each page has one address.
    """
    query = query.copy()
    query.pop("page", None)
    if number > 1:
        query["page"] = str(number)
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def page_links(page, *, path, query):
    """The links of `page`'s navigation: previous, the numbers with gaps, next."""
    paginator = page.paginator
    numbers = paginator.get_elided_page_range(
        page.number, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS
    )
    pages = [
        PageLink(number, page_url(path, query, number), current=number == page.number)
        if isinstance(number, int)
        else PageLink(None)  # the paginator's ELLIPSIS
        for number in numbers
    ]
    previous = page_url(path, query, page.previous_page_number()) if page.has_previous() else ""
    following = page_url(path, query, page.next_page_number()) if page.has_next() else ""
    return {"previous": previous, "next": following, "pages": pages}


class CountedPaginator(Paginator):
    """A Paginator given its `count`, computed with something else the page needs (the
    publications list sums it from its menus' counts), so it runs no COUNT(*)."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @property
    def count(self):
        return self._count
