"""Issue 16 as a reader sees it: nothing scrolls sideways at 320 px, in English or French,
on any public page type; axe finds nothing on the pages whose layout changed; the
publication's citation works without JavaScript."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from groups.models import Role
from publications.models import DatePrecision
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST = 320


@pytest.fixture
def content():
    """The JLI's real content, and sample records with the longest words and menus: a
    country whose name is long in both languages, a long affiliation, dated roles."""
    call_command("load_jli", verbosity=0)
    group = GroupFactory(name="Working group on priority diseases and human resources")
    person = PersonFactory(
        slug="ana",
        given_name="Ana",
        family_name="Silva-Vasconcelos",
        affiliation="Instituto de Comunicação e Informação Científica e Tecnológica em Saúde",
        country="CD",  # Congo (the Democratic Republic of the)
    )
    start, end = datetime.date(2002, 11, 1), datetime.date(2004, 12, 31)
    MembershipFactory(
        group=group, person=person, role=Role.CO_CHAIR, start_date=start, end_date=end
    )
    publication = PublicationFactory(
        slug="paper",
        title="Health workforce migration: internationalisation and its counterparts",
        published_on=datetime.date(2003, 6, 1),
        date_precision=DatePrecision.MONTH,
    )
    publication.groups.add(group)
    AuthorshipFactory(publication=publication, person=person)
    event = EventFactory(
        slug="consultation",
        title="Consultation on the health workforce in sub-Saharan Africa",
        start_date=datetime.date(2003, 6, 2),
        start_time=datetime.time(9),
        time_zone="Africa/Nairobi",
        city="Nairobi",
        country="CD",
    )
    event.organisers.add(group)
    return {"group": group}


PAGES = [
    "/",
    "/about/why-the-jli/",
    "/about/acknowledgements/",
    "/groups/",
    "/groups/secretariat/",
    "/people/",
    "/people/ana/",
    "/publications/",
    "/publications/paper/",
    "/publications/human-resources-for-health-overcoming-the-crisis/",
    "/events/",
    "/events/consultation/",
    "/funders/",
    "/funders/rockefeller-foundation/",
    "/search/?q=health",
    "/data/",
    "/accounts/login/",
]


def _to_french(page, base):
    page.goto(base + "/")
    page.select_option("#language", "fr")
    page.locator(".language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_public_page_scrolls_sideways_at_320_px(browser, live_server, content, language):
    context = browser.new_context(viewport={"width": NARROWEST, "height": 800})
    page = context.new_page()
    if language == "fr":
        _to_french(page, live_server.url)
    wide = {}
    pages = [*PAGES, content["group"].get_absolute_url()]
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROWEST:
            wide[path] = width
    context.close()
    assert wide == {}


def test_changed_pages_pass_axe_and_read_in_their_new_order(
    page, live_server, content, check_a11y, csp_errors
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Joint Learning Initiative")
    expect(page.locator(".key-facts")).to_contain_text("more than 100")
    check_a11y(page)

    # Every story page is a click from the home page.
    page.get_by_role("link", name="Acknowledgements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acknowledgements")
    check_a11y(page)

    page.goto(live_server.url + "/groups/secretariat/")
    expect(page.locator(".layout__aside")).to_contain_text("John Snow Inc., Boston")
    check_a11y(page)

    page.goto(live_server.url + content["group"].get_absolute_url())
    expect(page.get_by_role("heading", name="Members during the initiative")).to_be_visible()
    check_a11y(page)

    page.goto(live_server.url + "/events/consultation/")
    expect(page.get_by_text("East Africa Time").first).to_be_visible()
    check_a11y(page)

    page.goto(live_server.url + "/publications/paper/")
    check_a11y(page)
    assert csp_errors == []

    # On a short page the footer sits at the bottom of the window, not halfway up.
    page.goto(live_server.url + "/accounts/password_reset/done/")
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] == pytest.approx(900, abs=1)


def test_citation_styles_are_disclosures_that_work_without_javascript(
    browser, live_server, content
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/publications/paper/")

    vancouver = page.locator("details.citation").nth(0)
    apa = page.locator("details.citation").nth(1)
    expect(vancouver.locator(".citation__text")).to_contain_text("2003 Jun.")
    expect(apa.locator(".citation__text")).to_be_hidden()
    apa.locator("summary").first.click()
    expect(apa.locator(".citation__text")).to_be_visible()
    plain = apa.locator("details.citation__plain")
    expect(plain.locator("textarea")).to_be_hidden()
    plain.locator("summary").click()
    expect(plain.locator("textarea")).to_contain_text("Silva-Vasconcelos, A. (2003).")
    context.close()
