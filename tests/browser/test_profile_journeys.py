"""A member's journey: invited, sets a password, proposes changes; the secretariat approves."""

import io
import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from tests.factories import MembershipFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long and unusual passphrase 42"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 110, 60)).save(buffer, format="PNG")
    return {"name": "me.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_invited_member_edits_profile_and_the_secretariat_approves_it(
    page, live_server, editor_user, sign_in_admin, check_a11y, csp_errors, settings
):
    settings.SITE_URL = live_server.url
    person = PersonFactory(
        given_name="Ama", family_name="Owusu", email="ama@example.org", bio="Old bio (sample)."
    )
    MembershipFactory(person=person, group__name="Working group on supply")

    # The secretariat invites Ama from the admin's list of people.
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/groups/person/")
    page.locator(f'input[name="_selected_action"][value="{person.pk}"]').check()
    page.select_option('select[name="action"]', "invite")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 invitation sent.")
    page.context.clear_cookies()

    # Ama follows the link from her e-mail and chooses a password.
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Make your account")
    check_a11y(page)
    page.get_by_label("New password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again:").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Make my account").click()
    page.wait_for_url(f"{live_server.url}/profile/")
    expect(page.get_by_text("Member, Working group on supply")).to_be_visible()
    check_a11y(page)

    # She changes her biography and sends a photo; the change waits for review.
    page.get_by_label("Short biography").fill("New bio written by Ama (sample).")
    page.get_by_label("New photo").set_input_files(_png())
    page.get_by_label("Photo description").fill("Ama Owusu at a workshop")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", name="Waiting for review")).to_be_visible()
    expect(page.locator(".profile-diff")).to_contain_text("New bio written by Ama (sample).")
    check_a11y(page)
    page.get_by_role("button", name="Sign out").first.click()

    # The public still sees the approved version.
    page.goto(live_server.url + person.get_absolute_url())
    expect(page.get_by_text("Old bio (sample).")).to_be_visible()

    # A secretariat editor approves it in the admin.
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/members/profilechange/")
    page.get_by_role("link", name="Ama Owusu", exact=True).click()
    expect(page.locator("table.profile-change")).to_contain_text("New bio written by Ama")
    page.get_by_label("Message to the member (optional)").fill("Thank you!")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messagelist")).to_contain_text("are published")
    page.context.clear_cookies()

    # A visitor sees the new biography and photo.
    page.goto(live_server.url + person.get_absolute_url())
    expect(page.get_by_text("New bio written by Ama (sample).")).to_be_visible()
    expect(page.get_by_role("img", name="Ama Owusu at a workshop")).to_be_visible()
    assert csp_errors == []


def test_sign_in_pages_have_no_accessibility_violations(
    page, live_server, member_user, check_a11y, csp_errors, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    page.goto(live_server.url + "/accounts/login/")
    check_a11y(page)
    page.get_by_label("E-mail address").fill("member@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    check_a11y(page)
    page.get_by_label("Password").fill("wrong again")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")
    check_a11y(page)
    page.goto(live_server.url + "/accounts/password_reset/")
    check_a11y(page)
    page.goto(live_server.url + "/accounts/invitation/not-a-real-token/")
    check_a11y(page)
    assert csp_errors == []


def test_profile_form_errors_are_accessible_and_readable_at_320_px(
    page, live_server, member_user, check_a11y
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("member@example.org")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/profile/")
    page.get_by_label("ORCID iD").fill("0000-0002-1825-0096")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("This ORCID iD has a wrong check digit")).to_be_visible()
    check_a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Each checkbox sits beside its label, on the same line.
    checkbox = page.locator("#id_is_public")
    label = page.locator('label[for="id_is_public"]')
    box, text = checkbox.bounding_box(), label.bounding_box()
    assert box["x"] < text["x"]
    assert abs((box["y"] + box["height"] / 2) - (text["y"] + text["height"] / 2)) < box["height"]
