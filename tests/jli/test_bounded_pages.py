"""Detail pages list a bounded number of related rows, with a way to the rest."""

import datetime

import pytest

from core.selectors import SHORT_LIST
from events.selectors import EVENT_PAGE_PARTICIPANTS
from tests.factories import EventFactory, FunderFactory, ParticipationFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_a_funders_page_lists_the_first_publications_of_its_order_and_links_to_all(client):
    funder = FunderFactory(slug="rf")
    for year in range(1990, 1991 + SHORT_LIST):
        funder.publications.add(
            PublicationFactory(title=f"Report of {year}", published_on=datetime.date(year, 1, 1))
        )

    page = client.get("/funders/rf/").text
    listed = client.get("/publications/?funder=rf").text

    # Each new link goes to the end of the funder's order (set by hand on its admin page).
    assert "Report of 1990" in page
    assert "Report of 2000" not in page
    assert '<a href="/publications/?funder=rf">All the publications it supported</a>' in page
    assert "11 publications" in listed
    assert "Report of 1990" in client.get("/publications/?funder=rf&page=2").text


def test_a_funders_page_lists_the_first_events_of_its_order_and_links_to_all(client):
    funder = FunderFactory(slug="rf")
    other = EventFactory(title="Not funded")
    for year in range(1990, 1991 + SHORT_LIST):
        funder.events.add(
            EventFactory(title=f"Meeting of {year}", start_date=datetime.date(year, 5, 1))
        )

    page = client.get("/funders/rf/").text
    listed = client.get("/events/?funder=rf").text

    assert "Meeting of 1990" in page
    assert "Meeting of 2000" not in page
    assert '<a href="/events/?funder=rf">All the events it supported</a>' in page
    assert "Meeting of 1990" in listed
    assert other.title not in listed


def test_a_funder_with_few_items_has_no_link_to_more(client):
    funder = FunderFactory(slug="rf")
    funder.publications.add(PublicationFactory())
    funder.events.add(EventFactory())

    page = client.get("/funders/rf/").text

    assert "All the publications it supported" not in page
    assert "All the events it supported" not in page


def test_an_events_page_lists_a_bounded_number_of_participants_and_publications(client):
    event = EventFactory(slug="accra")
    for n in range(EVENT_PAGE_PARTICIPANTS + 1):
        ParticipationFactory(
            event=event, position=n, person__given_name="Ama", person__family_name=f"P{n:03d}"
        )
    for year in range(1990, 1991 + SHORT_LIST):
        event.publications.add(
            PublicationFactory(title=f"Report of {year}", published_on=datetime.date(year, 1, 1))
        )

    page = client.get("/events/accra/").text

    assert f"Ama P{EVENT_PAGE_PARTICIPANTS - 1:03d}" in page
    assert f"Ama P{EVENT_PAGE_PARTICIPANTS:03d}" not in page
    assert f"The first {EVENT_PAGE_PARTICIPANTS} participants are listed." in page
    assert "Report of 2000" in page
    assert "Report of 1990" not in page
    assert f"The {SHORT_LIST} most recent publications are listed." in page
