"""The read-only JSON API, version 1, at /api/v1/ (django-ninja).

- Public data only, the same for everybody: no authentication, and a signed-in
  secretariat editor sees exactly what an anonymous client sees.
- Lists: `page` and `page_size` (at most 100), ordered by primary key so pages stay
  stable; `updated_since` for incremental sync; the public lists' filters.
- Errors, all in one shape: `{"error": {"status", "code", "message", "details"}}`;
  unknown or repeated query parameters and malformed values are a 400.
- Caching: ETag (ConditionalGetMiddleware; a matching If-None-Match gets a 304) and
  `Cache-Control: public, max-age=60`; each answer's body is kept in the cache until
  content changes, as the public pages are (a repeat costs no query, and still counts
  against the rate limit). CORS: any origin may GET; no credentials.
- Rate limit per client address (the cache counts): over it, a 429 with Retry-After.
"""

import datetime
import math
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.throttling import SimpleRateThrottle

from core.cache import cached_value, counted_public_view, filters_key, increment
from core.security import client_address
from events.models import EventKind
from funders.models import Tier
from groups.models import GroupKind, Role
from opendata import records, schemas, selectors
from opendata.site import absolute_url
from publications.models import PublicationKind

CACHE_CONTROL = "public, max-age=60"


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client address, whoever is signed in (the API is the same for all),
    counted in fixed windows of the rate's period (120/min: each clock minute).

    ninja's own throttle keeps a list of every request's time per client, read and
    written back whole on every request (two cache round trips, and a list as long as
    the limit); a window's counter is one atomic increment (core.cache.increment). A
    client may spend a window's allowance at its end and the next one's at its start.
    """

    scope = "api"

    def get_cache_key(self, request):
        # The address throttling and the security log count (trusted proxies only).
        return f"api-throttle:{client_address(request) or 'unknown'}"

    def window(self, request):
        """(the key counting this client's requests in the current window, the window's
        length in seconds)."""
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        return f"{self.get_cache_key(request)}:{window}", self.duration

    def allows(self, count):
        return count <= self.num_requests

    def allow_request(self, request):
        key, duration = self.window(request)
        # Counted already when the page cache looked for a kept answer (core.cache).
        count = getattr(request, "counted", None)
        if count is None:
            count = increment(key, duration)
        return self.allows(count)

    def wait(self):
        """Seconds until the window ends (the Retry-After)."""
        return self.window_end - self.now


THROTTLE = ClientRateThrottle(settings.API_RATE_LIMIT)


class DatesFirstEncoder(NinjaJSONEncoder):
    """ninja's JSON encoder, dates and times first: a page of events has 500 of them,
    and ninja's encoder tries four other types (pydantic models, URLs, addresses,
    enums) before handing each to Django's. The text is Django's, as before."""

    def default(self, o):
        if isinstance(o, datetime.date):  # datetime.datetime too
            return DjangoJSONEncoder.default(self, o)
        return super().default(o)


class Renderer(JSONRenderer):
    encoder_class = DatesFirstEncoder


class PublicAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return self._public(response)

    def create_cached_response(self, request, build):
        """The 200 response of `build()`'s data, rendered here (not validated again by
        ninja: opendata.records gives each record in its schema's shape and order, which
        tests/opendata/test_api.py checks), and kept until content changes by the page
        cache (core.cache.PublicPageCacheMiddleware, `counted_public_view`): a repeated
        request costs one cache round trip, its rate limit's count included. An
        exception in `build()` (Http404) is answered as ninja answers it."""
        # Records are in English whatever the client's language, which picks only the
        # messages' (docs/design.md, "Languages").
        with translation.override(settings.LANGUAGE_CODE):
            content = self.renderer.render(request, build(), response_status=200)
        response = self._public(HttpResponse(content, content_type=self.get_content_type()))
        response.public_page = True
        return response

    def _get_urls(self):
        # Each operation's requests are counted, and answers kept, by the page cache;
        # not the schema's and the docs' pages, which the rate limit does not count.
        patterns = super()._get_urls()
        for pattern in patterns:
            if pattern.name not in ("openapi-json", "openapi-view", "api-root"):
                counted_public_view(pattern.callback, THROTTLE)
        return patterns

    @staticmethod
    def _public(response):
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = CACHE_CONTROL if response.status_code == 200 else "no-store"
        return response


api = PublicAPI(
    title="JLI open data API",
    version="1",
    description=(
        "The public record of the Joint Learning Initiative on Human Resources for Health: "
        "groups, people, memberships, publications, events and funders. Read-only; "
        "version 1 never breaks."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[THROTTLE],
    renderer=Renderer(),
    # The schema and the docs page are read-only too.
    docs_decorator=require_safe,
)

ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}
CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 429: "too_many_requests"}

# Pydantic's own messages are English only: each kind of refusal gets ours, translated
# (the client's Accept-Language picks the language, as on the site). Keyed by pydantic's
# error type; the placeholders come from the error's context.
FIELD_MESSAGES = {
    "int_parsing": _("A whole number is expected."),
    "int_from_float": _("A whole number is expected."),
    "greater_than_equal": _("At least %(ge)s."),
    "less_than_equal": _("At most %(le)s."),
    "string_too_long": _("At most %(max_length)s characters."),
    "string_pattern_mismatch": _("Not in the expected form."),
    "datetime_parsing": _("A date and time is expected, e.g. 2004-05-31T12:00:00Z."),
    "datetime_from_date_parsing": _("A date and time is expected, e.g. 2004-05-31T12:00:00Z."),
    "datetime_type": _("A date and time is expected, e.g. 2004-05-31T12:00:00Z."),
    "datetime_range": _("Out of the range of dates this API can compare."),
    "missing": _("Required."),
}
NOT_VALID = _("Not a valid value.")


def error_response(request, status, message, details=(), headers=None):
    """An answer in the API's one error format (also used by the site's 400 handler)."""
    details = [{"field": detail["field"], "message": str(detail["message"])}
               for detail in details]  # fmt: skip
    body = {"status": status, "code": CODES.get(status, "error"), "message": str(message),
            "details": details}  # fmt: skip
    response = api.create_response(request, {"error": body}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_query_response(request, details):
    """A 400 for query parameters refused, `details` saying which and why."""
    return error_response(request, 400, _("Some query parameters are not valid."), details)


def _field_message(error):
    kind = error.get("type")
    if kind == "value_error":  # our validators' own, named by the ValueError's text
        kind = str(error.get("ctx", {}).get("error", ""))
    message = FIELD_MESSAGES.get(kind, NOT_VALID)
    try:
        return str(message) % error.get("ctx", {})
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return str(NOT_VALID)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    details = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "filters")]
        details.append({"field": ".".join(location) or None, "message": _field_message(error)})
    return bad_query_response(request, details)


@api.exception_handler(Throttled)
def _throttled(request, exc):
    wait = max(1, math.ceil(exc.wait or 1))
    message = ngettext(
        "Too many requests: try again in %(wait)d second.",
        "Too many requests: try again in %(wait)d seconds.",
        wait,
    ) % {"wait": wait}
    return error_response(request, 429, message, headers={"Retry-After": str(wait)})


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # Ninja's own messages are English and name its internals: say what went wrong.
    messages = {405: _("Only GET and HEAD are allowed here.")}
    return error_response(request, exc.status_code, messages.get(exc.status_code, NOT_VALID))


class BadQuery(Exception):
    def __init__(self, details):
        self.details = details


@api.exception_handler(BadQuery)
def _bad_query(request, exc):
    return bad_query_response(request, exc.details)


def _strict(request, schema, choices=None):
    """Refuse what the schema does not name, repeated parameters and unknown choices."""
    details = []
    for name in request.GET:
        if name not in schema.model_fields:
            details.append({"field": name, "message": _("Unknown parameter.")})
        elif len(request.GET.getlist(name)) > 1:
            details.append({"field": name, "message": _("Given more than once.")})
    for name, allowed in (choices or {}).items():
        value = request.GET.get(name)
        if value and value not in allowed:
            message = _("One of: %(choices)s.") % {"choices": ", ".join(allowed)}
            details.append({"field": name, "message": message})
    if details:
        raise BadQuery(details)


def _paginate(request, kind, filters, shape, load=None):
    """A page of the `kind` list (opendata.selectors.API_LISTS) as its schema gives it.

    The page's rows are read by a query compiled once per process (ApiList), `load`
    gives them their links, `shape` (opendata.records) turns them into the schema's
    dicts. Rendered here rather than by ninja: each record's dict is already in its
    schema's shape and order, so validating 100 records again on every request would
    only cost time (tests/opendata/test_api.py compares both outputs). The body is
    kept until content changes (PublicAPI.create_cached_response).

    The count is cached until content changes, as the public lists' are (a count of
    100,000 publications is a scan: tens of milliseconds of the database's time).
    """
    listed = selectors.API_LISTS[kind]
    values = _filters(filters)

    def link(page):
        query = request.GET.copy()
        query["page"] = page
        return absolute_url(f"{request.path}?{query.urlencode()}")

    def build():
        now = timezone.now()
        count = cached_value(
            f"count:{filters_key(f'api:{kind}', values)}",
            lambda: listed.queryset(now, values).count(),
        )
        start = (filters.page - 1) * filters.page_size
        rows = listed.page(now, values, start, start + filters.page_size) if start < count else []
        if load is not None and rows:
            load(rows, now)
        last = math.ceil(count / filters.page_size)
        return {
            "count": count,
            "page": filters.page,
            "page_size": filters.page_size,
            "next": link(filters.page + 1) if filters.page < last else None,
            "previous": link(filters.page - 1) if 1 < filters.page <= last + 1 else None,
            "results": shape(rows),
        }

    return api.create_cached_response(request, build)


def _filters(filters):
    """What a list's selector takes: every query parameter but the paging."""
    return {name: getattr(filters, name) for name in type(filters).model_fields
            if name not in ("page", "page_size")}  # fmt: skip


