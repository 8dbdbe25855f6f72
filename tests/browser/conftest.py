"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _live_server_allowed(settings):
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def check_a11y():
    """Run axe-core on the page; fail with the violations' summary if there is any."""
    axe = Axe()

    def check(page):
        results = axe.run(page)
        violations = results.response["violations"]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        ]
        assert summary == [], f"axe-core found violations on {page.url}"

    return check


@pytest.fixture
def csp_errors(page):
    """Console messages that report a Content-Security-Policy violation."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


@pytest.fixture
def sign_in_admin(page, live_server):
    def sign_in(user):
        page.goto(f"{live_server.url}/admin/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/admin/")

    return sign_in
