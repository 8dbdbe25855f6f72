"""Addresses of the content pages, made without resolving the URLconf on every call.

A list page links each of its rows, their authors and their groups: `reverse()` walks
the URL patterns every time (about a tenth of a list's rendering time). Every content
page's address is its pattern with the slug put in, so the pattern is reversed once per
view name, language (the `/fr/` prefix), script prefix and URLconf, and the slug is
put in its place.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import get_language

# Stands for the slug in a reversed pattern; a slug itself (Django's slug converter).
_PLACEHOLDER = "0slug0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=512)
def _pattern(viewname, language, script_prefix, urlconf):
    with translation.override(language):
        return reverse(viewname, urlconf=urlconf, kwargs={"slug": _PLACEHOLDER})


@functools.lru_cache(maxsize=256)
def _plain(viewname, language, script_prefix, urlconf):
    with translation.override(language):
        return reverse(viewname, urlconf=urlconf)


def slug_url(viewname, slug, language=None):
    """`reverse(viewname, kwargs={"slug": slug})`, from a pattern reversed once
    (in `language`, else the active one)."""
    language = language or get_language()
    if not _SLUG.fullmatch(slug or ""):
        # Not a plain slug: let reverse() quote it or say it does not fit.
        with translation.override(language):
            return reverse(viewname, kwargs={"slug": slug})
    pattern = _pattern(viewname, language, get_script_prefix(), get_urlconf())
    return pattern.replace(_PLACEHOLDER, slug, 1)


def plain_url(viewname, language=None):
    """`reverse(viewname)` of an address without arguments, reversed once (in
    `language`, else the active one)."""
    language = language or get_language()
    return _plain(viewname, language, get_script_prefix(), get_urlconf())


def slug_urls(viewname, language=None):
    """A function giving `slug_url(viewname, slug, language)` for each slug, the
    pattern looked up once: for the rows of a list (a group's people), where looking up
    the language, script prefix and URLconf again for each row cost more than the
    address itself."""
    language = language or get_language()
    pattern = _pattern(viewname, language, get_script_prefix(), get_urlconf())

    def url(slug):
        if _SLUG.fullmatch(slug or ""):
            return pattern.replace(_PLACEHOLDER, slug, 1)
        return slug_url(viewname, slug, language)

    return url


def slug_urls_in(viewname, language=None):
    """A function giving, for `viewname`'s address of a slug in the default language
    (what the search index keeps), the same page's address in `language` (else the
    active one), or None for an address of another pattern: both patterns reversed once,
    the slug moved from one to the other (for the rows of a list of such addresses, where
    resolving and reversing each cost more than the rest of its row)."""
    script_prefix, urlconf = get_script_prefix(), get_urlconf()
    source = _pattern(viewname, settings.LANGUAGE_CODE, script_prefix, urlconf)
    target = _pattern(viewname, language or get_language(), script_prefix, urlconf)
    head, _, tail = source.partition(_PLACEHOLDER)
    fixed = len(head) + len(tail)

    def url(path):
        slug = path[len(head) : len(path) - len(tail)]
        if (
            len(path) > fixed
            and path.startswith(head)
            and path.endswith(tail)
            and _SLUG.fullmatch(slug)
        ):
            return target.replace(_PLACEHOLDER, slug, 1)
        return None

    return url
