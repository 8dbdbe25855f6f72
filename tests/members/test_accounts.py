"""Members' accounts: invitation, sign-in by e-mail, throttling, reset without enumeration."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Invitation
from tests.conftest import PASSWORD
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _invite(person, django_capture_on_commit_callbacks, by=None):
    """Invite through the service; return the link's path from the e-mail sent."""
    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(person=person, invited_by=by)
    link = re.search(r"https?://\S+(/accounts/invitation/\S+/)", mail.outbox[-1].body)
    return link.group(1)


def _invite_action(client, people):
    return client.post(
        reverse("admin:groups_person_changelist"),
        {"action": "invite", "_selected_action": [person.pk for person in people]},
    )


# --- The invitation, step by step ----------------------------------------------------------


def test_invite_action_emails_a_one_time_link_with_text_and_html_parts(
    editor_client, editor_user, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://jli.example.org"
    person = PersonFactory(given_name="Ama", family_name="Owusu", email="ama@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite_action(editor_client, [person])

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ama@example.org"]
    assert message.subject == "Your account on the JLI site"
    assert "Dear Ama Owusu," in message.body
    link = re.search(r"https://jli\.example\.org/accounts/invitation/[\w-]+/", message.body)
    assert link is not None
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link.group(0)}"' in html
    invitation = Invitation.objects.get()
    assert invitation.invited_by == editor_user
    assert invitation.email == "ama@example.org"
    # Only a hash of the token is stored.
    assert invitation.token_hash not in message.body


def test_invitation_expires_after_the_configured_days(settings, django_capture_on_commit_callbacks):
    settings.INVITATION_EXPIRY_DAYS = 3
    _invite(PersonFactory(email="a@example.org"), django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=3), abs=datetime.timedelta(seconds=1)
    )


def test_invite_action_sends_nothing_without_a_commit(editor_client):
    # The e-mail waits for the transaction: a rolled-back invitation sends nothing.
    _invite_action(editor_client, [PersonFactory(email="a@example.org")])
    assert mail.outbox == []


