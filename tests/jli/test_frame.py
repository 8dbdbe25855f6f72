"""The site frame (header, footer, head links) is rendered once per language, menu and
signed-in state (jli/templatetags/site_frame.py), and completed per request."""

import pickle
import re

import pytest
from django.test import Client

from publications.models import Publication
from tests.factories import PublicationFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


def _nav(html):
    return html.split('<nav class="site-nav"')[1].split("</nav>")[0]


def test_header_marks_the_section_of_each_request_although_rendered_once(client):
    for path, current in [("/groups/", "/groups/"), ("/people/", "/people/"), ("/", None)]:
        nav = _nav(client.get(path).text)
        marked = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
        assert marked == ([current] if current else []), path


def test_home_link_is_current_on_the_home_page_only(client):
    home = client.get("/").text
    groups = client.get("/groups/").text

    assert '<a class="site-name" href="/" aria-current="page">' in home
    assert '<a class="site-name" href="/">' in groups


def test_language_form_returns_to_the_requests_own_address_escaped(client):
    text = client.get("/people/?name=a&country=").text

    assert '<input name="next" type="hidden" value="/people/?name=a&amp;country=">' in text


def test_footer_follows_the_readers_signed_in_state(client, member_user):
    member = Client()
    member.force_login(member_user)

    anonymous_text = client.get("/groups/").text
    member_text = member.get("/groups/").text

    assert "Members: sign in" in anonymous_text
    assert "Sign out" not in anonymous_text
    assert "Sign out" in member_text
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{32,}"', member_text)
    assert "Members: sign in" not in member_text
    assert "csrfmiddlewaretoken" not in client.get("/people/").text


def test_header_menu_in_french_marks_only_english_titles(client):
    StoryPageFactory(slug="goals", title="Goals", title_fr="Objectifs", show_in_navigation=True)
    StoryPageFactory(slug="history", title="History", show_in_navigation=True)

    nav = _nav(client.get("/fr/groups/").text)

    assert '<a href="/fr/about/goals/">Objectifs</a>' in nav
    assert '<a href="/fr/about/history/" lang="en">History</a>' in nav
    assert '<a href="/fr/groups/" aria-current="page">' in nav


def test_header_menu_switches_language_with_the_address(client):
    StoryPageFactory(slug="goals", title="Goals", title_fr="Objectifs", show_in_navigation=True)

    english = _nav(client.get("/groups/").text)
    french = _nav(client.get("/fr/groups/").text)

    assert '<a href="/about/goals/">Goals</a>' in english
    assert '<a href="/fr/about/goals/">Objectifs</a>' in french


def test_a_translated_models_queryset_class_is_made_once_and_still_pickles():
    PublicationFactory(slug="one")
    first = Publication.objects.published()
    second = Publication.objects.published()

    assert type(first) is type(second)
    # (Our own bytes, as a cache backend pickles a queryset.)
    assert [p.slug for p in pickle.loads(pickle.dumps(first))] == ["one"]  # noqa: S301
