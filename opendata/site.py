"""Absolute addresses of the site, for machines (OAI-PMH, the API, the data files)."""

import re
from urllib.parse import urlsplit

from core.site import absolute_url, site_domain

__all__ = ["absolute_url", "repository_identifier", "slug_links"]

# Stands for the slug while an address is worked out; itself a slug.
_PLACEHOLDER = "0slug0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def repository_identifier():
    """The site's host name, the namespace of OAI identifiers (oai:<host>:...)."""
    return urlsplit(f"//{site_domain()}").hostname or "localhost"


def slug_links(path_of):
    """A function giving, for a slug, the absolute address `path_of(slug)` names.

    A page of records links each record three or four times: `path_of` (a reverse()
    or core.links.slug_url) is called once, for a placeholder, and each slug is put in
    its place, so the URL patterns, the active language, the script prefix and
    SITE_URL are looked up once per page instead of once per link. A value that is not
    a plain slug (which a SlugField never holds) goes through `path_of` itself, which
    quotes it as reverse() does.
    """
    head, _, tail = path_of(_PLACEHOLDER).partition(_PLACEHOLDER)
    head = absolute_url(head)

    def link(slug):
        if _SLUG.fullmatch(slug):
            return f"{head}{slug}{tail}"
        return absolute_url(path_of(slug))

    return link
