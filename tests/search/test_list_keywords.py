"""The keyword boxes of the publications, people and events lists use the search engine
(through core.search), combined with the lists' own filters."""

import datetime

import pytest

from core.models import Status
from publications.models import PublicationKind
from tests.factories import EventFactory, GroupFactory, PersonFactory, PublicationFactory

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


# --- Bounded as a search is (core.search, search.engine.matching_ids) ----------------


def test_past_the_limit_a_list_holds_and_counts_the_newest_matches_and_says_so(
    client, indexed, monkeypatch
):
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 2)
    with indexed():
        for year in (2001, 2002, 2003):
            PublicationFactory(
                title=f"Okapi report {year}",
                kind=PublicationKind.REPORT if year < 2003 else PublicationKind.WORKING_PAPER,
                published_on=datetime.date(year, 1, 1),
            )

    response = client.get("/publications/", {"q": "okapi"})
    text = response.content.decode()
    reports = client.get("/publications/", {"q": "okapi", "kind": "report"}).content.decode()

    assert "2 publications" in text
    assert "Okapi report 2003" in text
    assert "Okapi report 2002" in text
    assert "Okapi report 2001" not in text
    assert (
        "More than 2 records match “okapi”: this list holds the 2 most recent of them, and "
        "its filters count those." in text
    )
    # The filters narrow and count among those: one report (2002), one working paper.
    assert ">Report (1)</option>" in text
    assert "Okapi report 2002" in reports
    assert "Okapi report 2003" not in reports


def test_under_the_limit_a_list_says_nothing_of_a_limit(client, indexed):
    with indexed():
        for _ in range(3):
            PublicationFactory(title="Okapi report")
        EventFactory(title="Okapi meeting")
        PersonFactory(given_name="Okapi", family_name="Keeper")

    for url in ["/publications/", "/events/", "/people/"]:
        text = client.get(url, {"q": "okapi"}).content.decode()
        assert "Okapi" in text
        assert "most recent" not in text


def test_the_limit_is_said_on_the_events_and_people_lists(client, indexed, monkeypatch):
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 1)
    with indexed():
        for _ in range(2):
            EventFactory(title="Okapi meeting")
            PersonFactory(bio="Okapi keeper.")

    for url in ["/events/", "/people/"]:
        text = client.get(url, {"q": "okapi"}).content.decode()
        assert "More than 1 records match “okapi”" in text


def test_drafts_take_no_place_among_the_bounded_matches(client, indexed, monkeypatch):
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 1)
    with indexed():
        PublicationFactory(title="Okapi public", published_on=datetime.date(2001, 1, 1))
        PublicationFactory(
            title="Okapi draft", status=Status.DRAFT, published_on=datetime.date(2005, 1, 1)
        )

    text = client.get("/publications/", {"q": "okapi"}).content.decode()

    assert "Okapi public" in text
    assert "Okapi draft" not in text
    assert "most recent" not in text


@pytest.mark.parametrize("count", [1, 3])
def test_a_keyword_list_costs_one_query_more_than_the_list(client, indexed, page_queries, count):
    group = GroupFactory()
    with indexed():
        for _ in range(count):
            PublicationFactory(title="Okapi report").groups.add(group)
            EventFactory(title="Okapi meeting").organisers.add(group)
    # The list's own queries (tests/publications, tests/events: 7 each) and the ids of
    # the keywords' matches, read once for the list and its counts.
    with page_queries(8):
        publications = client.get("/publications/", {"q": "okapi"})
    with page_queries(8):
        events = client.get("/events/", {"q": "okapi"})

    assert len(publications.context["page_obj"]) == count
    assert len(events.context["page_obj"]) == count
