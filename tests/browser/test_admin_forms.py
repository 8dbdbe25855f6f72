"""The secretariat's forms in a browser: authors reordered by drag and by keyboard, and
how tall the publication form is for a typical paper."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.models import Status
from publications.models import Publication
from tests.factories import (
    AuthorshipFactory,
    FunderFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two screens of a 1280 x 800 window, the whole page measured (the admin's header, the
# folded sections' lines and the save buttons included). Django's own layout of the same
# form was 4,333 px tall; issue #15's first layout about 1,830; groups, topics and
# funders side by side, the publishing group on one line and growing text boxes bring
# it under 1,600.
TWO_SCREENS = 2 * 800


def _typical_paper():
    """A working paper with three authors, in a site with the JLI's usual groups,
    topics and funders."""
    groups = [GroupFactory(name=f"Working group {n} (sample)") for n in range(7)]
    for n in range(5):
        TopicFactory(name=f"Topic {n} (sample)", slug=f"topic-{n}")
    for n in range(8):
        FunderFactory(name=f"Funder {n} (sample)")
    publication = PublicationFactory(
        title="A working paper (sample)",
        kind="working_paper",
        published_on=datetime.date(2003, 6, 1),
        abstract="What the paper found (sample). " * 8,
        status=Status.PUBLISHED,
    )
    publication.groups.add(groups[0])
    for name in ("Ana", "Kofi", "Lena"):
        AuthorshipFactory(
            publication=publication,
            person=PersonFactory(given_name=name, family_name="Sample", slug=f"{name.lower()}-s"),
        )
    return publication


def test_typical_publication_form_fits_on_two_screens(
    page, live_server, editor_user, sign_in_admin
):
    publication = _typical_paper()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"publication change form: {height} px tall at 1280 x 800")
    assert height <= TWO_SCREENS


def _row_names(page):
    """The authors' names in the order of the inline's rows on the page."""
    return page.locator("#authorships-group tr.form-row:not(.empty-form)").evaluate_all(
        "rows => rows.map(row => row.querySelector('.select2-selection__rendered').textContent"
        ".replace('×', '').trim())"
    )


def test_editor_reorders_authors_by_drag_and_by_keyboard_and_the_page_follows(
    page, live_server, editor_user, sign_in_admin, csp_errors, page_errors
):
    publication = PublicationFactory(title="Three authors (sample)", status=Status.PUBLISHED)
    for name in ("Ana", "Kofi", "Lena"):
        AuthorshipFactory(
            publication=publication,
            person=PersonFactory(given_name=name, family_name="Sample", slug=f"{name.lower()}-s"),
        )
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")
    # With the script, the position lists give way to a handle and two buttons a row.
    expect(page.locator("#id_authorships-0-position")).to_be_hidden()
    assert _row_names(page) == ["Ana Sample", "Kofi Sample", "Lena Sample"]

    # By drag: Lena's handle dropped on Ana's row (its upper half) puts her first.
    rows = page.locator("#authorships-group tr.form-row:not(.empty-form)")
    rows.nth(2).locator(".sortable-handle").drag_to(rows.nth(0), target_position={"x": 20, "y": 2})
    assert _row_names(page) == ["Lena Sample", "Ana Sample", "Kofi Sample"]
    expect(page.locator("#authorships-group .sortable-status")).to_have_text(
        "Moved to position 1 of 3."
    )

    # By keyboard: Tab to Kofi's "Move up" and press Enter: he goes before Ana.
    kofi_up = rows.nth(2).get_by_role("button", name="Move up")
    kofi_up.focus()
    page.keyboard.press("Enter")
    assert _row_names(page) == ["Lena Sample", "Kofi Sample", "Ana Sample"]
    expect(page.locator("#authorships-group .sortable-status")).to_have_text(
        "Moved to position 2 of 3."
    )
    # The focus stays on the button, so pressing again moves him on.
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Move up")
    # What the script adds passes axe-core (Django's own tabular inline leaves its name
    # and checkbox cells without labels: not ours to change here).
    assert csp_errors == []
    assert page_errors == []
    results = Axe().run(page, context=[".sortable-tools", ".sortable-status"])
    assert results.response["violations"] == []
    # (axe-core, run on part of a page, injects a style of its own the policy blocks:
    # the policy is checked above, before it runs.)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [a.display_name for a in Publication.objects.get().authorships.all()] == [
        "Lena Sample",
        "Kofi Sample",
        "Ana Sample",
    ]
    assert [error for error in page_errors if error not in csp_errors] == []

    # The public page lists them in the new order.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{publication.get_absolute_url()}")
    expect(page.locator(".publication__authors")).to_have_text(
        "By Lena Sample, Kofi Sample and Ana Sample"
    )


def test_editor_orders_what_a_funder_supported_by_keyboard_and_the_funder_page_follows(
    page, live_server, editor_user, sign_in_admin, page_errors
):
    funder = FunderFactory(name="Ordering Trust (sample)")
    titles = ["First paper (sample)", "Second paper (sample)", "Third paper (sample)"]
    for title in titles:
        PublicationFactory(title=title, status=Status.PUBLISHED).funders.add(funder)
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/funders/funder/{funder.pk}/change/")
    rows = page.locator("#supported_publications-group tr.form-row:not(.empty-form)")
    expect(page.locator("#id_supported_publications-0-position")).to_be_hidden()

    # Tab to the third paper's "Move up" and press Enter twice: it goes first.
    third_up = rows.nth(2).get_by_role("button", name="Move up")
    third_up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator("#supported_publications-group .sortable-status")).to_have_text(
        "Moved to position 1 of 3."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert page_errors == []

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{funder.get_absolute_url()}")
    expect(page.locator("ul.supported cite")).to_have_text([titles[2], titles[0], titles[1]])
