import datetime
import re

import pytest
from django.urls import reverse

from core.admin import PROSE_EDITOR_STYLE_HASH
from core.models import Status
from jli.models import StoryPage
from tests.factories import StoryPageFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:jli_storypage_add")


def _admin_form(**overrides):
    data = {
        "title_en": "Goals and design",
        "slug": "goals-and-design",
        "summary_en": "How the JLI worked.",
        "body_en": "<p>Seven working groups.</p>",
        "navigation_order": "0",
        "status": Status.PUBLISHED,
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
    }
    # Story pages have French versions (jli/translation.py): English fields are `<name>_en`.
    translated = ("title", "summary", "body")
    return data | {
        f"{key}_en" if key in translated else key: value for key, value in overrides.items()
    }


# --- /about/<slug>/ ----------------------------------------------------------------


def test_story_page_renders_title_body_and_summary(client):
    page = StoryPageFactory(
        title="The secretariat",
        summary="Three bases.",
        body="<h2>Bases</h2><ul><li>New York City</li></ul>",
    )

    response = client.get(page.get_absolute_url())

    assert response.context["page"] == page
    assert "<h1>The secretariat</h1>" in response.text
    assert '<div class="prose"><h2>Bases</h2><ul><li>New York City</li></ul></div>' in (
        response.text
    )
    assert '<meta name="description" content="Three bases.">' in response.text
    assert "Preview" not in response.text


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Status.DRAFT},
        {"publish_at": datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)},
        {"expire_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_unpublished_story_page_is_404_publicly_and_a_preview_for_staff(persona, hidden):
    name, client = persona
    page = StoryPageFactory(title="Work in progress", **hidden)

    response = client.get(page.get_absolute_url())

    if name in {"editor_client", "superuser_client"}:
        assert response.status_code == 200
        assert "Preview: this page is not visible to the public." in response.text
    else:
        assert response.status_code == 404
        assert "Work in progress" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_story_page_query_count_is_fixed(client, page_queries, count):
    StoryPageFactory.create_batch(count, show_in_navigation=True)
    page = StoryPageFactory()
    # 3 queries: the page; every story page for its "About the JLI" list; the header's
    # story pages.
    with page_queries(3):
        client.get(page.get_absolute_url())


# --- navigation -------------------------------------------------------------------


def test_header_lists_published_navigation_pages_in_order(client):
    later = StoryPageFactory(title="After the JLI", show_in_navigation=True, navigation_order=2)
    first = StoryPageFactory(title="Goals", show_in_navigation=True, navigation_order=1)
    StoryPageFactory(title="Draft in nav", show_in_navigation=True, status=Status.DRAFT)
    StoryPageFactory(title="Not in nav")

    response = client.get(first.get_absolute_url())

    nav = response.text.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="(/about/[^"]+)"', nav) == [
        first.get_absolute_url(),
        later.get_absolute_url(),
    ]
    assert f'<a href="{first.get_absolute_url()}" aria-current="page">Goals</a>' in nav
    assert "Draft in nav" not in response.text
    assert "Not in nav" not in nav


# --- home intro -------------------------------------------------------------------


def test_home_intro_edited_in_the_admin_shows_on_the_home_page(editor_client, client):
    intro = StoryPageFactory(title="Why the JLI?", is_home_intro=True, slug="why-the-jli")
    url = reverse("admin:jli_storypage_change", args=[intro.pk])

    response = editor_client.post(
        url,
        _admin_form(
            title="Why the JLI?",
            slug="why-the-jli",
            is_home_intro="on",
            body="<p>The workforce was <em>invisible</em>.</p><script>alert(1)</script>",
        ),
    )

    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert '<div class="prose"><p>The workforce was <em>invisible</em>.</p></div>' in home.text


