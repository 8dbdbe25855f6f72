"""The numbered page links every paginated list shares (`{% pagination page_obj %}`).

Built from `Paginator.get_elided_page_range`: the first and last pages, the current
page's neighbours, and a gap (…) between them, so a list of 951 pages offers
1 2 3 … 950 951 rather than 951 links or only Previous/Next. Every link keeps the
request's other query parameters (filters, sort, keywords).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

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


def _page_urls(path, query):
    """The address of page `number` of the list at `path` with the query parameters of
    `query` (a QueryDict), as a function of the number. Page 1 is the list's own address
    without `page`, so each page has one address. The other parameters are encoded once,
    in their order, `page` last (as `QueryDict.copy()`, `pop("page")`, `["page"] = ...`
    and `urlencode()` give them, without a copy per link)."""
    kept = [
        urlencode({key: value})
        for key, values in query.lists()
        if key != "page"
        for value in values
    ]

    def url(number):
        encoded = "&".join([*kept, f"page={number}"] if number > 1 else kept)
        return f"{path}?{encoded}" if encoded else path

    return url


def page_links(page, *, path, query):
    """The links of `page`'s navigation: previous, the numbers with gaps, next."""
    paginator = page.paginator
    numbers = paginator.get_elided_page_range(
        page.number, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS
    )
    url = _page_urls(path, query)
    pages = [
        PageLink(number, url(number), current=number == page.number)
        if isinstance(number, int)
        else PageLink(None)  # the paginator's ELLIPSIS
        for number in numbers
    ]
    previous = url(page.previous_page_number()) if page.has_previous() else ""
    following = url(page.next_page_number()) if page.has_next() else ""
    return {"previous": previous, "next": following, "pages": pages}


def _step(url, rel, label):
    """The Previous or Next link (`label` translated by the caller: makemessages does not
    read a message inside an f-string)."""
    return (
        f'<li><a class="pagination__step" href="{conditional_escape(url)}" rel="{rel}">'
        f"{conditional_escape(label)}</a></li>"
    )


def page_links_html(page, links):
    """The navigation of `page` (its `page_links`), as a template once wrote it, its
    whitespace included, in Python: `{% pagination %}` shows it on every list."""
    if page.paginator.num_pages <= 1:
        return SafeString("\n\n")
    parts = [
        '\n\n<nav class="pagination" aria-label="',
        conditional_escape(gettext("Pages")),
        '">\n  <ul class="pagination__list">\n    ',
    ]
    if links["previous"]:
        parts.append(_step(links["previous"], "prev", gettext("Previous")))
    parts.append("\n    ")
    for link in links["pages"]:
        if link.number:
            number = conditional_escape(intcomma(link.number))
            # As {% blocktranslate %}: the number escaped, the catalogue's text trusted.
            label = gettext("Page %(number)s") % {"number": number}
            current = ' aria-current="page"' if link.current else ""
            parts.append(
                f'\n    \n    <li><a class="pagination__page" href="{conditional_escape(link.url)}"'
                f'{current} aria-label="{label}">{number}</a></li>\n    \n    '
            )
        else:
            parts.append('\n    \n    <li class="pagination__gap">…</li>\n    \n    ')
    parts.append("\n    ")
    if links["next"]:
        parts.append(_step(links["next"], "next", gettext("Next")))
    parts.append("\n  </ul>\n</nav>\n\n")
    # Safe: every value above was escaped where it went in.
    return SafeString("".join(parts))  # nosec B703


class CountedPaginator(Paginator):
    """A Paginator given its `count`, computed with something else the page needs (the
    publications list sums it from its menus' counts), so it runs no COUNT(*)."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @property
    def count(self):
        return self._count
