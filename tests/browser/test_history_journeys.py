"""The secretariat's history desk in a real browser: compare, revert, restore."""

import pytest
from playwright.sync_api import expect

from events.models import Event
from tests.factories import (
    EventFactory,
    GroupFactory,
    ParticipationFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_changes_a_title_compares_and_reverts_it(
    page, live_server, editor_user, sign_in_admin, csp_errors, check_a11y
):
    publication = PublicationFactory(title="Sample report on the workforce", slug="sample-report")
    sign_in_admin(editor_user)

    # The editor changes the title in the admin.
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")
    page.get_by_label("Title:", exact=True).fill("Sample report, wrong title")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The record's History page lists both versions; the newest is compared with the one
    # before it.
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/history/")
    page.get_by_role("link", name="Compare with the previous version").first.click()
    table = page.locator("table.history-compare")
    expect(table).to_contain_text("Sample report on the workforce")
    expect(table).to_contain_text("Sample report, wrong title")
    check_a11y(page)

    # Revert: a confirmation first, then a new version by the editor.
    page.get_by_role("link", name="Revert to the earlier version").click()
    expect(page.locator("#content")).to_contain_text("Reverting makes the record")
    page.get_by_role("button", name="Yes, revert").click()
    expect(page.locator(".messagelist")).to_contain_text("is back as it was")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/publications/sample-report/")
    expect(page.locator("h1")).to_contain_text("Sample report on the workforce")
    assert csp_errors == []


def test_editor_restores_a_deleted_event_with_its_links_from_the_audit_log(
    page, live_server, editor_user, sign_in_admin, csp_errors, check_a11y
):
    event = EventFactory(title="Sample consultation on migration", slug="sample-consultation")
    person = PersonFactory(given_name="Sample", family_name="Participant")
    ParticipationFactory(event=event, person=person)
    group = GroupFactory(name="Sample working group")
    event.organisers.add(group)
    event.publications.add(PublicationFactory(title="Sample outcome report"))
    pk = event.pk
    sign_in_admin(editor_user)

    # The editor deletes the event.
    page.goto(f"{live_server.url}/admin/events/event/{pk}/delete/")
    page.get_by_role("button", name="Yes, I’m sure").click()
    expect(page.locator(".messagelist")).to_contain_text("was deleted successfully")
    assert not Event.objects.filter(pk=pk).exists()

    # The audit log, reached from the admin's index, lists the deletion first.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="History of changes").click()
    first_row = page.locator("table.history-log tbody tr").first
    expect(first_row).to_contain_text("Sample consultation on migration")
    expect(first_row).to_contain_text("Deleted")
    check_a11y(page)
    first_row.get_by_role("link", name="Restore").click()
    page.get_by_role("button", name="Yes, restore it").click()
    expect(page.locator(".messagelist")).to_contain_text("is restored")

    event = Event.objects.get(pk=pk)
    assert [p.person for p in event.participations.all()] == [person]
    assert list(event.organisers.all()) == [group]
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/events/sample-consultation/")
    expect(page.locator("main")).to_contain_text("Sample Participant")
    expect(page.locator("main")).to_contain_text("Sample outcome report")
    assert csp_errors == []
