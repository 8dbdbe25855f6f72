import re

import pytest
from playwright.sync_api import expect

from groups.models import Role
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_goes_home_then_to_a_working_group_then_to_a_person(
    page, live_server, check_a11y, csp_errors
):
    group = GroupFactory(name="Working group on supply", theme="Supply")
    MembershipFactory(
        group=group,
        role=Role.CO_CHAIR,
        person__given_name="Ana",
        person__family_name="Silva",
        person__affiliation="Fiocruz",
        person__country="BR",
    )

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=2, name="The working groups")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Working group on supply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Working group on supply")
    expect(page.get_by_text("Co-chair")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Ana Silva").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Silva")
    expect(page.get_by_text("Fiocruz, Brazil")).to_be_visible()
    check_a11y(page)

    page.goto(live_server.url + "/groups/")
    check_a11y(page)
    page.goto(live_server.url + "/people/")
    check_a11y(page)
    page.goto(live_server.url + "/people/?group=no-such-group")
    check_a11y(page)
    assert csp_errors == []


def test_directory_is_readable_at_320_px(page, live_server):
    MembershipFactory(person__given_name="Ana", person__family_name="Silva")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/people/")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 320


def test_editor_adds_a_person_with_a_co_chair_role_shown_on_the_group_page(
    page, live_server, editor_user, sign_in_admin
):
    group = GroupFactory(name="Working group on demand")
    sign_in_admin(editor_user)

    page.goto(f"{live_server.url}/admin/groups/person/add/")
    page.get_by_label("Given name").fill("Kofi")
    page.get_by_label("Family name").fill("Mensah")
    page.get_by_label("Affiliation").fill("University of Ghana")
    expect(page.get_by_label("Slug")).to_have_value("kofi-mensah")
    page.get_by_role("button", name="Add another Role").click()
    page.select_option("#id_memberships-0-group", str(group.pk))
    page.select_option("#id_memberships-0-role", Role.CO_CHAIR)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(live_server.url + group.get_absolute_url())
    expect(page.locator(".person-line")).to_contain_text("Kofi Mensah, Co-chair")


def test_visitor_follows_a_large_groups_member_link_to_the_directory(
    page, live_server, check_a11y, csp_errors
):
    from groups.selectors import GROUP_PAGE_MEMBERS

    group = GroupFactory(name="Working group on finance", slug="finance")
    MembershipFactory(group=group, role=Role.CO_CHAIR, person__family_name="Chair")
    for n in range(GROUP_PAGE_MEMBERS + 1):
        MembershipFactory(group=group, person__family_name=f"Member{n:03}")

    page.goto(f"{live_server.url}/groups/finance/")
    expect(page.get_by_text("Co-chair")).to_be_visible()
    link = page.get_by_role(
        "link", name=f"See all {GROUP_PAGE_MEMBERS + 1} members in the people directory"
    )
    check_a11y(page)
    link.click()
    expect(page).to_have_url(f"{live_server.url}/people/?group=finance&role=member")
    # The directory, filtered to the group's members: the chair is not among them.
    expect(page.get_by_text("Member000").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r" Chair$"))).to_have_count(0)
    check_a11y(page)
    assert csp_errors == []
