"""E-mails of the members app, sent by a background task rather than in the request.

Sending takes the time of an SMTP exchange; in the request, it would tell a stranger
whether an address has an account (a password reset for a known address took longer)
and hold a worker. Each task takes only what the database cannot tell it (an address,
a language): secrets (reset and invitation tokens) are made in the task itself, so
they never sit in the task queue's table.
"""

from django.utils import translation
from django_tasks import task

from members import services
from members.forms import SitePasswordResetForm

RESET_TEMPLATES = {
    "subject_template_name": "registration/password_reset_subject.txt",
    "email_template_name": "registration/password_reset_email.txt",
    "html_email_template_name": "registration/password_reset_email.html",
}


@task()
def password_reset_send(*, email: str, language: str) -> None:
    """E-mail a password reset link to each active account with this address (if any)."""
    form = SitePasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(**RESET_TEMPLATES)


@task()
def invitation_send(*, invitation_id: int, language: str) -> None:
    """E-mail an invitation its one-time link (made here: see services.invitation_send)."""
    with translation.override(language):
        services.invitation_send(invitation_id=invitation_id)


@task()
def review_decision_send(*, change_id: int, language: str) -> None:
    """Tell a member what became of their profile changes."""
    with translation.override(language):
        services.review_decision_send(change_id=change_id)
