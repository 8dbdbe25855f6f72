"""The API's docs page works under the site's strict Content-Security-Policy."""

import pytest

from tests.factories import PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_page_renders_without_csp_violations(page, live_server, csp_errors):
    PublicationFactory(slug="hrh")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("/api/v1/publications/{slug}/").first.wait_for()
    assert csp_errors == []
