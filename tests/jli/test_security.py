"""Headers, cookies, error pages and the security log, in production mode (DEBUG off)."""

import logging

import pytest
from django.test import Client
from django.urls import path

from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("secret detail that must not leak")


urlpatterns = [path("boom/", _boom)]


def _headers_are_strict(response):
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize(
    "url",
    ["/", "/groups/", "/groups/supply/", "/people/", "/people/ana/", "/accounts/login/",
     "/admin/login/", "/no-such-page/", "/sitemap.xml", "/robots.txt"],
)  # fmt: skip
def test_every_page_type_has_strict_security_headers(client, url):
    GroupFactory(slug="supply")
    PersonFactory(slug="ana")
    _headers_are_strict(client.get(url, secure=True))


def test_server_error_page_has_the_sites_look_no_traceback_and_the_same_headers(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", secure=True)
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    _headers_are_strict(response)


def test_plain_http_is_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/groups/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/groups/"


def test_session_and_csrf_cookies_are_host_only_secure_and_lax(client, member_user):
    response = client.get("/accounts/login/", secure=True)
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"
    assert not csrf["domain"]

    response = client.post(
        "/accounts/login/",
        {"username": "member", "password": "correct horse battery staple"},
        secure=True,
    )
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["path"] == "/"


def test_csrf_failure_page_is_friendly_and_logged(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.INFO, logger="jli.security"):
        response = client.post("/accounts/login/", {"username": "a", "password": "b"}, secure=True)
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert "event=csrf_failure" in caplog.text


def test_failed_and_successful_sign_ins_are_logged_without_the_password(
    client, member_user, caplog
):
    with caplog.at_level(logging.INFO, logger="jli.security"):
        client.post(
            "/accounts/login/",
            {"username": "member", "password": "wrong-password-123"},
            secure=True,
        )
        client.post(
            "/accounts/login/",
            {"username": "member", "password": "correct horse battery staple"},
            secure=True,
        )
    assert "event=login_failed" in caplog.text
    assert "username='member'" in caplog.text
    assert f"event=login user={member_user.pk}" in caplog.text
    assert "wrong-password-123" not in caplog.text
    assert "correct horse" not in caplog.text


def test_staff_sessions_are_shorter(client, editor_user, settings):
    client.post(
        "/admin/login/",
        {"username": "editor", "password": "correct horse battery staple"},
        secure=True,
    )
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_AGE


def test_permission_denied_is_logged_and_shown_in_the_sites_look(editor_client, caplog):
    with caplog.at_level(logging.INFO, logger="jli.security"):
        response = editor_client.get("/admin/auth/user/", secure=True)
    assert response.status_code == 403
    assert "event=permission_denied" in caplog.text
