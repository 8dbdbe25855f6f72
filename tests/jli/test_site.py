import pytest
from django.urls import reverse

from core.models import Status
from tests.factories import GroupFactory, PersonFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


def test_home_shows_intro_and_working_groups_only(client):
    StoryPageFactory(
        title="Why the JLI?", body="<p>The workforce was invisible.</p>", is_home_intro=True
    )
    GroupFactory(name="Working group on history", kind="working_group")
    GroupFactory(name="JLI secretariat", kind="secretariat")

    response = client.get(reverse("home"))

    assert '<h1 id="intro-title">Why the JLI?</h1>' in response.text
    assert "<p>The workforce was invisible.</p>" in response.text
    assert [g.name for g in response.context["working_groups"]] == ["Working group on history"]


def test_home_intro_is_sanitised_on_output(client):
    StoryPageFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>', is_home_intro=True)
    response = client.get(reverse("home"))
    assert "<p>Hi</p>" in response.text
    assert "alert(1)" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed(client, page_queries, count):
    StoryPageFactory(is_home_intro=True)
    GroupFactory.create_batch(count)
    # 6 queries: the intro page; the published working groups; the featured
    # publication; the home's events; the funders' acknowledgement; the header's story pages.
    with page_queries(6):
        client.get(reverse("home"))


def test_sitemap_lists_only_published_and_public_pages(client):
    GroupFactory(slug="supply")
    GroupFactory(slug="draft-group", status=Status.DRAFT)
    PersonFactory(slug="ana-silva")
    PersonFactory(slug="private-person", is_public=False)
    PersonFactory(slug="no-index", allow_indexing=False)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert "/groups/supply/" in response.text
    assert "/people/ana-silva/" in response.text
    for hidden in ("draft-group", "private-person", "no-index"):
        assert hidden not in response.text


def test_robots_txt_points_to_sitemap_and_keeps_crawlers_out_of_admin(client, settings):
    settings.SITE_URL = "https://jli.example.org"
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert "Disallow: /admin/" in response.text
    # On SITE_URL, never on the request's Host (tests/jli/test_site_url.py).
    assert "Sitemap: https://jli.example.org/sitemap.xml" in response.text


def test_healthz_answers_without_the_database(client, page_queries):
    # Not a public page: no query even with the caches on (the page cache only looks
    # up public pages, so it does not ask for the next scheduled change here).
    with page_queries(0, schedule=False):
        response = client.get("/healthz")
    assert response.text == "ok"


def test_unknown_page_answers_404_in_the_sites_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="site-header"' in response.text


def test_story_page_draft_is_404_for_public_and_preview_for_staff(client, editor_user):
    page = StoryPageFactory(slug="goals", status=Status.DRAFT)
    assert client.get(page.get_absolute_url()).status_code == 404
    client.force_login(editor_user)
    assert "Preview: this page is not visible" in client.get(page.get_absolute_url()).text


def test_pages_are_served_with_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert 'style="' not in response.text
    assert "<script" not in response.text
