"""X-Forwarded-* headers count only from TRUSTED_PROXIES (core.security.TrustedProxyMiddleware),
in the configuration docs/operations.md documents (issue 14, item 10)."""

import runpy
from pathlib import Path

import pytest
from django.test import RequestFactory

from core.security import axes_client_ip, check_trusted_proxies, client_ip

ROOT = Path(__file__).resolve().parents[2]
PROXY = "127.0.0.1"


@pytest.fixture
def behind_the_proxy(settings):
    """docs/operations.md: nginx on the same machine terminates TLS."""
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.django_db
def test_https_said_by_the_trusted_proxy_is_believed(client, behind_the_proxy):
    response = client.get("/healthz", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


@pytest.mark.django_db
def test_plain_http_through_the_proxy_is_redirected_to_https(client, behind_the_proxy):
    response = client.get("/healthz", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/healthz"


@pytest.mark.django_db
def test_https_claimed_by_any_other_client_is_not_believed(client, behind_the_proxy):
    """A client reaching the app directly cannot pass plain http off as https (which
    would, among other things, let it skip the redirect and HSTS)."""
    response = client.get("/healthz", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/healthz"


@pytest.mark.django_db
def test_without_trusted_proxies_forwarded_headers_are_ignored(client, settings):
    settings.TRUSTED_PROXIES = []
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ([], "198.51.100.7", "203.0.113.5", "198.51.100.7"),
        (["127.0.0.1"], "198.51.100.7", "203.0.113.5", "198.51.100.7"),
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "10.0.0.1, 203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        # Two proxies (a load balancer, then nginx): both skipped, networks allowed.
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "203.0.113.5, 10.1.2.3", "203.0.113.5"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip_reads_x_forwarded_for_only_from_trusted_proxies(
    settings, trusted, peer, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


@pytest.mark.parametrize("peer", ["", "unix:/run/gunicorn.sock", "-"])
def test_an_unknown_peer_has_no_address_for_axes_and_a_dash_in_the_log(settings, peer):
    """A database column of addresses takes none of these (PostgreSQL's inet refuses)."""
    request = RequestFactory().get("/", REMOTE_ADDR=peer)

    assert axes_client_ip(request) is None
    assert client_ip(request) == "-"


def test_a_mistyped_trusted_proxy_fails_the_checks(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.1/8"]

    assert [error.id for error in check_trusted_proxies(None)] == ["core.E003"]


def test_gunicorn_trusts_the_same_proxies(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1,10.0.0.0/8")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == (
        "127.0.0.1,10.0.0.0/8"
    )

    monkeypatch.delenv("TRUSTED_PROXIES")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == ""
