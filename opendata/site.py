"""Absolute addresses of the site, for machines (OAI-PMH, the API, the data files).

One place to build them, from settings.SITE_URL: when core gains its own helper for
absolute URLs, only this module changes.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    return settings.SITE_URL + path


def repository_identifier():
    """The site's host name, the namespace of OAI identifiers (oai:<host>:...)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
