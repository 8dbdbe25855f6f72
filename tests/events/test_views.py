import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import Status
from events.models import ParticipantRole
from tests.factories import (
    EventFactory,
    FunderFactory,
    GroupFactory,
    ParticipationFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

FUTURE = datetime.date(2999, 5, 4)
LATER = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)


def _titles(events):
    return [event.title for event in events]


# --- /events/ -----------------------------------------------------------------------


def test_event_list_shows_upcoming_first_then_past_by_year(client):
    EventFactory(title="Far future", start_date=FUTURE)
    EventFactory(title="Near future", start_date=FUTURE.replace(year=2998))
    EventFactory(title="Consultation 2003", start_date=datetime.date(2003, 6, 2))
    EventFactory(title="Consultation 2004", start_date=datetime.date(2004, 2, 1))
    EventFactory(title="Draft", status=Status.DRAFT, start_date=FUTURE)
    EventFactory(title="Scheduled", publish_at=LATER, start_date=FUTURE)

    response = client.get(reverse("events:event_list"))

    assert _titles(response.context["upcoming"]) == ["Near future", "Far future"]
    assert [(year, _titles(events)) for year, events in response.context["past_by_year"]] == [
        (2004, ["Consultation 2004"]),
        (2003, ["Consultation 2003"]),
    ]
    text = response.text
    assert (
        text.index("Upcoming events")
        < text.index("Past events")
        < text.index('<h3 class="event-year">2004')
    )
    assert "Draft" not in text
    assert "Scheduled" not in text
    assert "4 events" in text


def test_event_list_filters_by_kind_year_country_and_group(client):
    supply = GroupFactory(slug="supply")
    a = EventFactory(title="A", kind="workshop", country="KE", start_date=datetime.date(2003, 1, 5))
    a.organisers.add(supply)
    b = EventFactory(title="B", kind="meeting", country="GH", start_date=datetime.date(2004, 1, 5))
    b.organisers.add(supply, GroupFactory())
    EventFactory(title="C", kind="workshop", country="GH", start_date=datetime.date(2004, 3, 1))
    url = reverse("events:event_list")

    def titles(**params):
        return _titles(client.get(url, params).context["page_obj"])

    assert titles(kind="workshop") == ["C", "A"]
    assert titles(year="2004") == ["C", "B"]
    assert titles(country="KE") == ["A"]
    assert titles(group="supply") == ["B", "A"]
    assert titles(group="supply", year="2003") == ["A"]


def test_event_list_offers_only_years_and_countries_of_published_events(client):
    EventFactory(country="KE", start_date=datetime.date(2003, 1, 5))
    EventFactory(country="FR", start_date=datetime.date(2001, 1, 5), status=Status.DRAFT)
    form = client.get(reverse("events:event_list")).context["form"]
    assert [value for value, _ in form.fields["year"].choices] == ["", 2003]
    assert [value for value, _ in form.fields["country"].choices] == ["", "KE"]


def test_event_list_with_a_bad_filter_says_so_and_still_lists_events(client):
    EventFactory(title="A")
    response = client.get(reverse("events:event_list"), {"year": "abc", "group": "nope"})
    assert response.status_code == 200
    assert "Please correct the problems below." in response.text
    assert "Select a valid choice" in response.text
    assert _titles(response.context["page_obj"]) == ["A"]


def test_event_list_kind_menu_counts_under_the_other_filters(client):
    EventFactory(kind="workshop", start_date=datetime.date(2003, 1, 5))
    EventFactory(kind="workshop", start_date=datetime.date(2004, 1, 5))
    EventFactory(kind="meeting", start_date=datetime.date(2004, 3, 1))
    EventFactory(kind="meeting", start_date=datetime.date(2004, 3, 1), status=Status.DRAFT)
    url = reverse("events:event_list")

    def kinds(**params):
        choices = client.get(url, params).context["form"].fields["kind"].choices
        return {value: label for value, label in choices if value in ("", "workshop", "meeting")}

    assert kinds() == {"": "Any kind", "workshop": "Workshop (2)", "meeting": "Meeting (1)"}
    assert kinds(year="2003", kind="meeting") == {
        "": "Any kind",
        "workshop": "Workshop (1)",
        "meeting": "Meeting (0)",
    }
    assert '<option value="workshop">Workshop (2)</option>' in client.get(url).text


