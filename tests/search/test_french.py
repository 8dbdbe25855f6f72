"""French versions of content in search: a record is found by its French text (stemmed in
French) as by its own, and a French results page shows its French title and excerpt
where it has them, marking English fallbacks lang="en". Same tests on SQLite and
PostgreSQL."""

import re

import pytest
from django.urls import translate_url
from django.utils import translation

from core.models import Status
from search import engine
from search.models import SearchDocument
from tests.factories import (
    EventFactory,
    FunderFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
    StoryPageFactory,
)

pytestmark = pytest.mark.django_db


def results(text):
    """The results' titles as shown, each with its lang attribute ('' when none)."""
    return re.findall(
        r'<h3 class="search-result__title"><a href="[^"]*"( lang="\w+")?>([^<]*)</a>', text
    )


def snippets(text):
    """The excerpts (without the spaces PostgreSQL's headline may end with), with their
    lang attribute."""
    found = re.findall(r'<p class="search-result__snippet"( lang="\w+")?>(.*?)</p>', text)
    return [(lang, excerpt.strip()) for lang, excerpt in found]


def test_a_record_is_found_by_its_french_version_stemmed_in_french(indexed):
    with indexed():
        PublicationFactory(
            title="Hospital staffing",
            abstract="Who works where.",
            title_fr="Le personnel hospitalier",
            abstract_fr="Le personnel des hôpitaux du Sénégal, à Thiès.",
        )
        # The same words in a record's own English text are stemmed in English: not found.
        PublicationFactory(title="Hôpitaux du Sénégal, an English word list")

    # French stemming: "hôpital" finds "hôpitaux" (English stems them apart; "hôpital" is
    # not the last word, which also matches as a prefix); accents and case are ignored.
    found = engine.search("hôpital sénégal").page
    assert [doc.title for doc in found] == ["Hospital staffing"]
    assert [doc.title for doc in engine.search("THIES").page] == ["Hospital staffing"]
    # Its own text still finds it.
    assert [doc.title for doc in engine.search("staffing").page] == ["Hospital staffing"]


@pytest.mark.parametrize(
    ("factory", "fields", "word"),
    [
        (EventFactory, {"title": "Meeting", "description_fr": "Une réunion à Dakar."}, "dakar"),
        (GroupFactory, {"name": "Supply group", "theme_fr": "L'offre de soignants."}, "offre"),
        (FunderFactory, {"name": "A fund", "acknowledgement_fr": "Merci aux bailleurs."}, "merci"),
        (StoryPageFactory, {"title": "Goals", "body_fr": "<p>Nos objectifs.</p>"}, "objectif"),
    ],
)
def test_every_kind_with_french_versions_is_found_by_them(indexed, factory, fields, word):
    with indexed():
        factory(**fields)

    assert engine.search(word).count == 1


def test_french_page_shows_french_title_and_excerpt_english_fallback_marked(client, indexed):
    with indexed():
        PublicationFactory(
            title="Nurse migration",
            abstract="Nurses leave for the north.",
            title_fr="La migration des infirmières",
            abstract_fr="Les infirmières partent vers le nord.",
        )
        PublicationFactory(title="Nurse pay", abstract="What nurses earn.")

    french = client.get("/fr/search/", {"q": "infirmière"}).content.decode()
    english = client.get("/search/", {"q": "infirmière"}).content.decode()
    fallback = client.get("/fr/search/", {"q": "nurse pay"}).content.decode()

    assert results(french) == [("", "La migration des infirmières")]
    assert snippets(french) == [("", "Les <mark>infirmières</mark> partent vers le nord.")]
    assert 'href="/fr/publications/' in french
    # The English page shows the record's own text.
    assert results(english) == [("", "Nurse migration")]
    # No French version: the English title and excerpt, marked as English.
    assert results(fallback) == [(' lang="en"', "Nurse pay")]
    assert snippets(fallback) == [(' lang="en"', "What <mark>nurses</mark> earn.")]


def test_french_page_shows_the_own_excerpt_when_only_it_holds_the_words(client, indexed):
    with indexed():
        PublicationFactory(
            title="Nurse migration",
            abstract="Nurses leave for the north.",
            title_fr="La migration des infirmières",
            abstract_fr="Les infirmières partent.",
        )

    text = client.get("/fr/search/", {"q": "north"}).content.decode()

    # The French title, and the English excerpt that shows where the word is.
    assert results(text) == [("", "La migration des infirmières")]
    assert snippets(text) == [(' lang="en"', "Nurses leave for the <mark>north</mark>.")]


def test_french_versions_of_unpublished_records_never_leak(client, indexed):
    with indexed():
        PublicationFactory(title="Draft", title_fr="Brouillon secret", status=Status.DRAFT)
        EventFactory(title="Draft event", title_fr="Réunion secrète", status=Status.DRAFT)
        PublicationFactory(title="Public", title_fr="Rapport public")

    assert engine.search("secret").count == 0
    text = client.get("/fr/search/", {"q": "secret OR public"}).content.decode()
    assert "Brouillon" not in text
    assert "Réunion secrète" not in text
    assert "1 résultat" in text or "1 result" in text


def test_a_changed_french_version_is_reindexed(indexed):
    with indexed():
        publication = PublicationFactory(title="Nurse migration")
    assert engine.search("infirmières").count == 0

    with indexed():
        publication.title_fr = "La migration des infirmières"
        publication.save()
    assert engine.search("infirmières").count == 1

    with indexed():
        publication.title_fr = ""
        publication.save()
    assert engine.search("infirmières").count == 0


@pytest.mark.parametrize("items", [1, 3])
def test_a_french_search_runs_the_same_constant_number_of_queries(
    client, indexed, items, page_queries
):
    group = GroupFactory()
    with indexed():
        for number in range(items):
            publication = PublicationFactory(
                title="Okapi report", title_fr="Rapport okapi" if number % 2 else ""
            )
            publication.groups.add(group)

    # As in English (test_views): the candidates (with what three facets count), the
    # groups' counts, the page with its excerpts (French or not, chosen in the same
    # query) and the header's story pages.
    with page_queries(4):
        response = client.get("/fr/search/", {"q": "okapi"})

    assert response.content.decode().count('class="search-result"') == items


def test_a_french_page_links_each_result_to_its_french_page(client, indexed):
    with indexed():
        PublicationFactory(title="Zanzibar report")
        PersonFactory(given_name="Zanzibar", family_name="Person")
        GroupFactory(name="Zanzibar group")
        EventFactory(title="Zanzibar consultation")
        FunderFactory(name="Zanzibar Trust")
        StoryPageFactory(title="Zanzibar story", body="<p>Text</p>")
        moved = PublicationFactory(title="Zanzibar moved")
    # An address the index kept that is not its kind's pattern (as after a change of the
    # URLs): resolved and reversed as it always was.
    SearchDocument.objects.filter(kind="publication", object_id=moved.pk).update(url="/about/old/")

    text = client.get("/fr/search/", {"q": "zanzibar"}).content.decode()

    links = re.findall(r'<h3 class="search-result__title"><a href="([^"]*)"', text)
    with translation.override("en"):
        expected = [translate_url(doc.url, "fr") for doc in SearchDocument.objects.all()]
    assert sorted(links) == sorted(expected)
    assert len(links) == 7
    assert "/fr/about/old/" in links
    assert all(link.startswith("/fr/") for link in links)
