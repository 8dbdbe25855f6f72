from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from core.cache import public_page
from core.roles import may_preview
from core.security import log_event, safe_path
from core.site import absolute_url
from events.selectors import home_events
from funders.selectors import home_acknowledgement
from groups.selectors import home_groups
from jli import selectors
from jli.models import StoryPage
from opendata.api import bad_query_response as bad_api_query
from publications.selectors import featured_publications

# Addresses under it are the JSON API's: its errors are JSON too.
API_PREFIX = "/api/"
# How long browsers and proxies may keep /favicon.ico (its address never changes).
FAVICON_MAX_AGE = 24 * 60 * 60

# The language switcher is in every page's footer. Without a CSRF token there, pages
# are byte-identical for every anonymous reader, so they can be cached and answer 304.
# Forging it could only change someone's display language, which is harmless.
set_language = csrf_exempt(django_set_language)


@require_safe
@public_page
def home(request):
    events, events_upcoming = home_events()
    return render(
        request,
        "jli/home.html",
        {
            "intro": selectors.home_intro(),
            "story_pages": selectors.story_pages(),
            "working_groups": home_groups(),
            "featured_publications": featured_publications(limit=1),
            "events": events,
            "events_upcoming": events_upcoming,
            "funding_partners": home_acknowledgement(),
        },
    )


@require_safe
@public_page
def story_page(request, slug):
    page = selectors.story_page(slug=slug, preview=may_preview(request.user, StoryPage))
    return render(
        request,
        "jli/storypage_detail.html",
        {"page": page, "story_pages": selectors.story_pages()},
    )


@require_safe
@cache_control(public=True, max_age=FAVICON_MAX_AGE)
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page's <link> says.

    Served from the static files (static/img/favicon.ico, drawn by `draw_identity`) at the
    root, where it is asked for; a day's cache, since its name carries no hash.
    """
    path = finders.find("img/favicon.ico")
    if path is None:  # pragma: no cover (the file ships with the code)
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")


@require_safe
def healthz(request):
    """Liveness: the process answers. Touches neither database nor cache."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request):
    """Readiness: the database and the cache answer. 503 (quickly) when either does not."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = all(checks.values())
    body = "\n".join(f"{name}: {'ok' if ok else 'unavailable'}" for name, ok in checks.items())
    return HttpResponse(body + "\n", content_type="text/plain", status=200 if ready else 503)


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache_ok():
    try:
        cache.set("readyz", "ok", timeout=10)
        return cache.get("readyz") == "ok"
    except Exception:  # any cache backend error means "not ready"
        return False


@require_safe
@public_page
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        # The sign-in page is a way in for members (the longest rule wins): crawled, and
        # indexed without its `next` (its canonical link); the rest of /accounts/ is not.
        "Allow: /accounts/login/",
        "Allow: /fr/accounts/login/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /profile/",
        "Disallow: /fr/accounts/",
        "Disallow: /fr/profile/",
        f"Sitemap: {absolute_url(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# --- Error pages, in the site's look; never a traceback or a setting. ------------


@requires_csrf_token
def bad_request(request, exception=None):
    if request.path.startswith(API_PREFIX):
        # Machines get the API's own error format, whichever layer refused the request.
        details = [{"field": name, "message": _("Contains a NUL character.")} for name in
                   getattr(request, "refused_parameters", ())]  # fmt: skip
        return bad_api_query(request, details)
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    log_event("permission_denied", request, path=safe_path(request))
    return render(request, "403.html", status=403)


@requires_csrf_token
def server_error(request):
    # No context processors beyond the minimum: the error may come from any of them.
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    log_event("csrf_failure", request, path=safe_path(request))
    return render(request, "403_csrf.html", status=403)