def test_empty_event_list_says_no_event_is_recorded_unless_filtered(client):
    assert "No event has been recorded yet." in client.get(reverse("events:event_list")).text
    EventFactory(kind="workshop")

    filtered = client.get(reverse("events:event_list"), {"kind": "meeting"}).text

    assert "No event matches these filters." in filtered
    assert "No event has been recorded yet." not in filtered


@pytest.mark.parametrize(
    ("language", "zone", "name"),
    [
        ("en", "Africa/Nairobi", "East Africa Time"),
        ("fr", "Africa/Nairobi", "heure normale d’Afrique de l’Est"),
        ("en", "Europe/London", "British Summer Time"),  # on the event's June day
    ],
)
def test_event_time_zone_is_named_in_the_readers_language(language, zone, name):
    event = EventFactory.build(
        start_date=datetime.date(2003, 6, 2), start_time=datetime.time(9), time_zone=zone
    )
    with translation.override(language):
        assert event.time_zone_name == name


def test_event_list_is_paginated(client):
    EventFactory.create_batch(21)
    response = client.get(reverse("events:event_list"))
    assert len(response.context["page_obj"]) == 20
    assert 'aria-current="page" aria-label="Page 1">1</a>' in response.text
    assert 'rel="next">Next</a>' in response.text
    assert len(client.get(reverse("events:event_list"), {"page": 2}).context["page_obj"]) == 1


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_query_count_is_fixed(client, page_queries, count):
    for _ in range(count):
        event = EventFactory()
        event.organisers.add(GroupFactory(), GroupFactory())
    # 7 queries: countries and years for the filters; the counts of the kind menu;
    # groups for the filter; the count; the page of events; their published organisers;
    # the header's story pages.
    with page_queries(7):
        response = client.get(reverse("events:event_list"))
    assert len(response.context["page_obj"]) == count


# --- /events/<slug>/ ----------------------------------------------------------------


def _event_with_everything():
    event = EventFactory(
        title="Consultation on Africa",
        slug="africa-consultation",
        summary="A regional consultation.",
        description="<p>Two days of talks.</p><script>alert(1)</script>",
        outcomes="<p>A plan for <strong>action</strong>.</p>",
        start_date=datetime.date(2003, 6, 2),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(17, 30),
        time_zone="Africa/Accra",
        venue="Conference hall",
        city="Accra",
        country="GH",
    )
    event.organisers.add(
        GroupFactory(name="Working group on Africa"),
        GroupFactory(name="Hidden group", status=Status.DRAFT),
    )
    ParticipationFactory(
        event=event, person__given_name="Ama", person__family_name="Owusu", role="chair"
    )
    ParticipationFactory(event=event, person__given_name="Private", person__is_public=False)
    event.publications.add(
        PublicationFactory(title="Report of the consultation", published_on="2003-09-01"),
        PublicationFactory(title="Draft report", status=Status.DRAFT),
    )
    return event


def test_event_detail_shows_everything_public_in_the_events_zone(client):
    event = _event_with_everything()

    response = client.get(event.get_absolute_url())

    text = response.text
    assert "2 June 2003, 09:00</time> – <time" in text
    assert "17:30</time>" in text
    # The zone by its name (CLDR, through Babel), never its IANA identifier.
    assert "Times are in the event's own time zone, Greenwich Mean Time." in text
    assert "Africa/Accra" not in text
    assert "Conference hall, Accra, Ghana" in text
    assert "<p>Two days of talks.</p>" in text
    assert "alert(1)" not in text
    assert "A plan for <strong>action</strong>." in text
    assert "Working group on Africa" in text
    assert "Hidden group" not in text
    assert 'Ama Owusu</a>, <span class="role">Chair</span>' in text
    assert "Private" not in text
    assert "<cite>Report of the consultation</cite>" in text
    assert "Draft report" not in text
    assert f'href="{reverse("events:event_calendar", kwargs={"slug": event.slug})}"' in text
    assert '<meta property="og:title" content="Consultation on Africa">' in text
    assert (
        '<meta property="og:url" content="http://127.0.0.1:8000/events/africa-consultation/">'
        in text
    )


