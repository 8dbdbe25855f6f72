"""The security log and the response headers Django does not set by itself.

The log is standard `logging` on the "jli.security" logger (the site's channel, whichever
app writes to it): one line per event with the UTC time, the user and the client address.
Never a password, token or session id.
"""

import contextvars
import functools
import ipaddress
import logging
import mimetypes

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.core import checks
from django.core.exceptions import BadRequest
from django.dispatch import receiver
from django.shortcuts import render
from django.views import static

logger = logging.getLogger("jli.security")

# The request being answered, so that code without it (upload validators) can still log
# the user and the client address. Set by SecurityHeadersMiddleware.
_current_request = contextvars.ContextVar("current_request", default=None)


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy.strip()) for proxy in proxies if proxy.strip())


def trusted_proxy_networks():
    """TRUSTED_PROXIES as networks (a plain address is a network of one)."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _is_ip(address):
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _is_trusted_proxy(address):
    if not _is_ip(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in trusted_proxy_networks())


def client_address(request):
    """The client's address, the one throttling and the security log count (None when
    unknown: no request, or no address a database would take, as in `force_login`).

    REMOTE_ADDR, unless that is one of TRUSTED_PROXIES: then X-Forwarded-For is read from
    its end (the hop the proxy itself added), past any further trusted proxies, to the
    first address no trusted proxy vouches for. Anything a client wrote further left is
    never believed; without a trusted proxy in front, X-Forwarded-For is ignored.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    if not _is_ip(address):
        return None
    if not _is_trusted_proxy(address):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if not _is_ip(hop):
            break  # not written by a proxy we trust: stop at the last address we can
        address = hop
        if not _is_trusted_proxy(hop):
            break
    return address


def client_ip(request):
    """The client's address for the security log ("-" when unknown)."""
    return client_address(request) or "-"


def axes_client_ip(request):
    """django-axes' client address (AXES_CLIENT_IP_CALLABLE): the same as the log's."""
    return client_address(request)


@checks.register(checks.Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    try:
        trusted_proxy_networks()
    except ValueError as error:
        return [
            checks.Error(
                f"TRUSTED_PROXIES holds something that is not an address or network: {error}",
                id="core.E003",
            )
        ]
    return []


# Headers only a reverse proxy may set; from anyone else they are dropped.
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


class TrustedProxyMiddleware:
    """Drops the X-Forwarded-* headers of a request that did not come from TRUSTED_PROXIES.

    First in MIDDLEWARE, so that SECURE_PROXY_SSL_HEADER (X-Forwarded-Proto), and anything
    else that reads these headers, only ever sees what a trusted proxy wrote: a client
    talking to the app directly cannot pass a plain-http request off as https.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


def _who(request, user=None):
    user = user or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user={user.pk}"
    return "user=-"


def safe_path(request):
    """The request's path with any secret URL part (invitation or reset token) masked."""
    match = getattr(request, "resolver_match", None)
    if match is not None and ("token" in match.kwargs or "uidb64" in match.kwargs):
        return f"<{match.view_name}>"
    return request.path


def log_event(event, request=None, *, user=None, **details):
    """Write one security event. `details` must never carry secrets."""
    if request is None:
        request = _current_request.get()
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


@receiver(user_locked_out, dispatch_uid="security_log_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("lockout", request, username=username)


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy on every response (Django has no setting for it).

    Also remembers the request being answered for the security log (log_event).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestBodyLimitMiddleware:
    """Answer 413 to a request announcing a body larger than any the site accepts, before
    a byte of it is read (Django would read, and spool to disk, the whole upload first).

    The limit (MAX_REQUEST_BODY_MB) is the largest PDF plus an image and the form around
    them; the proxy in front refuses the same sizes (`client_max_body_size`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("Content-Length is not a number") from None
        if length > settings.MAX_REQUEST_BODY_MB * 1024 * 1024:
            log_event("request_too_large", request, length=length)
            response = render(
                request,
                "413.html",
                {"limit": settings.MAX_REQUEST_BODY_MB},
                status=413,
            )
            # The body is left unread: the connection cannot be reused.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class RefuseNullInQueryMiddleware:
    """Answer 400 Bad Request to a query string carrying a NUL character.

    No page of the site takes one, and a NUL that reaches the database is refused there
    (PostgreSQL cannot store it in text): a filter, an admin list or an autocomplete
    given `?x=%00` would otherwise fail with a 500. Refused once here, for every view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = [
            key
            for key, values in request.GET.lists()
            if "\x00" in key or any("\x00" in value for value in values)
        ]
        if refused or "%00" in request.META.get("QUERY_STRING", ""):
            # The parameters named, for an error page that says which (the API's does).
            request.refused_parameters = refused
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)


# --- Uploaded files, served so that none can run script in the site's origin ----------

# Served by name by a browser: anything else is downloaded as an attachment.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
# No script, no plugin, no form, no framing; `sandbox` gives the document a unique origin.
MEDIA_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
)


def media_headers(response, path):
    """The headers every uploaded file is served with (the proxy sets the same ones)."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CONTENT_SECURITY_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    content_type, _encoding = mimetypes.guess_type(path)
    if content_type not in INLINE_MEDIA_TYPES:
        response["Content-Disposition"] = "attachment"
    return response


def serve_media(request, path, document_root=None, show_indexes=False):
    """`django.views.static.serve` (DEBUG only) with the headers of uploaded files."""
    response = static.serve(request, path, document_root=document_root)
    return media_headers(response, path)
