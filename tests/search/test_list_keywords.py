"""The keyword boxes of the publications, people and events lists use the search engine
(through core.search), combined with the lists' own filters."""

import pytest

from core.models import Status
from publications.models import PublicationKind
from tests.factories import EventFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_publication_list_keywords_combine_with_filters(client, indexed):
    with indexed():
        PublicationFactory(title="Nurse migration", kind=PublicationKind.REPORT)
        PublicationFactory(title="Nursing schools", kind=PublicationKind.WORKING_PAPER)
        PublicationFactory(title="Nurse draft", status=Status.DRAFT)
        PublicationFactory(title="Budgets")

    every = client.get("/publications/", {"q": "nurses"}).content.decode()
    reports = client.get("/publications/", {"q": "nurses", "kind": "report"}).content.decode()

    assert "Nurse migration" in every
    assert "Nursing schools" in every
    assert "Budgets" not in every
    assert "Nurse draft" not in every
    assert "Nurse migration" in reports
    assert "Nursing schools" not in reports


def test_event_list_keywords(client, indexed):
    with indexed():
        EventFactory(title="Consultation in Accra", description="Migration of doctors.")
        EventFactory(title="Workshop in Oslo")

    text = client.get("/events/", {"q": "doctor"}).content.decode()

    assert "Consultation in Accra" in text
    assert "Workshop in Oslo" not in text


def test_people_directory_finds_names_and_profile_words(client, indexed):
    with indexed():
        PersonFactory(given_name="Amina", family_name="Diallo", bio="Economist of labour.")
        PersonFactory(given_name="Kofi", family_name="Mensah", bio="Surgeon.")

    by_word = client.get("/people/", {"q": "economists"}).content.decode()
    by_part_of_name = client.get("/people/", {"q": "iall"}).content.decode()

    assert "Diallo" in by_word
    assert "Mensah" not in by_word
    assert "Diallo" in by_part_of_name


@pytest.mark.parametrize("q", ["", "*", '"', "AND OR NOT", "x" * 300])
def test_list_keyword_bad_input_is_harmless(client, q):
    for url in ["/publications/", "/events/", "/people/"]:
        assert client.get(url, {"q": q}).status_code == 200
