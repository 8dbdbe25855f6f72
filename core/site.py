"""The site's own address: every absolute URL the site writes comes from SITE_URL.

Never from the request's Host or X-Forwarded-* headers: a client chooses those, and a
page built from them could be cached and served to everyone (page-cache poisoning), or
an e-mail could link to an attacker's host. Feeds, sitemaps, robots.txt, calendars,
citations, page metadata and e-mails all go through here.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.core import checks


def site_url():
    """SITE_URL without a trailing slash, e.g. "https://jli.example.org"."""
    return settings.SITE_URL.rstrip("/")


def site_scheme():
    return urlsplit(site_url()).scheme or "https"


def site_domain():
    """The host (and port, if any) of SITE_URL, e.g. "jli.example.org"."""
    return urlsplit(site_url()).netloc


def absolute_url(path):
    """`path` (absolute, e.g. "/publications/x/") on the site's own address."""
    return site_url() + path


class Sitemap(DjangoSitemap):
    """A sitemap whose locations are on SITE_URL, whatever Host the request named.

    Every page in each language (English at its address, French under /fr/), each
    entry naming the others with `<xhtml:link rel="alternate" hreflang>`, English also
    as x-default.
    """

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()


@checks.register(checks.Tags.security)
def check_site_url(app_configs, **kwargs):
    """SITE_URL is required when DEBUG is off, and https unless https is turned off."""
    if settings.DEBUG:
        return []
    url = urlsplit(settings.SITE_URL)
    if not settings.SITE_URL or url.scheme not in ("http", "https") or not url.netloc:
        return [
            checks.Error(
                "SITE_URL must be set to the site's public address when DEBUG is off, "
                "e.g. https://jli.example.org (see .env.example).",
                id="core.E001",
            )
        ]
    if url.scheme != "https" and settings.SECURE_SSL_REDIRECT:
        return [
            checks.Error(
                "SITE_URL must be an https address when DEBUG is off "
                "(only plain-http local serving, with SECURE_SSL_REDIRECT=false, may use http).",
                id="core.E002",
            )
        ]
    return []
