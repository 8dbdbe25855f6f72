"""Rich text sanitising with nh3 (Ammonia): one allow-list for the whole site.

Applied when rich text is saved and again when it is shown, so that content stored
before a rule changed is still made safe on output.
"""

import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "blockquote",
    "ul", "ol", "li", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre",
    "a", "abbr", "cite", "q",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html):
    """Keep headings, lists, links, emphasis, quotes, tables and images; drop the rest."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
