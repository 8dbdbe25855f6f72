"""The secretariat imports publications exported from a reference manager."""

import pytest
from playwright.sync_api import expect

from core.models import Status
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Five entries as a reference manager writes them (sample data): the third is already on
# the site (same DOI), the first has an author who is a person of the site.
RIS = """TY  - RPRT
TI  - Sample imported report one
AU  - Sample, Ada
AU  - Outsider, Olu
PY  - 2003
DA  - 2003/05//
AB  - A sample abstract.
ER  -

TY  - RPRT
TI  - Sample imported report two
AU  - Outsider, Olu
PY  - 2003
ER  -

TY  - JOUR
TI  - Sample article already here
DO  - 10.5555/sample-already
PY  - 2002
ER  -

TY  - RPRT
M3  - Working paper
TI  - Sample imported working paper
PY  - 2004
ER  -

TY  - PAMP
TI  - Sample imported brochure
AU  - Sample Organisation
PY  - 2004
ER  -
"""


def test_editor_imports_a_ris_file_reviews_confirms_and_reimports_nothing(
    page, live_server, editor_user, sign_in_admin, check_a11y, csp_errors, tmp_path
):
    ada = PersonFactory(given_name="Ada", family_name="Sample")
    PublicationFactory(title="Sample article already here", doi="10.5555/sample-already")
    ris = tmp_path / "from-zotero.ris"
    ris.write_text(RIS)

    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/publications/publication/")
    page.get_by_role("link", name="Import BibTeX or RIS").click()
    check_a11y(page)
    page.get_by_label("References").set_input_files(str(ris))
    page.get_by_role("button", name="Preview the import").click()

    # The preview: four to create, one duplicate, the existing person matched by name.
    expect(page.locator("#import-summary")).to_contain_text("create 4")
    expect(page.locator("#import-summary")).to_contain_text("skip 1")
    expect(page.locator(".import-skip")).to_contain_text("Sample article already here")
    first_author = page.get_by_label("Author 1: Ada Sample")
    expect(first_author).to_have_value(str(ada.pk))
    check_a11y(page)
    assert Publication.objects.count() == 1

    page.get_by_role("button", name="Confirm the import").first.click()
    expect(page.locator(".messagelist")).to_contain_text("4 created")
    new = Publication.objects.exclude(doi="10.5555/sample-already").order_by("title")
    assert [(p.title, p.status) for p in new] == [
        ("Sample imported brochure", Status.DRAFT),
        ("Sample imported report one", Status.DRAFT),
        ("Sample imported report two", Status.DRAFT),
        ("Sample imported working paper", Status.DRAFT),
    ]
    one = new.get(title="Sample imported report one")
    assert [(a.person, a.name) for a in one.authorships.all()] == [
        (ada, ""),
        (None, "Olu Outsider"),
    ]
    assert new.get(title="Sample imported working paper").kind == "working_paper"
    # The record of the import links its publications.
    expect(page.get_by_role("link", name="Sample imported report two")).to_be_visible()

    # The same file again: nothing new.
    page.goto(f"{live_server.url}/admin/imports/importrecord/publications/")
    page.get_by_label("References").set_input_files(str(ris))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#import-summary")).to_contain_text("create 0")
    page.get_by_role("button", name="Confirm the import").first.click()
    expect(page.locator(".messagelist")).to_contain_text("0 created")
    assert Publication.objects.count() == 5
    assert csp_errors == []
