"""The site frame (templates/base.html): its header, footer and head links rendered once.

Every page repeats the same frame: the section links (eight `{% url %}`), the story pages'
menu, the language menu, the static files' addresses and a dozen translated phrases. It
depends only on the language, the script prefix, the site's address, the story pages'
menu and whether the reader is signed in, so each fragment (`templates/includes/frame/`)
is rendered once per such key and process and kept (an edit of a story page changes the
menu, hence the key: it shows at once; `jli.selectors.navigation_menu` keeps the menu
itself under the content version). The fragments are rendered without the request: what
depends on it is written as a marker and filled in per request (`{% current_if_under %}`,
`{% current_if_at %}`: ` aria-current="page"` when the request's path is under or at an
address; `{% full_path %}`, `{% csrf_input %}`), a regular expression's work.
"""

import functools
import re

from django import template
from django.core.signals import setting_changed
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.markup import format_html_join
from core.site import site_url

register = template.Library()

# A marker: NUL, its kind, optionally a unit separator and an address, NUL. Neither
# character can come out of a template's escaping of text or of a reversed address.
_MARKER = re.compile("\x00([a-z]+)(?:\x1f([^\x00]*))?\x00")
_CURRENT = ' aria-current="page"'


def _marker(kind, value=None):
    # Safe: the marker is replaced before the page is sent (`frame`).
    if value is None:
        return mark_safe(f"\x00{kind}\x00")  # noqa: S308  # nosec B308 B703
    return mark_safe(f"\x00{kind}\x1f{value}\x00")  # noqa: S308  # nosec B308 B703


@functools.lru_cache(maxsize=128)
def _rendered(name, language, script_prefix, urlconf, base_url, variables):
    """The fragment `name` rendered for this key (the arguments name everything it
    depends on; `language` is also the active one)."""
    # (Without its file's last newline: the fragment sits on a line of base.html.)
    html = get_template(name).render({"SITE_URL": base_url, **dict(variables)})
    return html.removesuffix("\n")


def _clear(**kwargs):
    _rendered.cache_clear()


# A changed setting (tests) or a template edited under runserver renders them again.
setting_changed.connect(_clear, dispatch_uid="site-frame-settings")
file_changed.connect(_clear, dispatch_uid="site-frame-files")


@register.simple_tag(takes_context=True)
def frame(context, name, **variables):
    """The frame fragment `name`, rendered once per language, menu and `variables`
    (hashable: lists become tuples) and completed for this request."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in variables.items()))
    html = _rendered(name, get_language(), get_script_prefix(), get_urlconf(), site_url(), key)
    request = context.get("request")
    path = request.path if request is not None else None

    def fill(match):
        kind, value = match.groups()
        if kind == "under":
            return _CURRENT if path is not None and path.startswith(value) else ""
        if kind == "at":
            return _CURRENT if path == value else ""
        if kind == "fullpath":
            return escape(request.get_full_path()) if request is not None else ""
        if kind == "csrf":
            if request is None:
                return ""
            return format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
            )
        raise ValueError(kind)

    # Safe: the fragment was rendered (escaped) by the template engine, and each marker
    # is replaced by escaped text or fixed markup.
    return mark_safe(_MARKER.sub(fill, html))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def current_if_under(url):
    """In a frame fragment: ` aria-current="page"` when the page is in that section
    (whatever the language prefix, since `url` is reversed in the page's language)."""
    return _marker("under", url)


@register.simple_tag
def current_if_at(url):
    """In a frame fragment: ` aria-current="page"` on the page at `url` itself."""
    return _marker("at", url)


@register.simple_tag
def full_path():
    """In a frame fragment: the request's path and query string, escaped."""
    return _marker("fullpath")


@register.simple_tag
def csrf_input():
    """In a frame fragment: the request's CSRF token field ({% csrf_token %})."""
    return _marker("csrf")


@register.simple_tag
def alternate_links(alternates):
    """The page's `<link rel="alternate" hreflang>` lines ((hreflang, URL) pairs:
    core.i18n.alternates), each followed by the head's indentation."""
    return format_html_join("", '<link rel="alternate" hreflang="{}" href="{}">\n  ', alternates)
