"""Each language its own address, French versions of content with English as the
fallback, and the language of every piece of content marked (WCAG 3.1.2).

English pages keep the addresses they always had; French ones are under /fr/.
"""

import re

import pytest
from django.utils import translation

from core.i18n import content_language
from tests.factories import (
    EventFactory,
    FunderFactory,
    GroupFactory,
    PublicationFactory,
    StoryPageFactory,
)

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def _alternates(html):
    return re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)


# --- Addresses --------------------------------------------------------------------


def test_french_page_is_in_french_with_hreflang_alternates(client, settings):
    settings.SITE_URL = "https://jli.example.org"
    group = GroupFactory(slug="supply")

    response = client.get("/fr/groups/supply/")

    text = response.text
    assert response.status_code == 200
    assert '<html lang="fr">' in text
    assert "Aller au contenu" in text
    assert _alternates(text) == [
        ("en", "https://jli.example.org/groups/supply/"),
        ("fr", "https://jli.example.org/fr/groups/supply/"),
        ("x-default", "https://jli.example.org/groups/supply/"),
    ]
    with translation.override("en"):
        assert group.get_absolute_url() == "/groups/supply/"


def test_english_addresses_are_unchanged_and_english_whatever_the_browser(client):
    GroupFactory(slug="supply")

    response = client.get("/groups/supply/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    # The address alone decides the language: no Vary on the browser's preference.
    assert "Accept-Language" not in response.get("Vary", "")
    assert response["Content-Language"] == "en"


def test_links_on_a_french_page_stay_in_french(client):
    GroupFactory(slug="supply")

    text = client.get("/fr/groups/").text

    assert 'href="/fr/groups/supply/"' in text
    assert 'href="/fr/publications/"' in text
    # The section is marked current in French too.
    assert '<a href="/fr/groups/" aria-current="page">Groupes</a>' in text


def test_machine_addresses_have_one_language(client):
    assert client.get("/fr/sitemap.xml").status_code == 404
    assert client.get("/fr/api/v1/groups/").status_code == 404
    assert client.get("/fr/oai/?verb=Identify").status_code == 404
    assert client.get("/fr/admin/").status_code == 404


def test_admin_keeps_the_editors_language(editor_client):
    response = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")

    assert '<html lang="fr"' in response.text
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    ("language", "page", "landing"),
    [
        ("fr", "/groups/supply/?x=1", "/fr/groups/supply/?x=1"),
        ("en", "/fr/groups/supply/?x=1", "/groups/supply/?x=1"),
    ],
)
def test_language_form_without_javascript_lands_on_the_same_page(client, language, page, landing):
    GroupFactory(slug="supply")
    form = re.search(
        r'<form class="language-form" action="([^"]+)" method="post">', client.get(page).text
    )

    response = client.post(form.group(1), {"language": language, "next": page})

    assert response.status_code == 302
    assert response["Location"] == landing
    assert f'<html lang="{language}">' in client.get(landing).text


def test_sitemap_lists_both_languages_with_alternates(client, settings):
    settings.SITE_URL = "https://jli.example.org"
    GroupFactory(slug="supply")

    text = client.get("/sitemap.xml").text

    assert "<loc>https://jli.example.org/groups/supply/</loc>" in text
    assert "<loc>https://jli.example.org/fr/groups/supply/</loc>" in text
    assert (
        '<xhtml:link rel="alternate" hreflang="fr" href="https://jli.example.org/fr/groups/supply/"/>'
        in text
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" '
        'href="https://jli.example.org/groups/supply/"/>' in text
    )


def test_page_cache_keeps_each_language_apart(client, page_cache):
    GroupFactory(slug="supply")

    client.get("/fr/groups/supply/")
    english = client.get("/groups/supply/")
    french = client.get("/fr/groups/supply/")

    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english.text
    assert french["X-Page-Cache"] == "hit"
    assert '<html lang="fr">' in french.text


# --- French versions and their fallback -------------------------------------------


def test_french_version_shown_on_french_page_and_english_on_english_page(client):
    GroupFactory(
        slug="supply", name="Supply group", name_fr="Groupe de l'offre", description="Plain."
    )

    french = client.get("/fr/groups/supply/").text
    english = client.get("/groups/supply/").text

    # The French name, in French (no lang needed); the description falls back to English
    # and is marked so.
    assert "<h1>Groupe de l&#x27;offre</h1>" in french
    assert '<div class="prose" lang="en"><p>Plain.</p></div>' in french
    assert "<h1>Supply group</h1>" in english
    assert "Groupe de l" not in english


def test_english_fallback_is_marked_on_a_french_page(client):
    StoryPageFactory(slug="goals", title="Goals", body="<p>What it wanted.</p>")

    text = client.get("/fr/about/goals/").text

    assert '<h1 lang="en">Goals</h1>' in text
    assert '<div class="prose" lang="en"><p>What it wanted.</p></div>' in text


def test_french_content_is_marked_on_an_english_page(client):
    PublicationFactory(slug="rapport", title="Rapport final", language="fr")

    text = client.get("/publications/rapport/").text

    assert '<h1 lang="fr">Rapport final</h1>' in text


