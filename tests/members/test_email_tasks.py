"""Members' e-mails are sent by background tasks (members.tasks), never in the request.

A password reset queues the same task whether an account uses the address or not (same
work in the request, same time); invitation and review e-mails are queued once their
records are saved. No task carries a secret: tokens are made by the task itself.
"""

import re

import pytest
from django.core import mail
from django_tasks.signals import task_enqueued

from members import services
from members.models import Invitation, ReviewStatus
from tests.factories import PersonFactory, ProfileChangeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    """The tasks enqueued during the test: (task name, keyword arguments)."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.name, task_result.kwargs))

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


def test_password_reset_queues_the_same_task_for_known_and_unknown_addresses(
    client, member_user, queued
):
    client.post("/accounts/password_reset/", {"email": "member@example.org"})
    client.post("/accounts/password_reset/", {"email": "nobody@example.org"})

    assert queued == [
        ("password_reset_send", {"email": "member@example.org", "language": "en"}),
        ("password_reset_send", {"email": "nobody@example.org", "language": "en"}),
    ]
    assert [message.to for message in mail.outbox] == [["member@example.org"]]


def test_password_reset_email_links_to_site_url_in_the_visitors_language(
    client, member_user, settings
):
    settings.SITE_URL = "https://jli.example.org"
    client.post("/fr/accounts/password_reset/", {"email": "member@example.org"})

    [message] = mail.outbox
    assert re.search(r"https://jli\.example\.org/fr/accounts/reset/\w+/[\w-]+/", message.body)
    assert message.subject == "Choisissez un nouveau mot de passe pour le site de la JLI"


def test_password_reset_of_an_inactive_account_sends_nothing(client, member_user, queued):
    member_user.is_active = False
    member_user.save()
    client.post("/accounts/password_reset/", {"email": "member@example.org"})
    assert len(queued) == 1
    assert mail.outbox == []


def test_invitation_task_carries_no_token_and_the_link_works(
    client, django_capture_on_commit_callbacks, queued
):
    person = PersonFactory(email="ama@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.person_invite(person=person, invited_by=None)

    assert queued == [("invitation_send", {"invitation_id": invitation.pk, "language": "en"})]
    [message] = mail.outbox
    path = re.search(r"https?://\S+(/accounts/invitation/[\w-]+/)", message.body).group(1)
    # The hash stored is the link's (made by the task), not the placeholder's.
    invitation.refresh_from_db()
    assert invitation.token_hash == services._hash_token(path.split("/")[-2])
    assert client.get(path).status_code == 200


def test_invitation_replaced_before_its_task_runs_is_not_sent(
    django_capture_on_commit_callbacks,
):
    person = PersonFactory(email="ama@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.person_invite(person=person, invited_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(person=person, invited_by=None)
    for callback in callbacks:
        callback()  # the first invitation's task runs late: it is closed by now

    assert len(mail.outbox) == 1
    assert Invitation.objects.get(pk=first.pk).is_expired


def test_review_decision_is_sent_by_a_task_after_the_review_is_saved(
    member_user, editor_user, django_capture_on_commit_callbacks, queued
):
    change = ProfileChangeFactory(person=member_user.person)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.profile_change_decline(change=change, reviewer=editor_user, message="No.")
    assert (queued, mail.outbox) == ([], [])

    for callback in callbacks:
        callback()

    assert queued == [("review_decision_send", {"change_id": change.pk, "language": "en"})]
    [message] = mail.outbox
    assert message.to == ["member@example.org"]
    change.refresh_from_db()
    assert change.status == ReviewStatus.DECLINED
