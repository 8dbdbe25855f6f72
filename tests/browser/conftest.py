"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import PASSWORD

# An assertion waits up to 15 s for the page to show what it expects (Playwright's
# default is 5): an admin save on a 2-core machine running other suites beside took
# longer once. A page that never shows it still fails.
expect.set_options(timeout=15_000)


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
def page_errors(page):
    """Uncaught script errors (a `ReferenceError: gettext is not defined`), console
    errors, and responses of 400 or more the page asked for, with their URL.

    The console's own "Failed to load resource" lines are left to the response
    listener, which names the URL: the one the page did not ask for is the browser's
    `/favicon.ico` on admin pages (the admin's templates name no icon).
    """
    errors = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
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