def _detail(request, kind, slug, shape, load=None):
    """One record by slug (selectors.api_record), loaded, shaped, rendered and kept as
    _paginate() does a page: no query parameters, a slug no longer than any stored,
    404 when no public record has it."""
    _strict(request, schemas.Schema)
    if len(slug) > schemas.SLUG["max_length"]:
        raise BadQuery([{"field": "slug", "message": _("Too long.")}])
    if not re.fullmatch(schemas.SLUG["pattern"], slug):
        raise Http404  # like a <slug:> URL: not a slug, so not a page

    def build():
        now = timezone.now()
        found = selectors.api_record(kind, slug, now)
        if not found:
            raise Http404
        if load is not None:
            load(found, now)
        return shape(found)[0]

    return api.create_cached_response(request, build)


# --- Groups -----------------------------------------------------------------------------


@api.get("/groups/", response={200: schemas.GroupPage, **ERRORS}, tags=["groups"])
def group_list(request, filters: Query[schemas.GroupFilters]):
    """Published groups (working groups, the secretariat, ...)."""
    _strict(request, schemas.GroupFilters, {"kind": GroupKind.values})
    return _paginate(request, "groups", filters, records.groups_data)


@api.get("/groups/{slug}/", response={200: schemas.GroupOut, **ERRORS}, tags=["groups"])
def group_detail(request, slug: str):
    return _detail(request, "groups", slug, records.groups_data)


