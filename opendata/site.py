"""Absolute addresses of the site, for machines (OAI-PMH, the API, the data files)."""

from urllib.parse import urlsplit

from core.site import absolute_url, site_domain

__all__ = ["absolute_url", "repository_identifier"]


def repository_identifier():
    """The site's host name, the namespace of OAI identifiers (oai:<host>:...)."""
    return urlsplit(f"//{site_domain()}").hostname or "localhost"
