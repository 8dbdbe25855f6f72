"""Public pages travel gzip-compressed; nothing that holds a secret does (BREACH)."""

import gzip

import pytest
from django.core.cache import cache

from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _groups():
    GroupFactory(name="Working group on supply", slug="supply")


def test_an_anonymous_public_page_is_compressed(client):
    plain = client.get("/groups/")
    response = client.get("/groups/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain.content
    assert len(response.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain


def test_a_cached_page_is_kept_compressed_for_readers_who_accept_gzip(client, page_cache):
    """Two copies, each made once: a hit costs no compression, and a reader who does not
    accept gzip never gets compressed bytes."""
    assert client.get("/groups/supply/", **GZIP)["X-Page-Cache"] == "miss"
    compressed = client.get("/groups/supply/", **GZIP)
    assert client.get("/groups/supply/")["X-Page-Cache"] == "miss"
    plain = client.get("/groups/supply/")

    assert (compressed["X-Page-Cache"], plain["X-Page-Cache"]) == ("hit", "hit")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(compressed.content) == plain.content
    assert b"Working group on supply" in plain.content
    _, kept = cache.get("page-cache:page:en:gzip:/groups/supply/")
    assert kept.content == compressed.content


def test_a_signed_in_reader_gets_pages_uncompressed(member_client):
    response = member_client.get("/groups/", **GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"Working group on supply" in response.content


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password_reset/", "/healthz"])
def test_pages_that_are_not_public_pages_are_not_compressed(client, url):
    # The sign-in and reset forms carry a CSRF token: compressing them would expose it.
    response = client.get(url, **GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_a_page_without_a_secret_that_is_not_cached_is_compressed(client, page_cache):
    plain = client.get("/data/")
    response = client.get("/data/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain.content
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize("url", ["/search/?q=supply", "/fr/search/?q=supply"])
def test_search_results_are_compressed_from_the_cache(client, page_cache, url):
    # Search results reflect the query, but beside no secret: nothing to recover.
    client.get(url, **GZIP)
    client.get(url)
    compressed = client.get(url, **GZIP)
    plain = client.get(url)

    assert (compressed["X-Page-Cache"], plain["X-Page-Cache"]) == ("hit", "hit")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content


def test_search_results_of_a_signed_in_reader_are_not_compressed(member_client):
    response = member_client.get("/search/?q=supply", **GZIP)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
