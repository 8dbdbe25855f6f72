import datetime

import icalendar
import pytest
from playwright.sync_api import expect

from events.models import Event
from tests.factories import EventFactory, GroupFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT_YEAR = str(datetime.date.today().year + 1)  # noqa: DTZ011 (a calendar date)


def test_editor_records_a_consultation_and_a_visitor_downloads_its_calendar(
    page, live_server, editor_user, sign_in_admin, check_a11y, csp_errors
):
    africa = GroupFactory(name="Working group on Africa")
    supply = GroupFactory(name="Working group on supply")
    PersonFactory(given_name="Kofi", family_name="Mensah")
    EventFactory(title="An old workshop", start_date=datetime.date(2003, 6, 2))

    # The secretariat records the consultation.
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/events/event/add/")
    page.get_by_label("Title:", exact=True).fill("Consultation on the health workforce")
    page.get_by_label("Title:", exact=True).blur()
    expect(page.get_by_label("Slug")).to_have_value("consultation-on-the-health-workforce")
    page.get_by_label("Start date").fill(f"{NEXT_YEAR}-03-10")
    page.get_by_label("Start time").fill("09:00")
    page.get_by_label("End time").fill("17:00")
    page.select_option("#id_time_zone", "Africa/Nairobi")
    page.get_by_label("City").fill("Nairobi")
    page.select_option("#id_country", "KE")
    page.get_by_label(africa.name, exact=True).check()
    page.get_by_label(supply.name, exact=True).check()
    page.select_option("#id_status", "published")
    page.locator("#participations-group .add-row a").click()
    page.locator("#participations-group .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill("Kofi")
    page.locator(".select2-results__option", has_text="Kofi Mensah").click()
    page.select_option("#id_participations-0-role", "chair")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    event = Event.objects.get(slug="consultation-on-the-health-workforce")
    assert sorted(g.name for g in event.organisers.all()) == [africa.name, supply.name]

    # A visitor finds it under upcoming events.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/events/")
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Upcoming events"))
    expect(upcoming).to_contain_text("Consultation on the health workforce")
    expect(
        page.locator("section", has=page.get_by_role("heading", name="Past events"))
    ).to_contain_text("An old workshop")
    check_a11y(page)

    page.get_by_role("link", name="Consultation on the health workforce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consultation on the health workforce"
    )
    expect(
        page.get_by_text("Times are in the event's own time zone, East Africa Time.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Kofi Mensah")).to_be_visible()
    expect(page.get_by_role("link", name="Working group on supply")).to_be_visible()
    check_a11y(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar").click()
    download = download_info.value
    assert download.suggested_filename == "consultation-on-the-health-workforce.ics"
    with open(download.path(), "rb") as ics:
        (vevent,) = icalendar.Calendar.from_ical(ics.read()).walk("VEVENT")
    assert vevent["summary"] == "Consultation on the health workforce"
    assert vevent["dtstart"].params["TZID"] == "Africa/Nairobi"
    assert vevent.start.hour == 9
    assert vevent["location"] == "Nairobi, Kenya"
    assert csp_errors == []


def test_event_list_filters_and_empty_state_pass_axe(page, live_server, check_a11y):
    EventFactory(title="A workshop", kind="workshop", country="KE")
    page.goto(f"{live_server.url}/events/?kind=meeting")
    expect(page.get_by_text("No event matches these filters.")).to_be_visible()
    check_a11y(page)
    page.goto(f"{live_server.url}/events/?year=abc")
    expect(page.get_by_text("Please correct the problems below.")).to_be_visible()
    check_a11y(page)


def test_event_page_is_readable_at_320_px(page, live_server):
    event = EventFactory(
        title="A consultation with a rather long title about the health workforce",
        venue="A conference centre with a long name",
        city="Addis Ababa",
        country="ET",
    )
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + event.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
