"""The security log and the response headers Django does not set by itself.

The log is standard `logging` on the "jli.security" logger: one line per event with
the UTC time, the user and the client address. Never a password, token or session id.
"""

import logging

from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

logger = logging.getLogger("jli.security")


def client_ip(request):
    """The client address; behind a proxy, the last hop it added to X-Forwarded-For."""
    if request is None:
        return "-"
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "-")


def _who(request, user=None):
    user = user or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user={user.pk}"
    return "user=-"


def log_event(event, request=None, *, user=None, **details):
    """Write one security event. `details` must never carry secrets."""
    extra = " ".join(f"{key}={str(value)[:200]!r}" for key, value in sorted(details.items()))
    logger.info("event=%s %s ip=%s %s", event, _who(request, user), client_ip(request), extra)


@receiver(auth_signals.user_logged_in, dispatch_uid="security_log_login")
def _logged_in(sender, request, user, **kwargs):
    log_event("login", request, user=user)
    if user.is_staff and request is not None and hasattr(request, "session"):
        # Staff sessions are shorter: the admin can change everything.
        request.session.set_expiry(settings.STAFF_SESSION_AGE)


@receiver(auth_signals.user_logged_out, dispatch_uid="security_log_logout")
def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request, user=user)


@receiver(auth_signals.user_login_failed, dispatch_uid="security_log_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password already masked by Django; log only the name tried.
    log_event("login_failed", request, username=credentials.get("username", "-"))


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy on every response (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
