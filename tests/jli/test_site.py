import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageDraw

from core.models import Status
from publications.models import PublicationKind
from tests.factories import GroupFactory, PersonFactory, PublicationFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


def test_home_shows_intro_and_working_groups_only(client):
    StoryPageFactory(
        title="Why the JLI?", body="<p>The workforce was invisible.</p>", is_home_intro=True
    )
    GroupFactory(name="Working group on history", kind="working_group")
    GroupFactory(name="JLI secretariat", kind="secretariat")

    response = client.get(reverse("home"))

    assert '<h2 id="why-title">Why the JLI?</h2>' in response.text
    assert "<p>The workforce was invisible.</p>" in response.text
    assert [g.name for g in response.context["working_groups"]] == ["Working group on history"]


def test_home_opens_with_one_sentence_its_key_facts_then_the_ways_in(client):
    StoryPageFactory(title="Why the JLI?", body="<p>The workforce.</p>", is_home_intro=True)
    report = PublicationFactory(
        title="Human Resources for Health",
        subtitle="Overcoming the Crisis",
        kind=PublicationKind.STRATEGY_REPORT,
        is_featured=True,
    )

    text = client.get(reverse("home")).text

    h1 = text.index("<h1")
    sentence = text.index("The JLI was a multistakeholder, participatory learning process")
    facts = text.index('<dl class="key-facts">')
    ways_in = text.index('<nav class="ways-in"')
    intro = text.index("<p>The workforce.</p>")
    assert h1 < sentence < facts < ways_in < intro
    for term, value in [
        ("Years", "2002–2004"),
        ("Members", "more than 100"),
        ("Working groups", "seven"),
    ]:
        assert f"<dt>{term}</dt><dd>{value}</dd>" in text
    assert f'<a href="{report.get_absolute_url()}">the Strategy Report</a>' in text
    ways = text[ways_in : text.index("</nav>", ways_in)]
    for url in ["/groups/", report.get_absolute_url(), "/publications/", "/events/", "/funders/"]:
        assert f'<a href="{url}">' in ways


def test_home_and_story_pages_link_every_published_story_page(client):
    pages = [
        StoryPageFactory(title="Acknowledgements", slug="acknowledgements", navigation_order=30),
        StoryPageFactory(title="The secretariat", slug="secretariat", navigation_order=20),
    ]
    StoryPageFactory(title="Draft page", slug="draft", status=Status.DRAFT)

    for url in ["/", "/about/secretariat/"]:
        text = client.get(url).text
        assert '<a href="/about/secretariat/"' in text
        assert '<a href="/about/acknowledgements/">Acknowledgements</a>' in text
        assert "/about/draft/" not in text
    assert [p.slug for p in client.get("/").context["story_pages"]] == [
        pages[1].slug,
        pages[0].slug,
    ]


def test_favicon_is_served_at_the_root_and_icons_are_linked(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    text = client.get(reverse("home")).text
    assert '<link rel="icon" href="/favicon.ico" sizes="48x48">' in text
    assert re.search(r'<link rel="icon" href="/static/img/favicon[.\w]*\.svg"', text)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/img/apple-touch-icon', text)


def test_every_page_has_the_default_social_image_and_the_wordmark(client, settings):
    settings.SITE_URL = "https://jli.example.org"
    text = client.get(reverse("groups:group_list")).text
    assert re.search(
        r'<meta property="og:image" content="https://jli.example.org/static/img/jli-social', text
    )
    assert '<meta property="og:image:width" content="1200">' in text
    assert re.search(r'<img class="site-name__mark" src="/static/img/jli-wordmark', text)
    assert 'alt="Joint Learning Initiative (JLI)"' in text


def test_french_pages_share_the_french_social_image(client, settings):
    settings.SITE_URL = "https://jli.example.org"

    english = client.get("/groups/").text
    french = client.get("/fr/groups/").text

    social = r'<meta property="og:image" content="https://jli\.example\.org/static/img/{}"'
    assert re.search(social.format(r"jli-social\.png"), english)
    assert re.search(social.format(r"jli-social-fr\.png"), french)
    assert "jli-social-fr" not in english


def test_identity_files_have_their_promised_sizes():
    folder = Path(settings.BASE_DIR) / "static" / "img"
    for name in ["jli-social.png", "jli-social-fr.png"]:
        with Image.open(folder / name) as social:
            assert social.size == (1200, 630)
    with Image.open(folder / "apple-touch-icon.png") as touch:
        assert touch.size == (180, 180)
    with Image.open(folder / "favicon.ico") as icon:
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    wordmark = (folder / "jli-wordmark.svg").read_text()
    assert 'role="img" aria-label="JLI"' in wordmark


def test_home_intro_is_sanitised_on_output(client):
    StoryPageFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>', is_home_intro=True)
    response = client.get(reverse("home"))
    assert "<p>Hi</p>" in response.text
    assert "alert(1)" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed(client, page_queries, count):
    StoryPageFactory(is_home_intro=True)
    GroupFactory.create_batch(count)
    # 7 queries: the intro page; the story pages; the published working groups; the
    # featured publication; the home's events; the funders' acknowledgement; the header's
    # story pages.
    with page_queries(7):
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


def test_the_sign_in_page_may_be_crawled_and_indexed_at_one_address(client, settings):
    settings.SITE_URL = "https://jli.example.org"

    rules = client.get("/robots.txt").text.splitlines()
    english = client.get("/accounts/login/?next=/profile/").text
    french = client.get("/fr/accounts/login/?next=/fr/profile/").text

    # Allowed by the longer rule, the rest of /accounts/ still not.
    assert {"Allow: /accounts/login/", "Disallow: /accounts/"} <= set(rules)
    assert {"Allow: /fr/accounts/login/", "Disallow: /fr/accounts/"} <= set(rules)
    assert 'name="robots"' not in english
    assert '<link rel="canonical" href="https://jli.example.org/accounts/login/">' in english
    assert '<link rel="canonical" href="https://jli.example.org/fr/accounts/login/">' in french
    assert 'name="robots" content="noindex"' in client.get("/accounts/password_reset/").text


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


def test_draw_identity_draws_the_social_image_in_each_language(settings, tmp_path, monkeypatch):
    settings.BASE_DIR = tmp_path
    written = []
    original_text = ImageDraw.ImageDraw.text

    def text(self, xy, words, *args, **kwargs):
        written.append(words)
        return original_text(self, xy, words, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)

    call_command("draw_identity", stdout=StringIO())

    folder = tmp_path / "static" / "img"
    for name in ["jli-social.png", "jli-social-fr.png"]:
        with Image.open(folder / name) as social:
            assert social.size == (1200, 630)
    # Each image: the mark, the name in its language (whole lines), then the years.
    images = " ".join(written).split(" 2002–2004")
    names = [image.rsplit("JLI ", 1)[1] for image in images if "JLI " in image]
    assert names == [
        "Joint Learning Initiative on Human Resources for Health and Development",
        "Initiative conjointe d'apprentissage sur les ressources humaines pour la santé et "
        "le développement",
    ]
