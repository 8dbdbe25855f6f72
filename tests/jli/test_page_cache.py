"""The whole-page cache: fast for anonymous readers, never stale after a change."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.cache import NEXT_CHANGE_KEY, VERSION_KEY
from core.models import Status
from groups.models import Role
from tests.factories import GroupFactory, MembershipFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def test_second_anonymous_read_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    GroupFactory(name="Working group on supply")
    assert client.get("/groups/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/groups/")
    assert response["X-Page-Cache"] == "hit"
    assert "Working group on supply" in response.text


def test_a_hit_is_one_cache_read_and_no_query(client, cache_reads, django_assert_num_queries):
    """The content version, the next scheduled change and the page in one read (one
    MGET with Redis): a page keyed by the version would need the version read first."""
    GroupFactory(name="Working group on supply")
    client.get("/groups/")
    cache_reads.clear()

    with django_assert_num_queries(0):
        response = client.get("/groups/")

    assert response["X-Page-Cache"] == "hit"
    assert cache_reads == [[VERSION_KEY, NEXT_CHANGE_KEY, "page-cache:page:en:identity:/groups/"]]


def test_a_page_made_before_a_change_is_not_served_after_it_but_replaced(client):
    """The page stays under its key after the change, with the version it was made
    under: that older version makes it a miss, and the fresh page takes its place."""
    group = GroupFactory(name="Working group on supply")
    client.get("/groups/")
    made_under, _ = cache.get("page-cache:page:en:identity:/groups/")

    group.name = "Working group on workforce supply"
    group.save()
    assert cache.get("page-cache:page:en:identity:/groups/")[0] == made_under  # still there
    response = client.get("/groups/")

    assert response["X-Page-Cache"] == "miss"
    assert "Working group on workforce supply" in response.text
    kept_under, _ = cache.get("page-cache:page:en:identity:/groups/")
    assert kept_under == cache.get(VERSION_KEY) != made_under
    assert client.get("/groups/")["X-Page-Cache"] == "hit"


def test_publishing_unpublishing_and_editing_show_at_once_on_every_page(client):
    group = GroupFactory(name="Working group on supply", slug="supply", status=Status.DRAFT)
    person = PersonFactory(given_name="Ana", family_name="Silva", slug="ana")
    MembershipFactory(person=person, group=group, role=Role.CO_CHAIR)
    pages = ["/", "/groups/", "/people/", "/people/ana/"]
    for url in pages:
        assert "Working group on supply" not in client.get(url).text  # cached now

    group.status = Status.PUBLISHED
    group.save()
    assert client.get("/groups/supply/").status_code == 200
    for url in pages:
        assert "Working group on supply" in client.get(url).text, url

    group.name = "Working group on workforce supply"
    group.save()
    for url in [*pages, "/groups/supply/"]:
        assert "Working group on workforce supply" in client.get(url).text, url

    group.status = Status.DRAFT
    group.save()
    assert client.get("/groups/supply/").status_code == 404
    for url in pages:
        assert "workforce supply" not in client.get(url).text, url


def test_a_role_added_or_removed_shows_at_once(client):
    group = GroupFactory(slug="supply")
    client.get("/groups/supply/")
    membership = MembershipFactory(group=group, person__given_name="Kofi")
    assert "Kofi" in client.get("/groups/supply/").text
    membership.delete()
    assert "Kofi" not in client.get("/groups/supply/").text


def test_scheduled_group_appears_when_its_time_comes(client, monkeypatch):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    GroupFactory(name="Scheduled group", publish_at=go_live)
    assert "Scheduled group" not in client.get("/groups/").text
    assert client.get("/groups/")["X-Page-Cache"] == "hit"

    monkeypatch.setattr(timezone, "now", lambda: go_live + datetime.timedelta(seconds=1))
    response = client.get("/groups/")

    assert response["X-Page-Cache"] == "miss"  # the version bumped: the copy is stale
    assert "Scheduled group" in response.text
    assert client.get("/groups/")["X-Page-Cache"] == "hit"


def test_signed_in_readers_are_never_served_from_the_cache(client, member_user):
    GroupFactory(name="Working group on supply")
    client.get("/groups/")
    client.force_login(member_user)
    response = client.get("/groups/")
    assert "X-Page-Cache" not in response


def test_pages_are_cached_per_language(client):
    GroupFactory(name="Working group on supply")
    english = client.get("/groups/")
    french = client.get("/fr/groups/")
    assert english["X-Page-Cache"] == "miss"
    assert french["X-Page-Cache"] == "miss"
    assert '<html lang="fr">' in french.text
    # The address decides the language: a French browser at the English address shares
    # the English copy.
    french_browser = client.get("/groups/", headers={"accept-language": "fr"})
    assert french_browser["X-Page-Cache"] == "hit"
    assert '<html lang="en">' in french_browser.text


def test_pages_that_set_cookies_are_not_cached(client):
    client.get("/accounts/login/")
    assert "X-Page-Cache" not in client.get("/accounts/login/")


def test_bulk_publishing_from_the_admin_shows_at_once(client, editor_user):
    from publications.models import Publication
    from tests.factories import PublicationFactory

    publication = PublicationFactory(title="Overcoming the crisis", status=Status.DRAFT)
    assert "Overcoming the crisis" not in client.get("/publications/").text  # cached

    editor = type(client)()
    editor.force_login(editor_user)
    editor.post(
        "/admin/publications/publication/",
        {"action": "publish", "_selected_action": [publication.pk]},
    )

    assert Publication.objects.get().status == Status.PUBLISHED
    assert "Overcoming the crisis" in client.get("/publications/").text


def test_public_pages_are_sent_as_one_body_not_in_pieces(client):
    # The syndication feed writes its XML in many pieces; sent as they are, each is a
    # separate write to the socket (and a ~40 ms wait for an ACK under load).
    from tests.factories import PublicationFactory

    PublicationFactory.create_batch(3)
    response = client.get("/publications/feed/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert len(response._container) == 1  # the pieces Django keeps
    assert response.content.count(b"<entry>") == 3


def test_a_cached_page_keeps_its_etag_and_answers_conditional_gets(client, monkeypatch):
    """The ETag is worked out once, when the page is cached: a hit carries the same one
    without hashing the page again, and a reader who has it gets 304 Not Modified."""
    GroupFactory(name="Working group on supply")
    first = client.get("/groups/")
    etag = first["ETag"]

    def no_hashing(response):
        raise AssertionError("a cached page's ETag was worked out again")

    monkeypatch.setattr("django.middleware.http.set_response_etag", no_hashing)
    hit = client.get("/groups/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["ETag"] == etag
    assert client.get("/groups/", headers={"if-none-match": etag}).status_code == 304


def test_a_hit_carries_every_header_the_stack_adds(client):
    """The copy kept is the finished response: a hit skips the middleware below the
    cache, so the security headers must come with the copy."""
    GroupFactory(name="Working group on supply")
    miss = client.get("/groups/")
    hit = client.get("/groups/")

    assert hit["X-Page-Cache"] == "hit"
    assert {**miss.headers, "X-Page-Cache": "hit"} == dict(hit.headers)
    for header in [
        "Content-Security-Policy",
        "Permissions-Policy",
        "Cross-Origin-Resource-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Language",
    ]:
        assert hit[header], header


def test_a_hit_refuses_a_host_the_site_does_not_serve(client):
    GroupFactory(name="Working group on supply")
    client.get("/groups/")
    assert client.get("/groups/", headers={"host": "attacker.example"}).status_code == 400


def test_a_conditional_get_of_a_compressed_copy_is_answered_304(client):
    GroupFactory(name="Working group on supply")
    gzip_reader = {"accept-encoding": "gzip"}
    etag = client.get("/groups/", headers=gzip_reader)["ETag"]

    response = client.get("/groups/", headers={**gzip_reader, "if-none-match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_health_checks_and_other_pages_cost_no_cache_read(client, cache_reads):
    for url in ["/healthz", "/accounts/login/", "/static/no-such-file.css", "/no-such-page/"]:
        client.get(url)
    assert cache_reads == []


def test_a_reader_with_a_session_cookie_is_answered_afresh_and_leaves_no_copy(client):
    """A session cookie (a signed-in reader's, or one left from an old visit) sends the
    request through the whole stack, which knows who is signed in."""
    from django.conf import settings

    GroupFactory(name="Working group on supply")
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"

    response = client.get("/groups/")

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert cache.get("page-cache:page:en:identity:/groups/") is None


def test_a_reader_with_a_message_waiting_sees_it(client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    GroupFactory(name="Working group on supply")
    client.get("/groups/")  # kept
    storage = CookieStorage(HttpRequest())
    client.cookies[CookieStorage.cookie_name] = storage._encode(
        [Message(constants.INFO, "Your message was sent.")]
    )

    response = client.get("/groups/")

    assert "X-Page-Cache" not in response
    assert "Your message was sent." in response.text


def test_a_head_request_is_served_a_kept_copy_but_leaves_none(client):
    GroupFactory(name="Working group on supply")
    assert "X-Page-Cache" not in client.head("/groups/")
    assert cache.get("page-cache:page:en:identity:/groups/") is None

    client.get("/groups/")
    assert client.head("/groups/")["X-Page-Cache"] == "hit"
