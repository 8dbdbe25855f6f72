"""The payload sweep in a real browser: with every payload stored in every field, no
representative page runs any of them (window.__pwned stays undefined, no dialog opens),
with the site's Content-Security-Policy on (no violation is even reported: nothing tried
to run) and with it bypassed (escaping alone holds)."""

import pytest

from tests.payloads import PAYLOADS, URL_PAYLOADS, hostile_site, public_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = ["/", "/groups/", "/people/", "/publications/", "/events/", "/funders/"]
# Resolves after the browser has painted two more frames: every task queued by the page
# so far (events, timers of 0 ms) has run.
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture
def hostile_pages(db):
    details = []
    for index, payload in enumerate(PAYLOADS):
        objects = hostile_site(payload, index=index, url=URL_PAYLOADS[index % len(URL_PAYLOADS)])
        if index % 5 == 0:
            details += public_urls(objects)[1::2]  # the detail pages
    return LISTS + details


def _visit_all(page, base, urls):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ran = []
    for url in urls:
        response = page.goto(base + url)
        assert response.status == 200, url
        # Load and error handlers have run (goto waits for the load event); hover the
        # page, then let two frames pass so focus and hover handlers get their turn.
        page.mouse.move(10, 10)
        page.mouse.move(300, 400, steps=5)
        page.evaluate(NEXT_FRAMES)
        if page.evaluate("typeof window.__pwned") != "undefined":
            ran.append(url)
    return ran, dialogs


def test_no_payload_runs_under_the_sites_policy(page, live_server, hostile_pages, csp_errors):
    ran, dialogs = _visit_all(page, live_server.url, hostile_pages)
    assert ran == []
    assert dialogs == []
    assert csp_errors == []


def test_no_payload_runs_even_with_the_policy_bypassed(browser, live_server, hostile_pages):
    context = browser.new_context(bypass_csp=True)
    try:
        ran, dialogs = _visit_all(context.new_page(), live_server.url, hostile_pages)
    finally:
        context.close()
    assert ran == []
    assert dialogs == []


def test_the_browser_check_sees_a_payload_that_runs(browser, live_server):
    """A page that does run the payload is caught: the check is not vacuous."""
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/healthz")
        page.set_content(f'<img src=x onerror="{PAYLOADS[9].split("onerror=")[1][:-1]}">')
        # Waits (up to Playwright's timeout) until the payload has run.
        page.wait_for_function("typeof window.__pwned === 'number'")
    finally:
        context.close()
