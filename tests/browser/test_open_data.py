"""The API's docs page works under the site's strict Content-Security-Policy."""

import pytest

from tests.factories import PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_page_renders_without_csp_violations(page, live_server, csp_errors):
    PublicationFactory(slug="hrh")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("/api/v1/publications/{slug}/").first.wait_for()
    assert csp_errors == []


def test_data_page_is_accessible(page, live_server, check_a11y, csp_errors):
    from opendata import bulk

    PublicationFactory(slug="hrh")
    bulk.export()
    page.goto(f"{live_server.url}/data/")
    page.get_by_role("heading", name="Open data").wait_for()
    page.get_by_role("link", name="publications.csv").wait_for()
    check_a11y(page)
    assert csp_errors == []
