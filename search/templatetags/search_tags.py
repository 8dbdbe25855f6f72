"""The search page's facets and results, written in Python (issue 13).

A page of results shows 20 results and up to some sixty facet values; as template loops
(a `{% blocktranslate %}`, filters and a dozen lookups per line) they were most of the
page's rendering. These tags write the same HTML, with the templates' messages, so the
French holds; every value is escaped where it goes in (`core.markup`).
"""

import functools

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from core.markup import escaped, format_html

register = template.Library()


@functools.lru_cache(maxsize=2048)
def _count(count, language):
    """`{{ count|intcomma }}` in `language` (the active one), once per count."""
    return escaped(intcomma(count))


@register.simple_tag
def search_facets(facets):
    """Each facet's title and values (search.views.facet_links), as the template's loop
    `{% for facet in facets %}` wrote them, its whitespace included."""
    language = get_language()
    parts = []
    for facet in facets:
        parts.append(
            format_html('\n    <h3>{}</h3>\n    <ul class="search-facet">\n      ', facet["title"])
        )
        clear = escaped(facet["clear"])
        for value in facet["values"]:
            label = escaped(value["label"])
            count = _count(value["count"], language)
            if value["chosen"]:
                remove = gettext('<span class="visually-hidden">Remove %(label)s: </span>show all')
                line = (
                    f'<li><strong aria-current="true">{label} ({count})</strong> '
                    f'<a href="{clear}">{remove % {"label": label}}</a></li>'
                )
            else:
                url = escaped(value["url"])
                line = f'<li><a href="{url}">{label}</a> ({count})</li>'
            parts.append(f"\n      \n      {line}\n      \n      ")
        parts.append("\n    </ul>\n    ")
    # Safe: every value above was escaped; the rest is this module's fixed markup and the
    # catalogue's message (trusted as {% blocktranslate %} trusts it).
    return SafeString("".join(parts))  # nosec B703


@register.simple_tag
def search_results(page, found):
    """The page's results, as the template's loop `{% for doc in page_obj %}` wrote them."""
    not_public = None
    parts = []
    for doc in page:
        meta = escaped(doc.kind_label)
        if doc.kind == "event" and doc.date:
            meta += " · " + escaped(date_filter(doc.date, "DATE_FORMAT"))
        elif doc.year:
            meta += " · " + escaped(doc.year)
        if found.preview and not doc.is_public:
            not_public = not_public or escaped(gettext("Not public"))
            meta += f" · <strong>{not_public}</strong>"
        snippet = ""
        if doc.snippet:
            snippet = (
                f'<p class="search-result__snippet"{escaped(doc.snippet_lang)}>'
                f"{escaped(doc.snippet)}</p>"
            )
        parts.append(
            '\n      <li class="search-result">\n        <h3 class="search-result__title">'
            f'<a href="{escaped(doc.shown_url)}"'
            f"{escaped(doc.title_lang)}>{escaped(doc.shown_title)}</a>"
            f'</h3>\n        <p class="search-result__meta muted">{meta}</p>\n'
            f"        {snippet}\n      </li>\n      "
        )
    # Safe: every value above was escaped where it went in.
    return SafeString("".join(parts))  # nosec B703