# --- People and memberships -------------------------------------------------------------


@api.get("/people/", response={200: schemas.PersonPage, **ERRORS}, tags=["people"])
def person_list(request, filters: Query[schemas.PersonFilters]):
    """People whose profile is public, with their public fields only."""
    _strict(request, schemas.PersonFilters, {"role": Role.values})
    return _paginate(request, "people", filters, records.people_data)


@api.get("/people/{slug}/", response={200: schemas.PersonOut, **ERRORS}, tags=["people"])
def person_detail(request, slug: str):
    return _detail(request, "people", slug, records.people_data)


@api.get("/memberships/", response={200: schemas.MembershipPage, **ERRORS}, tags=["people"])
def membership_list(request, filters: Query[schemas.MembershipFilters]):
    """Who served in which group, in which role, when (public people, published groups)."""
    _strict(request, schemas.MembershipFilters, {"role": Role.values})
    return _paginate(request, "memberships", filters, records.memberships_data)


# --- Publications -----------------------------------------------------------------------


@api.get("/publications/", response={200: schemas.PublicationPage, **ERRORS},
         tags=["publications"])  # fmt: skip
def publication_list(request, filters: Query[schemas.PublicationFilters]):
    """Published publications, with their authors in order, groups, topics and files."""
    _strict(request, schemas.PublicationFilters, {"kind": PublicationKind.values})
    return _paginate(request, "publications", filters, records.publications_data,
                     selectors.load_publications)  # fmt: skip


@api.get("/publications/{slug}/", response={200: schemas.PublicationOut, **ERRORS},
         tags=["publications"])  # fmt: skip
def publication_detail(request, slug: str):
    return _detail(
        request, "publications", slug, records.publications_data, selectors.load_publications
    )


# --- Events and funders -----------------------------------------------------------------


@api.get("/events/", response={200: schemas.EventPage, **ERRORS}, tags=["events"])
def event_list(request, filters: Query[schemas.EventFilters]):
    """Published consultations, workshops, meetings and other events."""
    _strict(request, schemas.EventFilters, {"kind": EventKind.values})
    return _paginate(request, "events", filters, records.events_data, selectors.load_events)


@api.get("/events/{slug}/", response={200: schemas.EventOut, **ERRORS}, tags=["events"])
def event_detail(request, slug: str):
    return _detail(request, "events", slug, records.events_data, selectors.load_events)


@api.get("/funders/", response={200: schemas.FunderPage, **ERRORS}, tags=["funders"])
def funder_list(request, filters: Query[schemas.FunderFilters]):
    """Funders shown publicly, and the publications and events they supported."""
    _strict(request, schemas.FunderFilters, {"tier": Tier.values})
    return _paginate(request, "funders", filters, records.funders_data, selectors.load_funders)


@api.get("/funders/{slug}/", response={200: schemas.FunderOut, **ERRORS}, tags=["funders"])
def funder_detail(request, slug: str):
    return _detail(request, "funders", slug, records.funders_data, selectors.load_funders)
