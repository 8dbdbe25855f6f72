import pytest
from playwright.sync_api import expect

from core.models import Status
from tests.factories import PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_searches_from_the_header_and_finds_the_phrase_highlighted(
    page, live_server, check_a11y, csp_errors
):
    PublicationFactory(
        title="Health workers in motion",
        abstract="A study of tarantula corridors and the movement of nurses.",
    )
    PublicationFactory(
        title="Health workers in motion (draft twin)",
        abstract="A study of tarantula corridors and the movement of nurses.",
        status=Status.DRAFT,
    )

    page.goto(f"{live_server.url}/")
    page.get_by_role("search", name="Site").get_by_label("Search the site").fill(
        '"tarantula corridors"'
    )
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status").first).to_contain_text("1 result for")
    result = page.locator(".search-result")
    expect(result).to_have_count(1)
    expect(result.get_by_role("link")).to_have_text("Health workers in motion")
    expect(result.locator("mark")).to_have_text(["tarantula", "corridors"])
    expect(page.get_by_text("draft twin")).to_have_count(0)
    check_a11y(page)

    # Narrow at 320 px: nothing wider than the screen.
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_a11y(page)

    # Nothing found: said plainly, with a suggestion.
    page.goto(f"{live_server.url}/search/?q=workrs")
    expect(page.get_by_role("status").first).to_have_text("Nothing matched “workrs”.")
    page.get_by_role("link", name="workers").click()
    expect(page.locator(".search-result")).to_have_count(1)
    check_a11y(page)
    assert csp_errors == []
