"""Rich text sanitising with nh3 (Ammonia): one allow-list for the whole site.

Applied when rich text is saved and again when it is shown, so that content stored
before a rule changed is still made safe on output.
"""

import re
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "blockquote",
    "ul", "ol", "li", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre",
    "a", "abbr", "cite", "q",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # On every tag (Ammonia's default, written out so the allow-list is all here).
    "*": {"lang", "title"},
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


# Re-parsing sanitised HTML can still move things: the HTML parser's repair of misnested
# markup (an <a> inside an <a> inside a table) gives output whose own repair differs. A
# few passes reach the fixed point, so that sanitising again changes nothing (tested
# with hypothesis in tests/jli/test_sanitize.py).
_MAX_PASSES = 4


def _same_site_path(value):
    """A reference on this site ("/media/x.png", "x.png"), not another site's
    ("https://x.test/", "//x.test/"). Backslashes, spaces and control characters are
    refused: browsers read a slash, backslash and host, or one with a tab between the
    slashes, as "//host"."""
    if any(char.isspace() or ord(char) < 32 or char == "\\" for char in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc and not value.startswith("//")


def _filter_attribute(element, attribute, value):
    # Images come from this site only: the Content-Security-Policy (img-src 'self') would
    # block any other, so an external image is dropped on save rather than kept broken
    # (and a reader's browser never asks another server for one: no tracking pixel).
    if element == "img" and attribute == "src" and not _same_site_path(value):
        return None
    return value


# An image left without a source (its external one dropped) is removed whole.
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _clean(html):
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned)


def sanitize_html(html):
    """Keep headings, lists, links, emphasis, quotes, tables and this site's images; drop
    the rest (images from other sites included)."""
    cleaned = _clean(html or "")
    for _ in range(_MAX_PASSES):
        again = _clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


# What the admin's rich text editor (django-prose-editor) offers: exactly the tags the
# allow-list above keeps, so nothing an editor types is silently dropped on save.
# Headings start at h2 because a page's title is its h1.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Code": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}

# The editor always leaves at least one empty element (`<p></p>`) in an empty document.
_EMPTY_DOCUMENT = re.compile(r"^\s*<(?P<tag>\w+)>\s*</(?P=tag)>\s*$")


def sanitize_rich_text(html):
    """Sanitise rich text for storage: the allow-list, and an empty document saved as ""."""
    cleaned = sanitize_html(html)
    return "" if _EMPTY_DOCUMENT.match(cleaned) else cleaned
