"""Every absolute URL the site writes comes from SITE_URL (core/site.py), never from the
request's Host or X-Forwarded-* headers, and the page cache cannot be steered by them
(issue 14, item 1: page-cache poisoning through the Host header)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from core.site import absolute_url, check_site_url
from tests.factories import EventFactory, PublicationFactory

pytestmark = pytest.mark.django_db

SITE = "https://jli.example.org"
# A host name ALLOWED_HOSTS accepts (the port is not checked), and headers a client sets.
HOSTILE = {
    "HTTP_HOST": "localhost:9999",
    "HTTP_X_FORWARDED_HOST": "evil.example",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "203.0.113.9",
}


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def records(db):
    return {
        "publication": PublicationFactory(slug="strategy-report", title="The strategy report"),
        # Upcoming, so that the site calendar holds it too.
        "event": EventFactory(
            slug="oslo-consultation", start_date=timezone.localdate() + datetime.timedelta(days=9)
        ),
    }


PAGES = [
    "/robots.txt",
    "/sitemap.xml",
    "/publications/feed/",
    "/publications/strategy-report/",
    "/publications/strategy-report/cite.ris",
    "/events/oslo-consultation/",
    "/events/oslo-consultation.ics",
    "/events/calendar.ics",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_hostile_host_never_reaches_a_page_or_its_cached_copy(
    client, site_url, records, page_cache, url
):
    poisoned = client.get(url, **HOSTILE)
    plain = client.get(url)

    assert poisoned.status_code == plain.status_code == 200
    for response in (poisoned, plain):
        body = response.content.decode()
        # The absolute URLs it writes are on SITE_URL: none on the Host either request
        # named ("testserver" is the test client's own).
        assert SITE in body
        hosts = set(re.findall(r"https?://([^/\s\"'<>]+)", body))
        assert hosts & {"localhost:9999", "evil.example", "testserver"} == set()
    if plain.get("X-Page-Cache"):
        # The same cached copy answers both: the key ignores Host and X-Forwarded-*.
        assert plain["X-Page-Cache"] == "hit"


def test_the_page_cache_key_ignores_the_host_and_forwarded_headers(
    client, site_url, records, page_cache
):
    first = client.get("/sitemap.xml", **HOSTILE)
    second = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert f"<loc>{SITE}/publications/strategy-report/</loc>" in second.content.decode()


def test_robots_txt_names_the_sitemap_on_site_url(client, site_url):
    response = client.get("/robots.txt", **HOSTILE)

    assert f"Sitemap: {SITE}/sitemap.xml\n" in response.content.decode()


def test_the_feed_links_to_site_url_whatever_the_host(client, site_url, records):
    body = client.get("/publications/feed/", **HOSTILE).content.decode()

    assert f'<link href="{SITE}/publications/" rel="alternate"/>' in body
    assert f'<link href="{SITE}/publications/feed/" rel="self"/>' in body
    assert f"<id>{SITE}/publications/strategy-report/</id>" in body


def test_the_password_reset_email_links_to_site_url_not_the_requests_host(
    client, site_url, member_user
):
    response = client.post("/accounts/password_reset/", {"email": member_user.email}, **HOSTILE)

    assert response.status_code == 302
    (message,) = mail.outbox
    links = re.findall(r"https?://[^\s\"<]+/accounts/reset/[^\s\"<]+", message.body)
    assert len(links) == 1
    assert links[0].startswith(f"{SITE}/accounts/reset/")
    html = message.alternatives[0][0]
    assert "localhost:9999" not in message.body + html
    assert f'href="{SITE}/accounts/reset/' in html


def test_absolute_url_joins_site_url_and_a_path(settings):
    settings.SITE_URL = "https://jli.example.org/"

    assert absolute_url("/publications/") == "https://jli.example.org/publications/"


@pytest.mark.parametrize(
    ("debug", "site", "ssl_redirect", "errors"),
    [
        (False, "", True, ["core.E001"]),
        (False, "jli.example.org", True, ["core.E001"]),
        (False, "http://jli.example.org", True, ["core.E002"]),
        (False, "https://jli.example.org", True, []),
        # Plain-http serving on one's own machine (`make serve`, SECURE_SSL_REDIRECT off).
        (False, "http://127.0.0.1:8000", False, []),
        (True, "", True, []),
    ],
)
def test_site_url_is_required_and_https_when_debug_is_off(
    settings, debug, site, ssl_redirect, errors
):
    settings.DEBUG = debug
    settings.SITE_URL = site
    settings.SECURE_SSL_REDIRECT = ssl_redirect

    assert [error.id for error in check_site_url(None)] == errors