def test_invite_action_skips_people_with_an_account_or_without_an_address(
    editor_client, member_user, django_capture_on_commit_callbacks
):
    no_address = PersonFactory(given_name="No", family_name="Address", email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite_action(editor_client, [member_user.person, no_address])

    shown = [str(m) for m in response.wsgi_request._messages]
    # People come in alphabetical order of family name.
    assert shown == ["No Address has no e-mail address.", "Mary Member already has an account."]
    assert mail.outbox == []
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize(
    ("persona_name", "sends"),
    [
        ("anonymous_client", False),
        ("member_client", False),
        ("other_member_client", False),
        ("editor_client", True),
        ("superuser_client", True),
    ],
)
def test_invite_action_authorization(
    request, persona_name, sends, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(persona_name)
    person = PersonFactory(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite_action(client, [person])
    assert len(mail.outbox) == (1 if sends else 0)
    if not sends:
        # Not staff: the admin sends them to its sign-in page.
        assert response.status_code == 302
        assert response.url.startswith(ADMIN_LOGIN)


def test_invitation_link_sets_a_password_links_the_person_and_signs_in(
    client, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="Ama@Example.org")
    path = _invite(person, django_capture_on_commit_callbacks)

    page = client.get(path)
    assert page.status_code == 200
    assert "Choose a password" in page.text
    assert page["Cache-Control"].startswith("max-age=0")

    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.url == "/profile/"
    person.refresh_from_db()
    user = person.user
    # The domain is lower-cased, as Django normalises addresses.
    assert (user.username, user.email) == ("Ama@example.org", "Ama@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert Invitation.objects.get().accepted_at is not None
    profile = client.get("/profile/")
    assert profile.context["person"] == person


def test_invitation_link_works_only_once(client, django_capture_on_commit_callbacks):
    path = _invite(PersonFactory(email="a@example.org"), django_capture_on_commit_callbacks)
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    again = client.get(path)
    assert again.status_code == 410
    assert "This invitation was already used" in again.text
    post_again = client.post(path, {"password1": "x" + NEW_PASSWORD, "password2": "x"})
    assert post_again.status_code == 410
    assert get_user_model().objects.count() == 1


def test_expired_invitation_link_is_refused(client, django_capture_on_commit_callbacks):
    path = _invite(PersonFactory(email="a@example.org"), django_capture_on_commit_callbacks)
    # Time passes beyond the expiry.
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 410
    assert "This invitation is too old" in response.text
    assert get_user_model().objects.count() == 0


def test_tampered_invitation_link_is_refused(client, django_capture_on_commit_callbacks):
    path = _invite(PersonFactory(email="a@example.org"), django_capture_on_commit_callbacks)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    response = client.post(tampered, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 404
    assert "This link is not valid" in response.text
    assert get_user_model().objects.count() == 0


def test_invitation_of_a_person_who_already_has_an_account_is_refused(
    client, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="a@example.org")
    path = _invite(person, django_capture_on_commit_callbacks)
    person.user = UserFactory()
    person.save()

    response = client.get(path)

    assert response.status_code == 409
    assert "You already have an account." in response.text
    assert 'href="/accounts/login/"' in response.text


def test_a_new_invitation_replaces_the_older_one(client, django_capture_on_commit_callbacks):
    person = PersonFactory(email="a@example.org")
    old = _invite(person, django_capture_on_commit_callbacks)
    new = _invite(person, django_capture_on_commit_callbacks)

    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


def test_invitation_refuses_an_address_another_account_already_uses(
    client, django_capture_on_commit_callbacks
):
    path = _invite(PersonFactory(email="a@example.org"), django_capture_on_commit_callbacks)
    UserFactory(username="a@example.org")

    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 200
    assert "An account already uses this e-mail address" in response.text
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords differ."),
        ("password", "password", "This password is too common."),
        ("", "", "This field is required."),
    ],
)
def test_invitation_password_is_checked(
    client, django_capture_on_commit_callbacks, password1, password2, message
):
    path = _invite(PersonFactory(email="a@example.org"), django_capture_on_commit_callbacks)

    response = client.post(path, {"password1": password1, "password2": password2})

    assert response.status_code == 200
    assert message in response.text
    assert get_user_model().objects.count() == 0
    assert Invitation.objects.get().accepted_at is None


# --- Sign in and out ---------------------------------------------------------------


def test_sign_in_with_email_address_goes_to_the_profile(client, member_user):
    response = client.post(LOGIN, {"username": "MEMBER@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/profile/"
    assert client.get("/profile/").context["person"].full_name == "Mary Member"


def test_sign_in_page_asks_for_an_email_address(client):
    response = client.get(LOGIN)
    assert 'type="email" name="username"' in response.text
    assert "E-mail address" in response.text


def test_admin_sign_in_with_username_still_works(client, editor_user):
    response = client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_sign_in_refuses_an_address_shared_by_two_accounts(client):
    UserFactory(username="one", email="shared@example.org")
    UserFactory(username="two", email="shared@example.org")
    response = client.post(LOGIN, {"username": "shared@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_in_answers_the_same_for_an_unknown_address_and_a_wrong_password(client, member_user):
    unknown = client.post(LOGIN, {"username": "nobody@example.org", "password": PASSWORD})
    wrong = client.post(LOGIN, {"username": "member@example.org", "password": "wrong"})

    expected = "This e-mail address and password do not match an account."
    assert (unknown.status_code, wrong.status_code) == (200, 200)
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert expected in unknown.text


def test_sign_out_needs_a_post(member_client):
    assert member_client.get("/accounts/logout/").status_code == 405
    response = member_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert member_client.get("/profile/").status_code == 302


# --- Throttling (django-axes) -----------------------------------------------------------


@pytest.fixture
def throttle(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)


def _fail(client, url, username, times):
    for _ in range(times):
        client.post(url, {"username": username, "password": "wrong"})


def test_site_sign_in_locks_after_the_failure_limit_then_unlocks_after_the_cool_off(
    client, member_user, throttle
):
    _fail(client, LOGIN, "member@example.org", 2)
    # Another name from another address: a count of its own.
    other = client.post(
        LOGIN, {"username": "x@example.org", "password": "x"}, REMOTE_ADDR="192.0.2.1"
    )
    assert other.status_code == 200

    _fail(client, LOGIN, "member@example.org", 1)
    locked = client.post(LOGIN, {"username": "member@example.org", "password": PASSWORD})

    assert locked.status_code == 429
    assert "Sign-in paused" in locked.text
    assert "There were 3 failed attempts" in locked.text
    assert "paused for 30 minutes" in locked.text
    assert "_auth_user_id" not in client.session

    # The cool-off passes (the attempts are moved back in time rather than sleeping).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    response = client.post(LOGIN, {"username": "member@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member_user.pk)


def test_lock_is_per_address_not_per_account(client, member_user, other_member_user, throttle):
    """The address that failed is locked, for every name (password spraying); the
    account is not: its owner signs in from elsewhere (members/throttling.py)."""
    _fail(client, LOGIN, "member@example.org", 3)

    other = client.post(LOGIN, {"username": "other@example.org", "password": PASSWORD})
    assert other.status_code == 429
    other = client.post(
        LOGIN, {"username": "other@example.org", "password": PASSWORD}, REMOTE_ADDR="192.0.2.8"
    )
    assert other.status_code == 302
    client.logout()
    elsewhere = client.post(
        LOGIN,
        {"username": "member@example.org", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert elsewhere.status_code == 302


def test_lock_ignores_the_case_of_the_address(client, member_user, throttle):
    _fail(client, LOGIN, "Member@Example.org", 2)
    _fail(client, LOGIN, "member@example.org", 1)
    locked = client.post(LOGIN, {"username": "MEMBER@example.org", "password": PASSWORD})
    assert locked.status_code == 429


def test_admin_sign_in_locks_too_with_the_site_lockout_page(client, editor_user, throttle):
    _fail(client, ADMIN_LOGIN, "editor", 3)

    locked = client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD})

    assert locked.status_code == 429
    assert "Sign-in paused" in locked.text
    assert '<link rel="stylesheet" href="/static/css/site.css">' in locked.text
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD}).status_code == 302


# --- Password reset and change ---------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, member_user):
    known = client.post("/accounts/password_reset/", {"email": "member@example.org"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (302, "/accounts/password_reset/done/")
    assert (unknown.status_code, unknown.url) == (302, "/accounts/password_reset/done/")
    done = client.get(known.url)
    assert "If an account uses the address you gave" in done.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    assert message.subject == "Choose a new password for the JLI site"
    assert message.alternatives[0][1] == "text/html"
    assert "/accounts/reset/" in message.body


def test_password_reset_link_sets_a_new_password(client, member_user):
    client.post("/accounts/password_reset/", {"email": "member@example.org"})
    path = re.search(r"http://\S+?(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == "/accounts/reset/done/"
    member_user.refresh_from_db()
    assert member_user.check_password(NEW_PASSWORD)


def test_password_change_in_the_site_look(member_client, member_user):
    page = member_client.get("/accounts/password_change/")
    assert "Change your password" in page.text
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page.text

    response = member_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == "/accounts/password_change/done/"
    member_user.refresh_from_db()
    assert member_user.check_password(NEW_PASSWORD)
