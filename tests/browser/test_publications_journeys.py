import pytest
from playwright.sync_api import expect

from publications import selectors
from publications.models import Publication
from tests.factories import GroupFactory, PersonFactory, PublicationFactory, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_publishes_a_working_paper_and_a_visitor_finds_downloads_and_cites_it(
    page, live_server, editor_user, sign_in_admin, check_a11y, csp_errors, tmp_path
):
    group = GroupFactory(name="Working group on supply", slug="supply")
    GroupFactory(name="Working group on demand", slug="demand")
    PersonFactory(given_name="Ana", family_name="Silva", slug="ana-silva")
    PublicationFactory(title="A paper from another group")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(pdf_bytes(pages=2))

    # The editor creates the working paper as a draft, with two authors and a PDF.
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/publications/publication/add/")
    page.select_option("#id_kind", "working_paper")
    page.get_by_label("Title:", exact=True).fill("Nurses on the move")
    page.keyboard.press("Tab")  # the slug is filled in when the title changes
    expect(page.get_by_label("Slug")).to_have_value("nurses-on-the-move")
    page.fill("#id_published_on", "2003-09-01")
    page.select_option("#id_date_precision", "month")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_label(group.name, exact=True).check()
    # Two authors, in order: a person of the site found by typing, then a typed name.
    page.locator(".add-row a").click()
    page.locator(".add-row a").click()
    # No order numbers to type: the rows are in the order they were added.
    page.fill("#id_authorships-1-name", "Kofi Mensah")
    page.locator("#authorships-0 .select2-selection").click()
    page.locator(".select2-search__field").fill("Silva")
    page.locator(".select2-results__option", has_text="Ana Silva").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    publication = Publication.objects.get(slug="nurses-on-the-move")
    assert publication.page_count == 2
    assert publication.status == "draft"

    # Then publishes it with the bulk action.
    page.goto(f"{live_server.url}/admin/publications/publication/")
    page.locator(f"input[name='_selected_action'][value='{publication.pk}']").check()
    page.select_option("select[name='action']", "publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 publication published.")
    page.context.clear_cookies()

    # A visitor filters the list by the group and finds it.
    page.goto(f"{live_server.url}/publications/")
    check_a11y(page)
    page.get_by_label("Group").select_option("supply")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".result-count")).to_have_text("1 publication")
    expect(page.locator(".pub-list")).not_to_contain_text("A paper from another group")
    check_a11y(page)
    page.get_by_role("link", name="Nurses on the move").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nurses on the move")
    expect(page.locator(".publication__authors")).to_have_text("By Ana Silva and Kofi Mensah")
    check_a11y(page)

    # Downloads the PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "nurses-on-the-move.pdf"
    assert download.path().read_bytes() == pdf.read_bytes()

    # Chooses the APA style, reads it and copies it.
    page.get_by_text("APA style", exact=True).click()
    apa = page.get_by_label("APA citation as plain text, to copy")
    expect(apa).to_have_value(
        "Silva, A., & Mensah, K. (2003). Nurses on the move [Working paper]. "
        "http://127.0.0.1:8000/publications/nurses-on-the-move/"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="Copy the APA citation").click()
    expect(page.locator(".citation__status")).to_have_text("Citation copied.")
    assert page.evaluate("navigator.clipboard.readText()") == apa.input_value()
    assert group.publications.get() == publication
    assert csp_errors == []


def test_publication_pages_are_readable_at_320_px(page, live_server):
    PublicationFactory(title="A rather long title for a working paper on the health workforce")
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/publications/", Publication.objects.get().get_absolute_url()]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_numbered_pages_fit_320_px_work_by_keyboard_and_axe_finds_nothing(
    page, live_server, check_a11y, csp_errors, monkeypatch
):
    PublicationFactory.create_batch(3, kind="report")
    # An archive of 19,018 publications (951 pages): the widest navigation, in the
    # middle of the list.
    counts = selectors.ListCounts(total=19_018, kinds={"report": 19_018}, years={})
    monkeypatch.setattr("publications.selectors.list_counts", lambda filters: counts)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/publications/?kind=report&page=476")

    nav = page.get_by_role("navigation", name="Pages")
    expect(nav.locator("[aria-current=page]")).to_have_text("476")
    expect(nav.get_by_role("link")).to_have_text(
        ["Previous", "1", "2", "474", "475", "476", "477", "478", "950", "951", "Next"]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Large enough to tap: 44 px and more (WCAG 2.2 asks for 24).
    sizes = nav.get_by_role("link").evaluate_all(
        "links => links.map(link => link.getBoundingClientRect())"
        ".map(box => Math.min(box.width, box.height))"
    )
    assert min(sizes) >= 44
    check_a11y(page)

    # By keyboard: the focused page link shows its outline, and Enter follows it.
    nav.get_by_role("link", name="Page 477").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused == "solid"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/publications/?kind=report&page=477")
    expect(nav.locator("[aria-current=page]")).to_have_text("477")
    assert csp_errors == []
