"""The read API at /api/v1/: what an external client sees, and what it never sees."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.cache import NEXT_CHANGE_KEY, VERSION_KEY
from core.models import Status
from events.models import Event
from groups.models import Group, Membership, Person, Visibility
from opendata import api as api_module
from opendata import selectors
from publications.models import Publication
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://jli.example.org"


def get(client, path, **query):
    response = client.get(f"/api/v1/{path}", query)
    return response, response.json()


def slugs(body):
    return [item["slug"] for item in body["results"]]


def _full_publication(**kwargs):
    publication = PublicationFactory(**kwargs)
    publication.groups.add(GroupFactory(), GroupFactory(status=Status.DRAFT))
    publication.topics.add(TopicFactory())
    publication.funders.add(FunderFactory(), FunderFactory(is_public=False))
    AuthorshipFactory(publication=publication, position=2)
    AuthorshipFactory(publication=publication, position=1, person=PersonFactory(is_public=False))
    return publication


def test_publication_detail_gives_authors_in_order_and_public_links_only(client):
    publication = _full_publication(slug="hrh", doi="10.1/x")
    response, body = get(client, "publications/hrh/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response.has_header("ETag")
    authorships = list(publication.authorships.order_by("position"))
    assert [a["name"] for a in body["authors"]] == [a.display_name for a in authorships]
    # The private author is named (as on the page) but not linked.
    assert [a["person"] for a in body["authors"]] == [None, authorships[1].person.slug]
    assert body["groups"] == [publication.groups.get(status=Status.PUBLISHED).slug]
    assert body["funders"] == [publication.funders.get(is_public=True).slug]
    assert body["pdf_url"] is None
    assert body["citations"]["bibtex"] == "https://jli.example.org/publications/hrh/cite.bib"
    assert body["url"] == "https://jli.example.org/publications/hrh/"
    assert body["doi"] == "10.1/x"


def test_event_links_each_part_in_its_order_and_public_only(client):
    """An event's organisers, publications and funders (read together, one query) are
    each in the order their own lists give, the unpublished left out, and a list's
    events each get their own."""
    event = EventFactory(slug="meeting")
    other = EventFactory(slug="other")
    event.organisers.add(
        GroupFactory(slug="second", name="A", display_order=2),
        GroupFactory(slug="first", name="Z", display_order=1),
        GroupFactory(slug="draft-group", display_order=0, status=Status.DRAFT),
    )
    other.organisers.add(GroupFactory(slug="other-group"))
    event.publications.add(
        PublicationFactory(slug="undated", title="A", published_on=None, date_precision="unknown"),
        PublicationFactory(slug="older", title="A", published_on=datetime.date(2004, 1, 1)),
        PublicationFactory(slug="newer-b", title="B", published_on=datetime.date(2005, 1, 1)),
        PublicationFactory(slug="newer-a", title="A", published_on=datetime.date(2005, 1, 1)),
        PublicationFactory(slug="draft-paper", status=Status.DRAFT),
    )
    event.funders.add(
        FunderFactory(slug="funder-b", name="B", display_order=1),
        FunderFactory(slug="funder-a", name="A", display_order=1),
        FunderFactory(slug="hidden-funder", is_public=False),
    )
    body = get(client, "events/meeting/")[1]
    assert body["organisers"] == ["first", "second"]
    assert body["publications"] == ["newer-a", "newer-b", "older", "undated"]
    assert body["funders"] == ["funder-a", "funder-b"]
    listed = {item["slug"]: item for item in get(client, "events/")[1]["results"]}
    assert listed["other"]["organisers"] == ["other-group"]
    assert (listed["other"]["publications"], listed["other"]["funders"]) == ([], [])
    assert listed["meeting"]["publications"] == body["publications"]


@pytest.mark.parametrize("persona", ["anonymous_client", "editor_client"])
def test_nothing_unpublished_leaks_even_to_staff(request, persona):
    client = request.getfixturevalue(persona)
    PublicationFactory(slug="public")
    PublicationFactory(slug="draft", status=Status.DRAFT)
    PublicationFactory(slug="scheduled", publish_at=timezone.now() + datetime.timedelta(days=1))
    PublicationFactory(slug="expired", expire_at=timezone.now() - datetime.timedelta(days=1),
                       publish_at=timezone.now() - datetime.timedelta(days=2))  # fmt: skip
    PersonFactory(slug="shown")
    PersonFactory(slug="hidden", is_public=False)
    GroupFactory(slug="draft-group", status=Status.DRAFT)
    FunderFactory(slug="hidden-funder", is_public=False)
    EventFactory(slug="draft-event", status=Status.DRAFT)
    assert slugs(get(client, "publications/")[1]) == ["public"]
    assert slugs(get(client, "people/")[1]) == ["shown"]
    assert slugs(get(client, "groups/")[1]) == []
    assert slugs(get(client, "funders/")[1]) == []
    assert slugs(get(client, "events/")[1]) == []
    for path in ("publications/draft/", "publications/scheduled/", "publications/expired/",
                 "people/hidden/", "groups/draft-group/", "funders/hidden-funder/",
                 "events/draft-event/"):  # fmt: skip
        response, body = get(client, path)
        assert response.status_code == 404, path
        assert body == {"error": {"status": 404, "code": "not_found", "message": "Not found.",
                                  "details": []}}  # fmt: skip


def test_people_show_only_public_fields(client):
    PersonFactory(slug="a", email="a@example.org", email_visibility=Visibility.MEMBERS)
    PersonFactory(slug="b", email="b@example.org", email_visibility=Visibility.EVERYONE)
    body = get(client, "people/")[1]
    assert [person["email"] for person in body["results"]] == ["", "b@example.org"]
    assert "user" not in body["results"][0]
    assert "is_public" not in body["results"][0]


def test_memberships_link_public_people_and_published_groups(client):
    group = GroupFactory(slug="wg")
    MembershipFactory(group=group, person=PersonFactory(slug="p"), role="co_chair")
    MembershipFactory(group=group, person=PersonFactory(is_public=False))
    MembershipFactory(group=GroupFactory(status=Status.DRAFT))
    body = get(client, "memberships/")[1]
    [membership] = body["results"]
    assert membership.pop("updated_at")
    assert membership == {
        "person": "p",
        "group": "wg",
        "role": "co_chair",
        "start_date": None,
        "end_date": None,
    }
    assert slugs(get(client, "people/", group="wg", role="co_chair")[1]) == ["p"]


def test_funders_say_what_they_supported(client):
    funder = FunderFactory(slug="f")
    PublicationFactory(slug="paper").funders.add(funder)
    PublicationFactory(slug="draft", status=Status.DRAFT).funders.add(funder)
    EventFactory(slug="meeting").funders.add(funder)
    body = get(client, "funders/f/")[1]
    assert (body["publications"], body["events"]) == (["paper"], ["meeting"])


def test_lists_filter_like_the_public_lists(client):
    group = GroupFactory(slug="wg")
    report = PublicationFactory(
        slug="report", kind="report", published_on=datetime.date(2003, 1, 1)
    )
    report.groups.add(group)
    PublicationFactory(slug="paper", kind="working_paper")
    assert slugs(get(client, "publications/", kind="report")[1]) == ["report"]
    assert slugs(get(client, "publications/", group="wg")[1]) == ["report"]
    assert slugs(get(client, "publications/", year=2004)[1]) == ["paper"]
    assert slugs(get(client, "publications/", year=2003, kind="report")[1]) == ["report"]
    assert slugs(get(client, "publications/", year=2003, kind="working_paper")[1]) == []
    # An empty value filters nothing, as on the public lists.
    assert slugs(get(client, "publications/", kind="")[1]) == ["report", "paper"]
    EventFactory(slug="nairobi", country="KE", kind="workshop")
    EventFactory(slug="accra", country="GH", kind="workshop")
    assert slugs(get(client, "events/", country="ke")[1]) == ["nairobi"]
    assert slugs(get(client, "events/", country="gh", kind="workshop")[1]) == ["accra"]
    assert slugs(get(client, "events/", kind="")[1]) == ["nairobi", "accra"]


def test_pages_are_stable_and_bounded(client):
    for n in range(5):
        PublicationFactory(slug=f"p{n}")
    first = get(client, "publications/", page_size=2)[1]
    assert (first["count"], slugs(first), first["previous"]) == (5, ["p0", "p1"], None)
    assert first["next"] == "https://jli.example.org/api/v1/publications/?page_size=2&page=2"
    last = get(client, "publications/", page_size=2, page=3)[1]
    assert (slugs(last), last["next"]) == (["p4"], None)
    assert slugs(get(client, "publications/", page_size=2, page=9)[1]) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page_size=1000", "page_size"),
        ("page_size=0", "page_size"),
        ("page=abc", "page"),
        ("updated_since=yesterday", "updated_since"),
        ("year=2004&year=2005", "year"),
        ("sort=title", "sort"),
        ("kind=novel", "kind"),
        ("page=-1", "page"),
        ("group=%00", "group"),
        ("author=a%20b", "author"),
        ("topic=" + "x" * 201, "topic"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_queries_get_one_error_format(client, query, field):
    response = client.get(f"/api/v1/publications/?{query}")
    assert response.status_code == 400
    body = response.json()["error"]
    assert (body["status"], body["code"]) == (400, "bad_request")
    assert [detail["field"] for detail in body["details"]] == [field]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_detail_refuses_query_parameters_and_odd_slugs(client):
    PublicationFactory(slug="p")
    assert client.get("/api/v1/publications/p/?fields=all").status_code == 400
    assert client.get(f"/api/v1/publications/{'x' * 300}/").status_code == 400
    for odd in ("%00", "a%20b", "%C3%A9t%C3%A9"):
        assert client.get(f"/api/v1/publications/{odd}/").status_code == 404
    assert client.get("/api/v1/events/?country=%00").status_code == 400


def test_updated_since_sees_an_edit_and_a_scheduled_go_live(client):
    """An external client syncing with updated_since."""
    old, edited, scheduled = PublicationFactory.create_batch(3)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Publication.objects.update(updated_at=long_ago)
    Publication.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    last_sync = timezone.now() - datetime.timedelta(minutes=5)
    since = last_sync.isoformat()
    assert slugs(get(client, "publications/", updated_since=since)[1]) == []
    edited.title = "Edited"
    edited.save()
    # The go-live time comes without a save.
    Publication.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    body = get(client, "publications/", updated_since=since)[1]
    assert slugs(body) == [edited.slug, scheduled.slug]
    assert old.slug in slugs(get(client, "publications/")[1])


def _memberships(body):
    return [(item["person"], item["group"]) for item in body["results"]]


def test_updated_since_finds_memberships_changed_or_come_into_view(client):
    """An external client syncing memberships: an edit, a new one, a profile made
    public and a group's scheduled go-live (no save) all count as changes."""
    wg, later = GroupFactory(slug="wg"), GroupFactory(slug="later")
    MembershipFactory(group=wg, person=PersonFactory(slug="old"))
    edited = MembershipFactory(group=wg, person=PersonFactory(slug="edited"))
    hidden = PersonFactory(slug="hidden", is_public=False)
    MembershipFactory(group=wg, person=hidden)
    MembershipFactory(group=later, person=PersonFactory(slug="waiting"))
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Group.objects.update(updated_at=long_ago)
    Person.objects.update(updated_at=long_ago)
    Membership.objects.update(updated_at=long_ago)
    Group.objects.filter(pk=later.pk).update(publish_at=timezone.now() + datetime.timedelta(days=1))
    since = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    assert _memberships(get(client, "memberships/", updated_since=since)[1]) == []

    edited.role = "writer"
    edited.save()
    added = MembershipFactory(group=wg, person=PersonFactory(slug="added"))
    hidden.is_public = True
    hidden.save()
    Group.objects.filter(pk=later.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    body = get(client, "memberships/", updated_since=since)[1]
    assert sorted(_memberships(body)) == [
        ("added", "wg"),
        ("edited", "wg"),
        ("hidden", "wg"),
        ("waiting", "later"),
    ]
    assert added.created_at <= added.updated_at
    assert ("old", "wg") in _memberships(get(client, "memberships/")[1])


def test_an_unchanged_answer_is_not_modified(client):
    PublicationFactory(slug="p")
    etag = client.get("/api/v1/publications/p/")["ETag"]
    assert client.get("/api/v1/publications/p/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_api_is_read_only(client):
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/api/v1/publications/").status_code == 405


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, 15 s into a minute (its window, at 120/min)."""
    now = [1_800_000_015.0]
    monkeypatch.setattr(api_module.THROTTLE, "timer", lambda: now[0])
    return now


def test_too_many_requests_get_429_with_retry_after(client, monkeypatch, clock):
    monkeypatch.setattr(api_module.THROTTLE, "num_requests", 2)
    statuses = [client.get("/api/v1/groups/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/groups/")
    assert response["Retry-After"] == "45"  # when the minute ends
    assert response.json()["error"]["code"] == "too_many_requests"
    # Another client is not held back.
    assert client.get("/api/v1/groups/", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_the_limit_starts_afresh_in_the_next_window(client, monkeypatch, clock):
    monkeypatch.setattr(api_module.THROTTLE, "num_requests", 1)
    assert client.get("/api/v1/groups/").status_code == 200
    clock[0] += 44
    assert client.get("/api/v1/groups/").status_code == 429
    clock[0] += 1  # the next minute
    assert client.get("/api/v1/groups/").status_code == 200
    assert client.get("/api/v1/groups/").status_code == 429


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, monkeypatch, clock):
    monkeypatch.setattr(api_module.THROTTLE, "num_requests", 1)
    client.get("/api/v1/groups/")
    response = client.get("/api/v1/groups/", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_answers_are_kept_until_content_changes(client, page_cache, django_assert_num_queries):
    """With the page cache on, a repeated request is answered from the cache (no query),
    and a change of content (saved anywhere) shows at once."""
    publication = PublicationFactory(slug="report", title="Old title")
    for path in ("/api/v1/publications/", "/api/v1/publications/report/"):
        first = client.get(path)
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.content == first.content
        assert again["Cache-Control"] == "public, max-age=60"
    publication.title = "New title"
    publication.save()
    assert get(client, "publications/")[1]["results"][0]["title"] == "New title"
    assert get(client, "publications/report/")[1]["title"] == "New title"
    Publication.objects.filter(pk=publication.pk).update(status=Status.DRAFT)
    publication.groups.add(GroupFactory())  # a change outside the admin bumps the version
    assert get(client, "publications/")[1]["results"] == []
    assert client.get("/api/v1/publications/report/").status_code == 404


def test_a_kept_answer_is_one_cache_round_trip_with_the_rate_limits_count(
    client, page_cache, cache_reads, django_assert_num_queries
):
    """The content version, the next scheduled change and the answer read, and the
    request counted, together (one pipelined round trip with Redis:
    tests/jli/test_cache_state.py); no query."""
    GroupFactory()
    first = client.get("/api/v1/groups/?page=1")
    cache_reads.clear()

    with django_assert_num_queries(0):
        again = client.get("/api/v1/groups/?page=1")

    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    key = "page-cache:page:en:identity:/api/v1/groups/?page=1"
    assert cache_reads == [[VERSION_KEY, NEXT_CHANGE_KEY, key]]


def test_an_answer_kept_before_a_change_is_not_given_after_it_but_replaced(client, page_cache):
    """The answer stays under its key after the change, with the version it was made
    under: that older version makes it a miss, and the fresh answer takes its place."""
    key = "page-cache:page:en:identity:/api/v1/publications/report/"
    publication = PublicationFactory(slug="report", title="Old title")
    client.get("/api/v1/publications/report/")
    made_under, _ = cache.get(key)

    publication.title = "New title"
    publication.save()
    assert cache.get(key)[0] == made_under

    assert get(client, "publications/report/")[1]["title"] == "New title"
    kept_under, kept = cache.get(key)
    assert kept_under == cache.get(VERSION_KEY) != made_under
    assert b"New title" in kept.content


def test_a_kept_answer_speaks_the_clients_language_in_its_headers(client, page_cache):
    """The records are English for everyone, but the answer says which language the
    client asked for: each language's answer is kept apart."""
    PublicationFactory(slug="report")
    for language in ("fr", "en", "fr", "en"):
        response = client.get("/api/v1/publications/report/", HTTP_ACCEPT_LANGUAGE=language)
        assert response["Content-Language"] == language
    assert response["X-Page-Cache"] == "hit"


def test_a_signed_in_client_is_answered_and_counted_without_the_cache(
    member_client, page_cache, monkeypatch, clock
):
    monkeypatch.setattr(api_module.THROTTLE, "num_requests", 2)
    responses = [member_client.get("/api/v1/groups/") for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 429]
    assert all("X-Page-Cache" not in response for response in responses)


def test_a_kept_answer_is_not_given_after_a_scheduled_go_live(client, page_cache, monkeypatch):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    PublicationFactory(slug="report", publish_at=go_live)
    assert get(client, "publications/")[1]["count"] == 0
    assert get(client, "publications/")[1]["count"] == 0  # kept

    monkeypatch.setattr(timezone, "now", lambda: go_live + datetime.timedelta(seconds=1))

    assert slugs(get(client, "publications/")[1]) == ["report"]


def test_messages_speak_the_clients_language_and_records_stay_english(client, page_cache):
    """One address for every language, as the admin: Accept-Language picks the messages'
    language, and the answers say they vary with it; records are the English ones
    whatever the client asks (docs/design.md, "Languages")."""
    PublicationFactory(slug="report", title="Report", title_fr="Rapport")
    for path, read in (("publications/report/", lambda body: body["title"]),
                       ("publications/", lambda body: body["results"][0]["title"])):  # fmt: skip
        for language in ("fr", "en", "fr"):  # the second French one from the cache
            response = client.get(f"/api/v1/{path}", HTTP_ACCEPT_LANGUAGE=language)
            assert read(response.json()) == "Report"
            assert "Accept-Language" in response["Vary"]
    missing = client.get("/api/v1/publications/nothing/", HTTP_ACCEPT_LANGUAGE="fr")
    assert missing.json()["error"]["message"] == "Introuvable."
    assert client.get("/api/v1/publications/nothing/").json()["error"]["message"] == "Not found."
    bad = client.get("/api/v1/publications/", {"page_size": "x"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert bad.json()["error"]["details"][0]["message"] == "Un nombre entier est attendu."


def test_a_kept_answer_still_counts_against_the_limit(client, page_cache, monkeypatch, clock):
    monkeypatch.setattr(api_module.THROTTLE, "num_requests", 2)
    statuses = [client.get("/api/v1/groups/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_openapi_schema_describes_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        f"/api/v1/{name}" for name in (
            "groups/", "groups/{slug}/", "people/", "people/{slug}/", "memberships/",
            "publications/", "publications/{slug}/", "events/", "events/{slug}/",
            "funders/", "funders/{slug}/")
    }  # fmt: skip
    assert schema["info"]["version"] == "1"


def test_the_docs_page_loads_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script src=" in html
    # Its settings sit in a JSON data block, which the CSP does not execute.
    assert 'type="application/json"' in html


def _page(count):
    for _ in range(count):
        _full_publication()


@pytest.mark.parametrize("count", [1, 3])
def test_publication_list_runs_constant_queries(client, django_assert_num_queries, count):
    _page(count)
    # count, page, authors, their people, and their published groups, topics and public
    # funders together (one UNION ALL)
    with django_assert_num_queries(5):
        body = get(client, "publications/")[1]
    assert body["count"] == count


def test_a_lists_count_is_cached_until_content_changes(client, settings):
    """As the public lists' counts are (core.cache.cached_count): read once, then from
    the cache, and fresh at once after an edit; each filter has its own."""
    settings.COUNT_CACHE_SECONDS = 300
    PublicationFactory(kind="report")

    def counts_run():
        with CaptureQueriesContext(connection) as queries:
            assert get(client, "publications/")[1]["count"] == 1
        return sum("COUNT(" in query["sql"].upper() for query in queries)

    assert counts_run() == 1  # fills the cache
    assert counts_run() == 0
    assert get(client, "publications/", kind="working_paper")[1]["count"] == 0
    PublicationFactory(kind="working_paper")
    assert get(client, "publications/")[1]["count"] == 2
    assert get(client, "publications/", kind="working_paper")[1]["count"] == 1
    draft = PublicationFactory(status=Status.DRAFT)
    assert get(client, "publications/")[1]["count"] == 2
    draft.status = Status.PUBLISHED
    draft.save()
    assert get(client, "publications/")[1]["count"] == 3


@pytest.mark.parametrize("count", [1, 3])
def test_other_lists_run_constant_queries(client, django_assert_num_queries, count):
    for _ in range(count):
        funder = FunderFactory()
        event = EventFactory()
        event.funders.add(funder)
        event.organisers.add(GroupFactory())
        event.publications.add(PublicationFactory())
        MembershipFactory()
    # count and page, then the organisers, publications and funders together
    with django_assert_num_queries(3):
        get(client, "events/")
    # count, page, publications, events
    with django_assert_num_queries(4):
        get(client, "funders/")
    with django_assert_num_queries(2):
        get(client, "memberships/")
    with django_assert_num_queries(2):
        get(client, "people/")
    with django_assert_num_queries(2):
        get(client, "groups/")


def test_keywords_find_what_the_site_search_finds(client, indexed):
    """`q` uses the site's search engine, combined with the other filters."""
    with indexed():
        PublicationFactory(slug="migration", title="Nurse migration", kind="report")
        PublicationFactory(slug="schools", title="Nursing schools", kind="working_paper")
        PublicationFactory(slug="draft", title="Nurse draft", status=Status.DRAFT)
        PublicationFactory(slug="budgets", title="Budgets")
        PersonFactory(slug="diallo", given_name="Amina", family_name="Diallo", bio="Economist.")
        PersonFactory(slug="mensah", given_name="Kofi", family_name="Mensah", bio="Surgeon.")
        EventFactory(slug="accra", title="Consultation in Accra", description="Doctors.")
        EventFactory(slug="oslo", title="Workshop in Oslo")
        GroupFactory(slug="wg", name="Working group on migration")
        FunderFactory(slug="rf", name="Rockefeller Foundation")
    assert slugs(get(client, "publications/", q="nurses")[1]) == ["migration", "schools"]
    assert slugs(get(client, "publications/", q="nurses", kind="report")[1]) == ["migration"]
    assert slugs(get(client, "publications/", q='"nursing schools"')[1]) == ["schools"]
    assert slugs(get(client, "people/", q="economists")[1]) == ["diallo"]
    # A part of a name, as the people directory finds it.
    assert slugs(get(client, "people/", q="iall")[1]) == ["diallo"]
    assert slugs(get(client, "events/", q="doctor")[1]) == ["accra"]
    assert slugs(get(client, "groups/", q="migration")[1]) == ["wg"]
    assert slugs(get(client, "funders/", q="rockefeller")[1]) == ["rf"]


@pytest.mark.parametrize("q", ["", "*", '"', "AND OR NOT", "-", "x" * 200])
def test_odd_keywords_are_harmless(client, q):
    for path in ["publications/", "people/", "events/", "groups/", "funders/"]:
        assert client.get(f"/api/v1/{path}", {"q": q}).status_code == 200


def test_keywords_are_not_a_membership_filter(client):
    response, body = get(client, "memberships/", q="x")
    assert response.status_code == 400
    assert [detail["field"] for detail in body["error"]["details"]] == ["q"]


@pytest.mark.parametrize(
    ("path", "query", "field", "message"),
    [
        ("publications/", "page_size=1000", "page_size", "At most 100."),
        ("publications/", "page_size=0", "page_size", "At least 1."),
        ("publications/", "page=abc", "page", "A whole number is expected."),
        ("events/", "updated_since=2004-13-45", "updated_since",
         "A date and time is expected, e.g. 2004-05-31T12:00:00Z."),
        ("memberships/", "updated_since=yesterday", "updated_since",
         "A date and time is expected, e.g. 2004-05-31T12:00:00Z."),
        ("people/", "role=boss", "role", "One of: co_chair, coordinator, lead_writer, writer, "
         "staff, adviser, member."),
        ("people/", "role=writer&role=member", "role", "Given more than once."),
        ("groups/", "fields=all", "fields", "Unknown parameter."),
        ("funders/", "q=" + "x" * 201, "q", "At most 200 characters."),
        ("people/", "country=Kenya", "country", "Not in the expected form."),
        ("events/", "year=1e3", "year", "A whole number is expected."),
    ],
)  # fmt: skip
def test_bad_input_is_explained_in_words(client, path, query, field, message):
    response = client.get(f"/api/v1/{path}?{query}")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "status": 400,
        "code": "bad_request",
        "message": "Some query parameters are not valid.",
        "details": [{"field": field, "message": message}],
    }


@pytest.fixture
def marked_translation(monkeypatch):
    """Every message through gettext comes back marked, as a catalogue would translate it."""
    from django.utils import translation

    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"«{message}»")
    monkeypatch.setattr(
        translation._trans,
        "ngettext",
        lambda singular, plural, number: f"«{singular if number == 1 else plural}»",
    )


@pytest.mark.parametrize(
    "query", ["page_size=1000", "sort=title", "kind=novel", "updated_since=x", "year=1&year=2"]
)
def test_error_messages_are_translated(client, marked_translation, query):
    error = client.get(f"/api/v1/publications/?{query}").json()["error"]
    messages = [error["message"], *(detail["message"] for detail in error["details"])]
    assert all(message.startswith("«") for message in messages), messages


def test_not_found_and_throttled_are_translated(client, marked_translation, monkeypatch):
    assert client.get("/api/v1/publications/nothing/").json()["error"]["message"] == "«Not found.»"
    monkeypatch.setattr(api_module.THROTTLE, "allow_request", lambda request: False)
    monkeypatch.setattr(api_module.THROTTLE, "wait", lambda: 30)
    body = client.get("/api/v1/publications/").json()
    assert body["error"]["message"] == "«Too many requests: try again in 30 seconds.»"


@pytest.mark.parametrize(
    "path",
    [
        "publications/?page=99999999999999999999",
        "publications/?updated_since=2004-05-31T25:00:00Z",
        "publications/?updated_since=0001-01-01T00:00:00%2B14:00",
        "events/?year=0",
        "people/?group=" + "x" * 5000,
        "memberships/?person=%C3%A9",
        "funders/?tier=%00",
        "groups/?q=%00",
        "publications/%2e%2e/",
    ],
)
def test_odd_input_is_a_clear_4xx_never_500(client, path):
    response = client.get(f"/api/v1/{path}")
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["status"] == response.status_code


def test_updated_since_without_an_offset_is_utc(client):
    PublicationFactory(slug="p")
    Publication.objects.update(updated_at=datetime.datetime(2004, 5, 31, 12, tzinfo=datetime.UTC))
    assert slugs(get(client, "publications/", updated_since="2004-05-31T11:59:00")[1]) == ["p"]
    assert slugs(get(client, "publications/", updated_since="2004-05-31T12:01:00")[1]) == []
    body = get(client, "publications/", updated_since="0001-01-01T00:00:00+14:00")[1]
    assert body["error"]["details"] == [
        {"field": "updated_since", "message": "Out of the range of dates this API can compare."}
    ]


@pytest.mark.parametrize(
    "path", ["publications", "events", "funders", "people", "groups", "memberships"]
)
def test_lists_give_exactly_what_their_schema_gives(client, record, path):
    """Lists and details render their records without ninja validating them
    (opendata.api.PublicAPI.create_cached_response): the bytes are those of the page
    validated by its schema and rendered by ninja, and each record is byte for byte
    what its detail endpoint gives and what the detail's schema validates."""
    page_schemas = {"publications": "PublicationPage", "events": "EventPage",
                    "funders": "FunderPage", "people": "PersonPage", "groups": "GroupPage",
                    "memberships": "MembershipPage"}  # fmt: skip
    publication = _full_publication(slug="full")
    AuthorshipFactory(publication=publication, position=3, person=None, name="WHO",
                      is_organisation=True)  # fmt: skip
    response = client.get(f"/api/v1/{path}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    assert body["results"]

    def render(data):
        rendered = api_module.api.renderer.render(None, data, response_status=200)
        return rendered.encode() if isinstance(rendered, str) else rendered

    schema = getattr(api_module.schemas, page_schemas[path])
    assert response.content == render(schema.model_validate(body).model_dump())
    if path != "memberships":
        detail_schema = getattr(api_module.schemas, page_schemas[path].replace("Page", "Out"))
        for item in body["results"]:
            detail = client.get(f"/api/v1/{path}/{item['slug']}/")
            assert detail.content == render(item)
            # Rendered without ninja too: what its schema validates and ninja renders.
            assert detail.content == render(detail_schema.model_validate(item).model_dump())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_plain_rows_read_translations_as_the_model_does(language):
    """Pages read plain values, not model instances (opendata.selectors.ApiList):
    each translated field is the one a model instance gives in the active language,
    the French version where there is one and the English otherwise."""
    PublicationFactory(title="Report", title_fr="Rapport", abstract="Plain.", abstract_fr="",
                       summary="", summary_fr="Résumé.")  # fmt: skip
    EventFactory(title="Meeting", title_fr="Réunion", summary="Short.", outcomes="")
    with translation.override(language):
        for kind, model in (("publications", Publication), ("events", Event)):
            instance = model.objects.get()
            (row,) = selectors.API_LISTS[kind].page(timezone.now(), {}, 0, 10)
            for name in ("title", "summary", "abstract", "subtitle", "outcomes"):
                if hasattr(instance, name):
                    assert getattr(row, name) == getattr(instance, name), name