def test_second_home_intro_is_refused_with_a_clear_message(editor_client):
    StoryPageFactory(is_home_intro=True)

    response = editor_client.post(ADD_URL, _admin_form(is_home_intro="on"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert list(errors) == ["Another page is already the home page introduction."]
    assert not StoryPage.objects.filter(slug="goals-and-design").exists()


# --- the admin's editor ------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_fixture", "status"),
    [
        ("anonymous_client", 302),
        ("member_client", 302),
        ("other_member_client", 302),
        ("editor_client", 200),
        ("superuser_client", 200),
    ],
)
def test_story_page_admin_is_for_staff_only(request, client_fixture, status):
    client = request.getfixturevalue(client_fixture)
    assert client.get(ADD_URL).status_code == status


def test_admin_editor_loads_from_static_files_with_a_nonce_for_its_import_map(editor_client):
    response = editor_client.get(ADD_URL)

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert "'unsafe-inline'" not in policy
    assert f"style-src 'self' {PROSE_EDITOR_STYLE_HASH}" in policy
    assert f'<script type="importmap" nonce="{nonce}">' in response.text
    assert '"django-prose-editor/editor": "/static/django_prose_editor/editor.js"' in (
        response.text
    )
    assert 'src="/static/django_prose_editor/configurable.js"' in response.text
    assert 'href="/static/django_prose_editor/editor.css"' in response.text
    assert "data-django-prose-editor-configurable=" in response.text


def test_public_pages_send_no_nonce(client):
    page = StoryPageFactory()
    policy = client.get(page.get_absolute_url())["Content-Security-Policy"]
    # Directives come in no fixed order: compare them by name.
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "nonce" not in policy
    assert "sha256" not in policy


def test_empty_body_from_the_editor_is_stored_empty(editor_client):
    editor_client.post(ADD_URL, _admin_form(body="<p></p>"))
    assert StoryPage.objects.get(slug="goals-and-design").body == ""


def test_empty_and_too_long_titles_are_refused(editor_client):
    response = editor_client.post(ADD_URL, _admin_form(title=""))
    assert response.context["adminform"].form.errors["title_en"] == ["This field is required."]
    response = editor_client.post(ADD_URL, _admin_form(title="x" * 201))
    assert response.context["adminform"].form.errors["title_en"] == [
        "Ensure this value has at most 200 characters (it has 201)."
    ]
    assert StoryPage.objects.count() == 0


# --- hostile rich text, saved through the admin ------------------------------------

HOSTILE = {
    "script": ("<p>a</p><script>alert(1)</script>", "<p>a</p>"),
    "onerror": ('<img src="x.png" alt="Logo" onerror="alert(1)">', '<img src="x.png" alt="Logo">'),
    "javascript link": (
        '<a href="javascript:alert(1)">x</a>',
        '<a rel="noopener noreferrer">x</a>',
    ),
    "obfuscated javascript link": (
        '<a href=" JaVaScRiPt&colon;alert(1)">x</a><a href="jav&#x09;ascript:alert(1)">y</a>',
        '<a rel="noopener noreferrer">x</a><a rel="noopener noreferrer">y</a>',
    ),
    "data URL": (
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<a rel="noopener noreferrer">x</a>',
    ),
    "svg": ('<svg onload="alert(1)"><script>alert(1)</script></svg><p>b</p>', "<p>b</p>"),
    # An image left without a source is dropped whole (core.sanitize).
    "svg image": ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', ""),
    "css expression": (
        '<p style="width: expression(alert(1))">c</p>'
        "<style>p{background:url(javascript:x)}</style>",
        "<p>c</p>",
    ),
    "iframe and object": (
        '<iframe src="https://evil.example"></iframe><object data="x.swf"></object><p>d</p>',
        "<p>d</p>",
    ),
    "nested": (
        "<p><b><i><script><script>alert(1)</script></script></i></b></p>",
        "<p><b><i></i></b></p>",
    ),
    "malformed": (
        '<p><a href="https://ok.example/" <img src=x onerror=alert(1)>e',
        '<p><a href="https://ok.example/" rel="noopener noreferrer">e</a></p>',
    ),
    "noscript breakout": (
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        '&lt;p title="<img src="x">"&gt;',
    ),
    "form": ('<form action="https://evil.example"><input name="p"></form><p>f</p>', "<p>f</p>"),
}


@pytest.mark.parametrize(("payload", "stored"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_rich_text_saved_through_the_admin_renders_inert(
    editor_client, client, payload, stored
):
    response = editor_client.post(ADD_URL, _admin_form(body=payload))
    assert response.status_code == 302

    page = StoryPage.objects.get(slug="goals-and-design")
    assert page.body == stored
    html = client.get(page.get_absolute_url()).text
    body = html.split('<div class="prose">')[1].split("</div>")[0]
    assert body == stored
    for bad in ("<script", "onerror", "onload", "javascript:", "style=", "<svg", "<iframe"):
        assert bad not in body.lower()


def test_allowed_rich_text_survives_the_admin(editor_client, client):
    allowed = (
        "<h2>Goals</h2><h3>Design</h3>"
        "<p><strong>Open</strong>, <em>decentralised</em> and <u>consultative</u>.</p>"
        '<ul><li>history</li><li>supply</li></ul><ol start="3"><li>demand</li></ol>'
        '<p><a href="https://example.org/report" title="Report">the report</a> '
        '<a href="mailto:jli@example.org">write</a> <a href="/funders/">funders</a></p>'
        "<blockquote><p>Overcoming the crisis</p></blockquote>"
        '<table><thead><tr><th scope="col">Base</th></tr></thead>'
        "<tbody><tr><td>New York City</td></tr></tbody></table>"
        '<figure><img src="/media/photo.jpg" alt="Members at a consultation" width="300">'
        "<figcaption>A consultation</figcaption></figure>"
    )

    editor_client.post(ADD_URL, _admin_form(body=allowed))

    expected = (
        allowed.replace('title="Report">', 'title="Report" rel="noopener noreferrer">')
        .replace('"mailto:jli@example.org">', '"mailto:jli@example.org" rel="noopener noreferrer">')
        .replace('"/funders/">', '"/funders/" rel="noopener noreferrer">')
    )
    page = StoryPage.objects.get(slug="goals-and-design")
    assert page.body == expected
    assert f'<div class="prose">{expected}</div>' in client.get(page.get_absolute_url()).text


def test_body_is_sanitised_on_save_outside_the_admin_too():
    page = StoryPage.objects.create(
        title="T", slug="t", body='<p onclick="x()">Hi</p><script>alert(1)</script>'
    )
    page.refresh_from_db()
    assert page.body == "<p>Hi</p>"


def test_stored_unsafe_body_is_sanitised_on_output(client):
    page = StoryPageFactory()
    # A row written before the rules existed (bypassing save()).
    StoryPage.objects.filter(pk=page.pk).update(body="<p>ok</p><img src=x onerror=alert(1)>")
    html = client.get(page.get_absolute_url()).text
    assert '<div class="prose"><p>ok</p><img src="x"></div>' in html