def test_event_detail_json_ld_is_a_schema_org_event(client):
    event = _event_with_everything()
    event.title = "Talks </script><b>& more"
    event.save()

    text = client.get(event.get_absolute_url()).text

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    assert "</script>" not in block
    assert "\\u003C/script\\u003E" in block
    data = json.loads(block)
    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Talks </script><b>& more",
        "url": "http://127.0.0.1:8000/events/africa-consultation/",
        "startDate": "2003-06-02T09:00:00+00:00",
        "endDate": "2003-06-02T17:30:00+00:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "description": "A regional consultation.",
        "location": {
            "@type": "Place",
            "name": "Conference hall",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Accra",
                "addressCountry": "GH",
            },
        },
        "organizer": [
            {
                "@type": "Organization",
                "name": "Working group on Africa",
                "url": f"http://127.0.0.1:8000{event.organisers.get(status='published').get_absolute_url()}",
            }
        ],
    }


def test_all_day_event_shows_dates_only_and_online(client):
    event = EventFactory(
        start_date=datetime.date(2003, 6, 2),
        end_date=datetime.date(2003, 6, 4),
        is_online=True,
        online_url="https://meet.example.org/jli",
    )
    text = client.get(event.get_absolute_url()).text
    assert '2 June 2003</time> – <time datetime="2003-06-04">4 June 2003</time>' in text
    assert "(whole days)" in text
    assert "time zone" not in text
    assert 'href="https://meet.example.org/jli"' in text


def test_unpublished_event_is_404_for_public_and_members_and_preview_for_staff(persona):
    name, client = persona
    draft = EventFactory(status=Status.DRAFT)
    scheduled = EventFactory(publish_at=LATER)
    for event in (draft, scheduled):
        response = client.get(event.get_absolute_url())
        if name in {"editor_client", "superuser_client"}:
            assert response.status_code == 200
            assert "Preview: this event is not visible to the public." in response.text
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_event_detail_query_count_is_fixed(client, page_queries, count):
    event = EventFactory()
    for _ in range(count):
        event.organisers.add(GroupFactory())
        ParticipationFactory(event=event)
        event.publications.add(PublicationFactory())
        event.funders.add(FunderFactory())
    # 5 queries: the event; its published organisers and public funders (one UNION
    # ALL); its public participants with their person; its published publications; the
    # header's story pages.
    with page_queries(5):
        response = client.get(event.get_absolute_url())
    assert len(response.context["event"].participants) == count


# --- group, person, home and publication sections --------------------------------


def test_group_page_lists_its_published_events(client):
    group = GroupFactory()
    for title, status in [("Shown", Status.PUBLISHED), ("Hidden", Status.DRAFT)]:
        EventFactory(title=title, status=status).organisers.add(group)
    text = client.get(group.get_absolute_url()).text
    assert "Events organised" in text
    assert "Shown" in text
    assert "Hidden" not in text
    assert f"/events/calendar.ics?group={group.slug}" in text


def test_person_page_lists_their_published_events_with_role(client):
    person = PersonFactory()
    ParticipationFactory(person=person, event__title="Shown", role=ParticipantRole.SPEAKER)
    ParticipationFactory(person=person, event__title="Hidden", event__status=Status.DRAFT)
    text = client.get(person.get_absolute_url()).text
    assert "Shown" in text
    assert "Role: Speaker" in text
    assert "Hidden" not in text


def test_home_shows_upcoming_events_or_recent_ones_when_none_is_coming(client):
    EventFactory(title="Old one", start_date=datetime.date(2003, 6, 2))
    text = client.get(reverse("home")).text
    assert "Recent events" in text
    assert "Old one" in text

    EventFactory(title="Coming one", start_date=FUTURE)
    response = client.get(reverse("home"))
    assert "Upcoming events" in response.text
    assert _titles(response.context["events"]) == ["Coming one"]


def test_for_publication_lists_published_events_only():
    from events.selectors import for_publication

    publication = PublicationFactory()
    EventFactory(title="Shown").publications.add(publication)
    EventFactory(title="Hidden", status=Status.DRAFT).publications.add(publication)
    assert _titles(for_publication(publication)) == ["Shown"]


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed(client, page_queries, count):
    EventFactory.create_batch(count, start_date=FUTURE)
    # 7 queries: the home introduction; the story pages; the working groups; the featured
    # publication; the events; the funders' acknowledgement; the header's story pages.
    with page_queries(7):
        response = client.get(reverse("home"))
    assert len(response.context["events"]) == count
