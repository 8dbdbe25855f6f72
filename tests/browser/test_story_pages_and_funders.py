import pytest
from playwright.sync_api import expect

from core.models import Status
from funders.models import Tier
from jli.models import StoryPage
from tests.factories import FunderFactory, StoryPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_writes_a_story_page_in_the_admin_editor_and_a_visitor_reads_it(
    page, live_server, editor_user, sign_in_admin, csp_errors, browser
):
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/jli/storypage/add/")
    page.get_by_label("Title:", exact=True).fill("Goals and design")
    page.get_by_label("Title:", exact=True).press("Tab")
    expect(page.get_by_label("Slug")).to_have_value("goals-and-design")

    editor = page.locator('.field-body_en .prose-editor [contenteditable="true"]')
    editor.click()
    # Markdown-like shortcuts of the editor: "## " starts a heading, "- " a list.
    page.keyboard.type("## Seven working groups")
    page.keyboard.press("Enter")
    page.keyboard.type("- history")
    page.keyboard.press("Enter")
    page.keyboard.type("supply")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the report")
    # Select "report" and make it a link with the menu's link dialog.
    for _ in range(len("report")):
        page.keyboard.press("Shift+ArrowLeft")
    # The editor applies the selection asynchronously: the link button needs it in place.
    page.wait_for_function("window.getSelection().toString() === 'report'")
    page.locator('.field-body_en .prose-menubar button[data-name="link"]').click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    dialog.locator('input[type="url"], input[name="href"]').first.fill("https://example.org/report")
    dialog.get_by_role("button", name="Update").or_(dialog.get_by_role("button", name="Save")).or_(
        dialog.get_by_role("button", name="OK")
    ).first.click()

    page.select_option("#id_status", Status.PUBLISHED)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert csp_errors == []

    story = StoryPage.objects.get(slug="goals-and-design")
    assert story.body == (
        "<h2>Seven working groups</h2><ul><li><p>history</p></li><li><p>supply</p></li></ul>"
        '<p>Read the <a href="https://example.org/report" title="" '
        'rel="noopener noreferrer">report</a></p>'
    )

    visitor = browser.new_context().new_page()
    visitor.goto(live_server.url + story.get_absolute_url())
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Goals and design")
    expect(visitor.get_by_role("heading", level=2, name="Seven working groups")).to_be_visible()
    expect(visitor.locator(".prose li")).to_have_text(["history", "supply"])
    expect(visitor.get_by_role("link", name="report")).to_have_attribute(
        "href", "https://example.org/report"
    )
    visitor.context.close()


def test_admin_editor_page_has_no_csp_violation_nor_script_error(
    page, live_server, editor_user, sign_in_admin, csp_errors, page_errors
):
    intro = StoryPageFactory(title="Why the JLI?", is_home_intro=True)
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/jli/storypage/{intro.pk}/change/")
    expect(page.locator('.field-body_en .prose-editor [contenteditable="true"]')).to_contain_text(
        "What the initiative learned."
    )
    expect(
        page.locator('.field-body_en .prose-menubar button[data-name="bulletList"]')
    ).to_be_visible()
    # The editor's dialogs (a link's) are labelled through Django's JavaScript catalogue.
    page.locator('.field-body_en .prose-menubar button[data-name="link"]').click()
    assert csp_errors == []
    assert page_errors == []


def test_funders_and_story_pages_pass_axe(page, live_server, check_a11y, csp_errors):
    funder = FunderFactory(
        name="Rockefeller Foundation",
        acknowledgement="The Rockefeller Foundation launched the JLI.",
    )
    FunderFactory(name="World Bank", tier=Tier.INSTITUTIONAL_SUPPORTER)
    story = StoryPageFactory(
        title="The secretariat and its three bases",
        show_in_navigation=True,
        body=(
            "<p>Three bases:</p><ul><li>New York City</li><li>Boston</li></ul>"
            "<h2>Thanks</h2><blockquote><p>Quoted.</p></blockquote>"
            '<table><thead><tr><th scope="col">Base</th></tr></thead>'
            "<tbody><tr><td>Boston</td></tr></tbody></table>"
        ),
    )

    page.goto(live_server.url + "/funders/")
    expect(page.get_by_role("heading", level=2, name="Funding partners")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Rockefeller Foundation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rockefeller Foundation")
    check_a11y(page)

    page.get_by_role("link", name="The secretariat and its three bases").click()
    expect(page).to_have_url(live_server.url + story.get_absolute_url())
    check_a11y(page)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name=funder.name)).to_be_visible()
    check_a11y(page)
    assert csp_errors == []