def test_navigation_and_home_in_french_when_a_french_version_exists(client):
    StoryPageFactory(slug="goals", title="Goals", title_fr="Objectifs", show_in_navigation=True)
    StoryPageFactory(slug="history", title="History", show_in_navigation=True)

    text = client.get("/fr/").text

    assert '<a href="/fr/about/goals/">Objectifs</a>' in text
    assert '<a href="/fr/about/history/" lang="en">History</a>' in text


def test_funders_and_events_french_versions(client):
    FunderFactory(slug="f", acknowledgement="Thanks.", acknowledgement_fr="Merci.")
    EventFactory(slug="meeting", title="Meeting", title_fr="Réunion")

    assert "Merci." in client.get("/fr/funders/f/").text
    assert "Thanks." in client.get("/funders/f/").text
    assert "<h1>Réunion</h1>" in client.get("/fr/events/meeting/").text


def test_api_keeps_the_english_values(client):
    GroupFactory(slug="supply", name="Supply group", name_fr="Groupe de l'offre")

    data = client.get("/api/v1/groups/supply/").json()

    assert data["name"] == "Supply group"


def test_content_language_follows_the_value_shown():
    publication = PublicationFactory(title="Final report", title_fr="Rapport final")
    untranslated = PublicationFactory(title="Informe", language="es")

    with translation.override("fr"):
        assert content_language(publication, "title") == "fr"
        assert content_language(publication, "abstract") == "en"  # empty: the fallback's
        assert content_language(untranslated, "title") == "es"
    with translation.override("en"):
        assert content_language(publication, "title") == "en"


def test_existing_text_is_the_english_version():
    """Records created as before (no language named) keep their text in English, in
    both the original and the English column."""
    group = GroupFactory(name="Supply group")
    group.refresh_from_db()

    assert (group.name_en, group.name_fr) == ("Supply group", None)
    with translation.override("fr"):
        assert group.name == "Supply group"


def test_french_list_sorted_by_the_title_shown(client):
    PublicationFactory(title="Alpha", title_fr="Zèbre")
    PublicationFactory(title="Beta")

    text = client.get("/fr/publications/", {"sort": "title"}).text

    assert text.index(">Beta<") < text.index(">Zèbre<")


def test_feed_calendar_and_citations_answer_in_french_with_the_works_own_title(client):
    PublicationFactory(slug="report", title="Final report", title_fr="Rapport final")
    EventFactory(slug="meeting", title="Meeting", title_fr="Réunion")

    feed = client.get("/fr/publications/feed/")
    calendar = client.get("/fr/events/meeting.ics")
    bibtex = client.get("/fr/publications/report/cite.bib")

    assert feed.status_code == calendar.status_code == bibtex.status_code == 200
    assert "<title>Final report</title>" in feed.text  # a feed names the work as it is
    assert "Réunion" in calendar.text
    assert "Final report" in bibtex.text
    assert "Rapport final" not in bibtex.text
    assert "https://" in bibtex.text or "http://" in bibtex.text
    assert "/fr/publications/" not in bibtex.text  # the English address, one citation


def test_admin_search_finds_english_and_french_text_in_either_language(editor_client):
    publication = PublicationFactory(title="Final report", title_fr="Rapport final")
    PublicationFactory(title="Other")
    url = "/admin/publications/publication/"

    for language in ("en", "fr"):
        for words in ("Final", "Rapport"):
            response = editor_client.get(url, {"q": words}, HTTP_ACCEPT_LANGUAGE=language)
            found = [row.pk for row in response.context["cl"].result_list]
            assert found == [publication.pk], (language, words)


def test_admin_shows_english_and_french_fields(editor_client):
    group = GroupFactory()

    text = editor_client.get(f"/admin/groups/group/{group.pk}/change/").text

    assert 'name="name_en"' in text
    assert 'name="name_fr"' in text


def test_admin_folds_the_french_fields_into_a_french_version_section(editor_client):
    publication = PublicationFactory()

    response = editor_client.get(f"/admin/publications/publication/{publication.pk}/change/")

    fieldsets = response.context["adminform"].fieldsets
    name, options = fieldsets[-1]
    assert name == "French version"
    assert "collapse" in options["classes"]
    assert {"title_fr", "subtitle_fr", "abstract_fr", "summary_fr"} <= set(options["fields"])
    # Fields shown on one line (a tuple) count one by one.
    elsewhere = {
        name
        for _name, opts in fieldsets[:-1]
        for row in opts["fields"]
        for name in (row if isinstance(row, tuple | list) else [row])
    }
    assert {"title_en", "subtitle_en"} <= elsewhere
    assert not {f for f in elsewhere if f.endswith("_fr")}
    form = response.context["adminform"].form
    assert (form.fields["title_en"].label, form.fields["title_fr"].label) == (
        "Title",
        "Title (French)",
    )


def test_canonical_link_is_the_pages_own_language(client, settings):
    settings.SITE_URL = "https://jli.example.org"
    PublicationFactory(slug="report")

    french = client.get("/fr/publications/report/").text
    english = client.get("/publications/report/").text

    assert '<link rel="canonical" href="https://jli.example.org/fr/publications/report/">' in french
    assert '<link rel="canonical" href="https://jli.example.org/publications/report/">' in english
