"""Sign-in throttling (members/throttling.py) in the documented configuration
(docs/operations.md: nginx on the same machine, TRUSTED_PROXIES=127.0.0.1): per address
across names, per account across addresses (slowed, never locked), one budget per
account, and client addresses taken from X-Forwarded-For only from the trusted proxy
(issue 14, item 2)."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.db.models import Sum
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "127.0.0.1"  # the test client's REMOTE_ADDR: nginx on the same machine


@pytest.fixture(autouse=True)
def documented_configuration(settings):
    """The throttling defaults and the proxy setup docs/operations.md documents."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    settings.ACCOUNT_SLOWDOWN_AFTER = 10
    settings.ACCOUNT_SLOWDOWN_SECONDS = 60
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def sign_in(client, username, password="wrong", *, client_ip=None, peer=PROXY):  # noqa: S107
    """A sign-in through the proxy (it adds the client's address to X-Forwarded-For), or
    straight from `peer` when `client_ip` is None."""
    extra = {"REMOTE_ADDR": peer}
    if client_ip is not None:
        extra["HTTP_X_FORWARDED_FOR"] = client_ip
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(response):
    return response.status_code == 302


# --- Per address, across names: password spraying -----------------------------------


def test_spraying_30_names_from_one_address_is_locked_after_the_failure_limit(client, member_user):
    answers = [
        sign_in(client, f"user{n}@example.org", client_ip="203.0.113.5").status_code
        for n in range(30)
    ]

    assert answers == [200] * 4 + [429] * 26
    # Even the right password of a real account, from that address...
    locked = sign_in(client, "member@example.org", PASSWORD, client_ip="203.0.113.5")
    assert locked.status_code == 429
    assert "There were 5 failed attempts to sign in from your connection." in locked.text
    # ... while the account's owner, elsewhere, signs in.
    assert signed_in(sign_in(client, "member@example.org", PASSWORD, client_ip="198.51.100.20"))


def test_signing_in_to_ones_own_account_does_not_reset_the_addresss_count(client, member_user):
    """axes' own reset would clear every record of the address: a sprayer holding one
    account could sign in to it between rounds and spray for ever."""
    for n in range(4):
        sign_in(client, f"user{n}@example.org", client_ip="203.0.113.5")
    assert signed_in(sign_in(client, "member@example.org", PASSWORD, client_ip="203.0.113.5"))
    client.post("/accounts/logout/")

    assert sign_in(client, "user9@example.org", client_ip="203.0.113.5").status_code == 429


# --- Per account, across addresses: slowed, never locked -------------------------------


def test_an_account_guessed_from_many_addresses_is_slowed_down_not_locked(client, member_user):
    for n in range(10):
        assert sign_in(client, "member@example.org", client_ip=f"198.51.100.{n}").status_code == 200

    # The next attempt, from any address, waits: even with the right password.
    paused = sign_in(client, "member@example.org", PASSWORD, client_ip="192.0.2.77")
    assert paused.status_code == 429
    assert "Please wait a moment" in paused.text
    assert "please wait 60 seconds and try again" in paused.text
    assert paused["Retry-After"] == "60"
    # A refused attempt is not one more failure: waiting is always enough.
    assert AccessAttempt.objects.aggregate(n=Sum("failures_since_start"))["n"] == 10

    # A minute later the owner signs in, from anywhere (the attempts are moved back in
    # time rather than sleeping).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(seconds=61))
    assert signed_in(sign_in(client, "member@example.org", PASSWORD, client_ip="192.0.2.77"))


def test_a_slowed_account_takes_one_attempt_a_minute(client, member_user):
    for n in range(10):
        sign_in(client, "member@example.org", client_ip=f"198.51.100.{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(seconds=61))

    assert sign_in(client, "member@example.org", client_ip="192.0.2.1").status_code == 200
    assert sign_in(client, "member@example.org", client_ip="192.0.2.2").status_code == 429


def test_other_accounts_are_not_slowed(client, member_user, other_member_user):
    for n in range(10):
        sign_in(client, "member@example.org", client_ip=f"198.51.100.{n}")

    assert signed_in(sign_in(client, "other@example.org", PASSWORD, client_ip="192.0.2.1"))


def test_an_account_has_one_budget_by_username_or_email_in_any_case(client, member_user):
    names = ["member", "member@example.org", "MEMBER@Example.org", " Member@example.org "]
    for n in range(10):
        sign_in(client, names[n % len(names)], client_ip=f"198.51.100.{n}")

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"member"}
    # Ten failures under four spellings: one account, slowed down.
    assert sign_in(client, "member", PASSWORD, client_ip="192.0.2.1").status_code == 429


def test_the_admin_sign_in_shares_the_accounts_budget(client, superuser):
    for n in range(5):
        sign_in(client, "admin@example.org", client_ip=f"198.51.100.{n}")
    for n in range(5, 10):
        client.post(
            "/admin/login/",
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"admin"}
    response = client.post(
        "/admin/login/",
        {"username": "admin", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert response.status_code == 429


# --- The client's address: X-Forwarded-For only from the trusted proxy -----------------


def test_behind_the_trusted_proxy_each_client_is_counted_separately(client, member_user):
    for _ in range(5):
        sign_in(client, "member@example.org", client_ip="203.0.113.5")

    assert (
        sign_in(client, "member@example.org", PASSWORD, client_ip="203.0.113.5").status_code == 429
    )
    assert signed_in(sign_in(client, "member@example.org", PASSWORD, client_ip="203.0.113.6"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_client_cannot_forge_its_address_through_the_proxy(client, member_user):
    """The proxy appends the real peer to what the client sent: only the last hop counts."""
    for n in range(5):
        sign_in(client, "member@example.org", client_ip=f"10.9.9.{n}, 203.0.113.5")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert (
        sign_in(client, "member@example.org", client_ip="10.9.9.9, 203.0.113.5").status_code == 429
    )


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(client, member_user):
    """A client reaching the app directly, not through the proxy, names any address it
    likes in X-Forwarded-For: it is still counted as itself."""
    answers = [
        sign_in(
            client, "member@example.org", client_ip=f"192.0.2.{n}", peer="198.51.100.7"
        ).status_code
        for n in range(6)
    ]

    assert answers == [200] * 4 + [429] * 2
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_the_security_log_names_the_same_client_address(client, member_user, caplog):
    with caplog.at_level(logging.INFO, logger="jli.security"):
        sign_in(client, "member@example.org", client_ip="10.0.0.1, 203.0.113.5")
        sign_in(client, "member@example.org", client_ip="192.0.2.9", peer="198.51.100.7")

    failures = [line for line in caplog.messages if "event=login_failed" in line]
    assert len(failures) == 2
    assert "ip=203.0.113.5 " in failures[0]
    assert "ip=198.51.100.7 " in failures[1]
