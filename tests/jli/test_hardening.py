"""Open redirects, user enumeration, the security log's events, served uploads, and an
"Observatory" walk of every page type checking each header the Mozilla HTTP Observatory
scores (production mode: DEBUG off, https)."""

import logging
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import path, re_path
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.security import MEDIA_CONTENT_SECURITY_POLICY, serve_media
from jli.urls import urlpatterns as site_urlpatterns
from members.models import Invitation
from members.services import _hash_token
from tests.conftest import PASSWORD
from tests.factories import GroupFactory, PersonFactory, PublicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("secret detail that must not leak")


# The site's URLs plus what only exists in development (media) or in a test (an error).
urlpatterns = [
    *site_urlpatterns,
    path("boom/", _boom),
    re_path(r"^media/(?P<path>.*)$", serve_media, {"document_root": None}),
]
handler400 = "jli.views.bad_request"
handler403 = "jli.views.permission_denied"
handler500 = "jli.views.server_error"


@pytest.fixture
def with_media(settings):
    settings.ROOT_URLCONF = __name__
    urlpatterns[-1].default_args["document_root"] = settings.MEDIA_ROOT
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "people").mkdir(exist_ok=True)
    (settings.MEDIA_ROOT / "people" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (settings.MEDIA_ROOT / "publications").mkdir(exist_ok=True)
    (settings.MEDIA_ROOT / "publications" / "paper.pdf").write_bytes(pdf_bytes())
    (settings.MEDIA_ROOT / "people" / "page.html").write_bytes(b"<script>alert(1)</script>")
    return settings.MEDIA_ROOT


# --- Uploaded files served safely --------------------------------------------------------

MEDIA_POLICY = (
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
)


@pytest.mark.parametrize(
    ("url", "content_type", "disposition"),
    [
        ("/media/people/photo.png", "image/png", 'inline; filename="photo.png"'),
        ("/media/publications/paper.pdf", "application/pdf", "attachment"),
        ("/media/people/page.html", "text/html", "attachment"),
    ],
)
def test_media_files_are_served_with_nosniff_a_sandbox_and_documents_as_attachments(
    with_media, client, url, content_type, disposition
):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == MEDIA_POLICY
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.get("Content-Disposition") == disposition


def test_publication_download_is_an_attachment_with_nosniff(client):
    publication = PublicationFactory(slug="a-paper")
    publication.file.save("paper.pdf", ContentFile(pdf_bytes()), save=True)
    response = client.get("/publications/a-paper/download/", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="a-paper.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # Served like every uploaded file (core/media.py): no script, a sandbox.
    assert response["Content-Security-Policy"] == MEDIA_CONTENT_SECURITY_POLICY


def test_debug_urls_serve_media_through_the_safe_view(settings):
    """jli/urls.py wires serve_media (not the bare static view) when DEBUG is on."""
    import importlib

    import jli.urls

    settings.DEBUG = True
    try:
        module = importlib.reload(jli.urls)
        media = [p for p in module.urlpatterns if "media" in str(p.pattern)]
        assert [p.callback for p in media] == [serve_media]
    finally:
        settings.DEBUG = False
        importlib.reload(jli.urls)


# --- Open redirects ----------------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/profile/",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "%68ttps://evil.example",
    "http://testserver@evil.example",
    "\t//evil.example",
    " //evil.example",
]


def _stays_on_site(location):
    location = location.strip().replace("\\", "/")
    parts = urlsplit(location)
    return (
        parts.scheme in ("", "http", "https")
        and parts.netloc in ("", "testserver")
        and not location.startswith("//")
        and not location.lower().startswith(("javascript:", "data:"))
    )


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_redirects_off_the_site(client, member_user, target):
    response = client.post(
        f"/accounts/login/?next={target}",
        {"username": "member@example.org", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert _stays_on_site(response["Location"]), response["Location"]
    # Already signed in: the sign-in page sends the member on, still on the site.
    response = client.get("/accounts/login/", {"next": target})
    assert response.status_code == 302
    assert _stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_admin_sign_in_never_redirects_off_the_site(client, superuser, target):
    response = client.post(
        "/admin/login/", {"username": "admin", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert _stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_out_never_redirects_off_the_site(member_client, target):
    response = member_client.post(f"/accounts/logout/?next={target}", {"next": target})
    assert response.status_code == 302
    assert _stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_language_switch_never_redirects_off_the_site(client, target):
    for method in (client.post, client.get):
        response = method(
            "/i18n/setlang/", {"language": "fr", "next": target}, headers={"referer": target}
        )
        assert response.status_code == 302
        assert _stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_password_reset_and_set_never_redirect_off_the_site(client, member_user, target):
    response = client.post(
        f"/accounts/password_reset/?next={target}", {"email": "member@example.org", "next": target}
    )
    assert response["Location"] == "/accounts/password_reset/done/"
    uid = urlsafe_base64_encode(force_bytes(member_user.pk))
    token = default_token_generator.make_token(member_user)
    response = client.get(f"/accounts/reset/{uid}/{token}/?next={target}")
    assert response["Location"] == f"/accounts/reset/{uid}/set-password/"
    response = client.post(
        f"/accounts/reset/{uid}/set-password/?next={target}",
        {"new_password1": "An0ther long passphrase", "new_password2": "An0ther long passphrase",
         "next": target},
    )  # fmt: skip
    assert response["Location"] == "/accounts/reset/done/"


# --- No user enumeration -----------------------------------------------------------------


def _normalised(response, address):
    text = response.text.replace(address, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_sign_in_answers_the_same_for_a_known_and_an_unknown_address(client, member_user):
    known = client.post("/accounts/login/", {"username": "member@example.org", "password": "x"})
    unknown = client.post("/accounts/login/", {"username": "nobody@example.org", "password": "x"})
    assert known.status_code == unknown.status_code == 200
    assert _normalised(known, "member@example.org") == _normalised(unknown, "nobody@example.org")


def test_sign_in_lockout_answers_the_same_for_a_known_and_an_unknown_address(
    client, member_user, settings
):
    answers = {}
    for address in ("member@example.org", "nobody@example.org"):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            response = client.post("/accounts/login/", {"username": address, "password": "x"})
        answers[address] = (response.status_code, _normalised(response, address))
    assert answers["member@example.org"][0] == 429
    assert answers["member@example.org"] == answers["nobody@example.org"]


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client, member_user):
    known = client.post("/accounts/password_reset/", {"email": "member@example.org"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (302, "/accounts/password_reset/done/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/accounts/password_reset/done/")
    assert [message.to for message in mail.outbox] == [["member@example.org"]]


def test_invitation_answers_the_same_for_any_unknown_token(client, member_user):
    """The invitation page is reached only with a secret token, never by address: a guess
    (whatever address it might stand for) gets one and the same page."""
    first = client.get("/accounts/invitation/member@example.org/")
    second = client.get("/accounts/invitation/nobody@example.org/")
    assert first.status_code == second.status_code == 404
    assert _normalised(first, "member@example.org") == _normalised(second, "nobody@example.org")


# --- The security log: events, and never a secret ----------------------------------------


def _invitation(token="an-invitation-token-that-is-secret"):  # noqa: S107 (test value)
    Invitation.objects.create(
        person=PersonFactory(email="invited@example.org"),
        email="invited@example.org",
        token_hash=_hash_token(token),
        expires_at=timezone.now() + timezone.timedelta(days=2),
    )
    return token


def test_lockout_is_logged(client, member_user, settings, caplog):
    with caplog.at_level(logging.INFO, logger="jli.security"):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            response = client.post(
                "/accounts/login/", {"username": "member@example.org", "password": "wrong-1"}
            )
    assert response.status_code == 429
    # The account's username: one count however it was named (members/throttling.py).
    assert "event=lockout user=- ip=127.0.0.1 username='member'" in caplog.text
    assert "wrong-1" not in caplog.text


def test_invitation_use_is_logged_without_token_password_or_session(client, caplog):
    token = _invitation()
    with caplog.at_level(logging.INFO, logger="jli.security"):
        client.get("/accounts/invitation/not-a-real-token/")
        response = client.post(
            f"/accounts/invitation/{token}/",
            {"password1": "A long new passphrase 7", "password2": "A long new passphrase 7"},
        )
        client.get(f"/accounts/invitation/{token}/")
    assert response["Location"] == "/profile/"
    assert "event=invitation_refused user=- ip=127.0.0.1 problem='invalid'" in caplog.text
    assert "event=invitation_accepted user=" in caplog.text
    assert "problem='used'" in caplog.text
    _assert_no_secrets(caplog.text, client, token, "A long new passphrase 7")


def test_password_reset_request_and_completion_are_logged_without_secrets(
    client, member_user, caplog
):
    uid = urlsafe_base64_encode(force_bytes(member_user.pk))
    token = default_token_generator.make_token(member_user)
    with caplog.at_level(logging.INFO, logger="jli.security"):
        client.post("/accounts/password_reset/", {"email": "member@example.org"})
        client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
        client.get(f"/accounts/reset/{uid}/{token}/")
        client.post(
            f"/accounts/reset/{uid}/set-password/",
            {"new_password1": "Brand new passphrase 9", "new_password2": "Brand new passphrase 9"},
        )
    assert "event=password_reset_requested user=- ip=127.0.0.1 accounts='1'" in caplog.text
    assert "event=password_reset_requested user=- ip=127.0.0.1 accounts='0'" in caplog.text
    assert f"event=password_reset_completed user={member_user.pk} ip=127.0.0.1" in caplog.text
    _assert_no_secrets(caplog.text, client, token, "Brand new passphrase 9")


def test_csrf_failure_on_a_token_url_logs_no_token(caplog):
    token = _invitation()
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.INFO, logger="jli.security"):
        response = client.post(f"/accounts/invitation/{token}/", {"password1": "x"})
    assert response.status_code == 403
    assert "event=csrf_failure" in caplog.text
    assert "path='<accounts_invitation>'" in caplog.text
    assert token not in caplog.text


def _assert_no_secrets(text, client, token, password):
    assert token not in text
    assert password not in text
    for cookie in client.cookies.values():
        assert not cookie.value or cookie.value not in text, cookie.key
    assert "csrftoken" not in text


# --- The "Observatory": every page type, every header it scores ------------------------

# (page type, URL, persona fixture or None, method, expected status)
PAGE_TYPES = [
    ("home", "/", None, "get", 200),
    ("list", "/groups/", None, "get", 200),
    ("detail", "/groups/supply/", None, "get", 200),
    ("person", "/people/ana/", None, "get", 200),
    ("sitemap", "/sitemap.xml", None, "get", 200),
    ("feed", "/publications/feed/", None, "get", 200),
    ("calendar", "/events/calendar.ics", None, "get", 200),
    ("sign-in", "/accounts/login/", None, "get", 200),
    ("member profile", "/profile/", "member_user", "get", 200),
    ("admin sign-in", "/admin/login/", None, "get", 200),
    ("admin", "/admin/groups/group/", "superuser", "get", 200),
    ("admin change form", "/admin/jli/storypage/add/", "superuser", "get", 200),
    ("media file", "/media/people/photo.png", None, "get", 200),
    ("static file", "/static/css/site.css", None, "get", 200),
    ("403", "/admin/auth/user/", "editor_user", "get", 403),
    ("404", "/no-such-page/", None, "get", 404),
    ("500", "/boom/", None, "get", 500),
    ("CSRF failure", "/accounts/login/", None, "post", 403),
    ("lockout page", "/accounts/login/", "locked", "post", 429),
]

REQUIRED_CSP_DIRECTIVES = ["object-src", "base-uri", "frame-ancestors", "form-action"]


def _policy(header):
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def observatory_problems(response):
    """What the Mozilla HTTP Observatory would mark down on this response (empty: A+)."""
    headers = response.headers
    problems = []
    policy = _policy(headers.get("Content-Security-Policy", ""))
    if not policy:
        problems.append("no Content-Security-Policy")
    for directive in REQUIRED_CSP_DIRECTIVES:
        if directive not in policy and not (directive != "frame-ancestors" and "sandbox" in policy):
            problems.append(f"CSP lacks {directive}")
    for directive in ("script-src", "style-src", "default-src"):
        sources = policy.get(directive, [])
        if {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"} & set(sources):
            problems.append(f"CSP {directive} is unsafe: {sources}")
    if policy.get("default-src") not in (["'self'"], ["'none'"]):
        problems.append("CSP default-src is not 'self' or 'none'")
    if policy.get("object-src", ["'none'"]) != ["'none'"]:
        problems.append("object-src is not 'none'")
    hsts = headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    if not max_age or int(max_age.group(1)) < 31_536_000:
        problems.append(f"HSTS under a year: {hsts!r}")
    if headers.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN") and policy.get(
        "frame-ancestors"
    ) != ["'none'"]:
        problems.append("framing allowed")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if headers.get("Referrer-Policy") not in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ):
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r}")
    if headers.get("Access-Control-Allow-Origin") == "*":
        problems.append("CORS wildcard")
    for name, cookie in response.cookies.items():
        if not cookie.value:
            continue  # a deletion
        if not name.startswith("__Host-"):
            problems.append(f"cookie {name} without the __Host- prefix")
        if not cookie["secure"]:
            problems.append(f"cookie {name} not Secure")
        if cookie["samesite"] not in ("Lax", "Strict"):
            problems.append(f"cookie {name} without SameSite")
        if "csrf" not in name and not cookie["httponly"]:
            problems.append(f"cookie {name} not HttpOnly")
    return problems


@pytest.fixture
def observatory_site(with_media, settings, member_user, editor_user, superuser):
    # Static files from the source folders (no collectstatic in tests).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    GroupFactory(slug="supply")
    PersonFactory(slug="ana")
    return {"member_user": member_user, "editor_user": editor_user, "superuser": superuser}


@pytest.mark.parametrize(
    ("page_type", "url", "persona", "method", "status"),
    PAGE_TYPES,
    ids=[row[0] for row in PAGE_TYPES],
)
def test_every_page_type_passes_the_observatory_rules(
    observatory_site, page_type, url, persona, method, status
):
    client = Client(raise_request_exception=False, enforce_csrf_checks=page_type == "CSRF failure")
    if persona == "locked":
        for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
            client.post(url, {"username": "x@example.org", "password": "x"}, secure=True)
        data = {"username": "x@example.org", "password": "x"}
    else:
        data = {}
        if persona:
            client.force_login(observatory_site[persona])
    response = getattr(client, method)(url, data, secure=True)
    assert response.status_code == status
    assert observatory_problems(response) == []


def test_sign_in_cookies_pass_the_observatory_rules(client, member_user):
    response = client.post(
        "/accounts/login/",
        {"username": "member@example.org", "password": PASSWORD},
        secure=True,
    )
    assert sorted(response.cookies) == ["__Host-csrftoken", "__Host-sessionid"]
    assert observatory_problems(response) == []
    response = client.post("/i18n/setlang/", {"language": "fr"}, secure=True)
    assert sorted(response.cookies) == ["__Host-language"]
    assert observatory_problems(response) == []


def test_plain_http_redirects_to_https_on_the_same_host(settings):
    settings.SECURE_SSL_REDIRECT = True
    for url in ("/", "/profile/", "/admin/", "/media/people/photo.png"):
        response = Client().get(url)
        assert (response.status_code, response["Location"]) == (301, f"https://testserver{url}")


def test_observatory_check_itself_finds_weak_headers(client):
    """The checker must fail on a weak response, or its passing proves nothing."""
    response = client.get("/healthz", secure=True)
    response.headers["Content-Security-Policy"] = "default-src *; script-src 'unsafe-inline'"
    response.headers["Strict-Transport-Security"] = "max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    del response.headers["X-Frame-Options"]
    response.cookies["sessionid"] = "x"
    problems = observatory_problems(response)
    assert "CORS wildcard" in problems
    assert "HSTS under a year: 'max-age=300'" in problems
    assert "framing allowed" in problems
    assert "cookie sessionid without the __Host- prefix" in problems
    assert "CSP lacks object-src" in problems
