import pytest
from playwright.sync_api import expect

from core.models import Status
from publications.models import Publication, TextStatus
from tests.factories import PublicationFactory, pdf_with_text

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


def test_editor_uploads_a_pdf_and_a_visitor_finds_it_by_a_phrase_inside(
    page, live_server, editor_user, sign_in_admin, check_a11y, tmp_path
):
    phrase = "axolotl retention bonuses"
    PublicationFactory(title="Draft twin", abstract=f"About {phrase}.", status=Status.DRAFT)
    pdf = tmp_path / "retention.pdf"
    pdf.write_bytes(pdf_with_text("Rural posts", f"Page two discusses {phrase} in detail."))

    # The editor adds the publication with its PDF, then publishes it. The worker (run
    # at once in tests: the immediate task backend) reads the PDF's text after the save.
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/publications/publication/add/")
    page.get_by_label("Title:", exact=True).fill("Keeping health workers in rural posts")
    page.keyboard.press("Tab")
    page.fill("#id_published_on", "2004-01-01")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    publication = Publication.objects.get(slug="keeping-health-workers-in-rural-posts")
    assert publication.text_status == TextStatus.EXTRACTED
    page.goto(f"{live_server.url}/admin/publications/publication/")
    page.locator(f"input[name='_selected_action'][value='{publication.pk}']").check()
    page.select_option("select[name='action']", "publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 publication published.")
    page.context.clear_cookies()

    # A visitor types the phrase in the header's box and finds it, the phrase marked.
    page.goto(f"{live_server.url}/publications/")
    page.get_by_role("search", name="Site").get_by_label("Search the site").fill(f'"{phrase}"')
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()
    result = page.locator(".search-result")
    expect(result).to_have_count(1)
    expect(result.get_by_role("link")).to_have_text("Keeping health workers in rural posts")
    expect(result.locator("mark")).to_have_text(["axolotl", "retention", "bonuses"])
    expect(page.get_by_text("Draft twin")).to_have_count(0)
    check_a11y(page)
