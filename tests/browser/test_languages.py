"""French pages in a browser: axe-core finds nothing, English fallbacks are marked, and
the language form (no JavaScript needed) lands on the same page in the other language."""

import pytest
from playwright.sync_api import expect

from tests.factories import GroupFactory, PublicationFactory, StoryPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_french_pages_pass_axe_and_the_form_switches_language(
    page, live_server, check_a11y, csp_errors
):
    GroupFactory(slug="supply", name="Supply group", name_fr="Groupe de l'offre")
    StoryPageFactory(slug="goals", title="Goals", show_in_navigation=True)
    PublicationFactory(slug="report", title="Final report", abstract="What it found.")

    page.goto(live_server.url + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # The story page has no French title: its English one is marked.
    # (In the header's menu and in the home page's "About the JLI" list.)
    for link in page.get_by_role("link", name="Goals").all():
        expect(link).to_have_attribute("lang", "en")
    check_a11y(page)

    page.goto(live_server.url + "/fr/groups/supply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Groupe de l'offre")
    check_a11y(page)

    page.goto(live_server.url + "/fr/publications/report/")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
    check_a11y(page)

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page).to_have_url(live_server.url + "/publications/report/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert csp_errors == []
