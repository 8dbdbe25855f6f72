import re
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.cache import public_page
from search import engine
from search.forms import SearchForm


@require_safe
@public_page
def search(request):
    """Site-wide search, a cached public page like the others.

    Readers repeat searches (the popular topics, shared links, the facet links), and an
    anonymous reader's answer is the same for every anonymous reader: it is kept by
    PublicPageCacheMiddleware under the full address (query string included), the
    language and the encoding, until content changes (any save, the index's own writes included) or
    PAGE_CACHE_SECONDS pass. Signed-in readers, among them the staff who may ask for a
    preview of unpublished records, are never served a kept copy nor leave one. As a
    public page it is compressed for anonymous readers (core.compression).

    Results are never indexed by search engines (they are not content; the
    X-Robots-Tag header is kept with a cached copy); the empty search page is, like any
    page."""
    form = SearchForm(request.GET)
    arguments = form.search_arguments()
    # Staff allowed to preview may include unpublished records, only when they ask.
    previewable = engine.previewable_kinds(request.user)
    preview = previewable if form.wants_preview else ()
    found = engine.search(**arguments, page=request.GET.get("page"), preview=preview)
    context = {
        "form": form,
        "previewable": bool(previewable),
        "found": found,
        "page_obj": found.page,
        "q": arguments.get("text", ""),
        "facets": facet_links(request.GET, found.facets, form),
    }
    response = render(request, "search/search.html", context)
    if request.GET:
        response["X-Robots-Tag"] = "noindex"
    return response


FACETS = [
    ("kind", _("Kind of content")),
    ("ptype", _("Kind of publication")),
    ("group", _("Group")),
    ("year", _("Year")),
]


def facet_links(query, facets, form):
    """Each facet's values with their counts and the address that chooses (or, for the
    chosen one, drops) them; the other parameters are kept, the page number is not.

    An address is the query's other parameters, in their order, then the facet's: as
    `QueryDict.copy()`, `pop()`, `[name] = value` and `urlencode()` would make it,
    with each parameter encoded once rather than the query copied for every value."""
    cleaned = getattr(form, "cleaned_data", {})
    encoded = [(key, urlencode({key: value})) for key, values in query.lists() for value in values]
    linked = []
    for name, title in FACETS:
        current = str(cleaned.get(name) or "")
        kept = [pair for key, pair in encoded if key not in ("page", name)]

        def link(value, name=f"{name}=", kept=kept):
            return "?" + "&".join([*kept, name + _quoted(value)] if value else kept)

        values = [
            {"label": label, "count": count, "chosen": value == current, "url": link(value)}
            for value, label, count in facets.get(name, [])
        ]
        if values:
            linked.append({"title": title, "values": values, "clear": link("")})
    return linked


# What `quote_plus` leaves as it is: a facet's values (kinds, years, slugs) mostly are.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def _quoted(value):
    """`quote_plus(value)`, as `urlencode` writes a value, without its work where there
    is nothing to quote."""
    return value if _UNQUOTED.fullmatch(value) else quote_plus(value)


@require_safe
def opensearch(request):
    """The OpenSearch description: browsers offer the site's search from their bar."""
    base = getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "search/opensearch.xml",
        {"base": base},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
