"""Whole-page cache for anonymous readers, invalidated by any change of content.

Public pages opt in with `@public_page`. A cached page is keyed by the language and
the full path: never by a request header (Host, X-Forwarded-*), and no page writes one
into its body (absolute URLs come from SITE_URL, core/site.py), so no client can put its
own host into a copy others are served. Any save or delete of a content model (and any
change of its many-to-many links) bumps the content version, so every page that shows
the record is fresh at once. Scheduled go-live and expiry times change what is visible
without a save: a cached page never outlives the next such time.

Edits are rare and reads many, so one global version is both simple and cheap.

The version a page was made under is stored beside it, in the value, not in its key,
and the page is served only if that is still the current version. So a hit is one
cache round trip: the version, the next scheduled change and the page in one
`get_many` (one MGET with Redis). A key holding the version would need the version read
first, then the page: two blocking round trips, each costing a loaded worker about as
much as the rest of the hit. A page made under an older version is a miss, and the
fresh copy replaces it under the same key.
"""

import functools
import hashlib
import pickle  # nosec B403
import threading
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language

VERSION_KEY = "page-cache:version"
NEXT_CHANGE_KEY = "page-cache:next-scheduled-change"
_NO_CHANGE = "none"
# The content version and the next scheduled change as this request read them
# (`content_state`, `_read_current`): one cache round trip per request, not two per
# cached value.
# Per thread: a sync worker serves one request at a time on its thread.
_request = threading.local()


def public_page(view):
    """Mark a view's responses as the same for every anonymous reader (cacheable)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        # (A TemplateResponse, not rendered yet, gets one body when it is rendered.)
        if not response.streaming and getattr(response, "is_rendered", True):
            # One body, not the many pieces a writer (the syndication feeds) leaves: the
            # server then sends it in one go, and a cached copy unpickles as one string.
            # (In pieces, a WSGI server writes each; with Nagle's algorithm and delayed
            # ACKs each write can wait ~40 ms: the feed ran ten times slower than a page.)
            response.content = response.content
        return response

    # Read by PublicPageCacheMiddleware.process_view; decorators applied on top
    # (functools.wraps) carry it along.
    wrapped.public_page = True
    return wrapped


def cached_body(request, render):
    """`render()` (a response's body, bytes), kept in the cache as the whole-page cache
    keeps pages: under the language and the full path, with the content version it was
    made under, for the same time (PAGE_CACHE_SECONDS; 0 turns it off), never past the
    next scheduled change; a kept body is found in one round trip (`_read_current`).

    For a public view that must run on every request even when its answer is known (the
    API counts every request against its rate limit before answering), so it cannot be
    served by PublicPageCacheMiddleware before it runs. Whoever asks gets the same
    answer (the API has no signed-in variant). An exception in `render()` (a 404) is
    raised, and nothing is kept.
    """
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return render()
    now = timezone.now()
    key = f"page-cache:body:{get_language()}:{request.get_full_path()}"
    body, (version, next_change) = _read_current(key, now)
    if body is None:
        body = render()
        cache.set(key, (version, body), timeout=_timeout(seconds, now, next_change))
    return body


def _read_current(key, now):
    """(the value stored under `key` as `(version, value)` if it was made under the
    current content version, else None; the content state), in one cache round trip:
    the content state is read with the value (see the module's docstring), unless this
    request has read it already."""
    state = getattr(_request, "state", None)
    if state is None:
        values = cache.get_many([VERSION_KEY, NEXT_CHANGE_KEY, key])
        state, stored = _state_from(values, now), values.get(key)
    else:
        stored = cache.get(key)
    # The version is compared after _state_from: a passed scheduled change has bumped it.
    if stored is None or stored[0] != state[0]:
        return None, state
    return stored[1], state


def _versioned(prefix, key, seconds):
    """(`key` under the content version and the active language, how long a value under
    it may be kept: `seconds`, never past the next scheduled change)."""
    now = timezone.now()
    version, next_change = content_state(now)
    return f"{prefix}:{version}:{get_language()}:{key}", _timeout(seconds, now, next_change)


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    cache.delete(NEXT_CHANGE_KEY)
    _request.state = None  # the request's later reads see the new version


def _content_changed(sender, **kwargs):
    # Now, so this transaction's own reads see fresh pages; and again after commit, so
    # a page rendered from the old data meanwhile cannot outlive the commit.
    bump_content_version()
    transaction.on_commit(bump_content_version)


def connect_invalidation():
    """Bump the version on every change of every public content model (the apps that
    declare `public_content = True` on their AppConfig); read it once per request."""
    from core.apps import connect_to_content_changes

    connect_to_content_changes(_content_changed, uid="page-cache")
    request_started.connect(remember_content_state, dispatch_uid="content-state-start")
    request_finished.connect(forget_content_state, dispatch_uid="content-state-end")


def scheduled_models():
    """The models whose visibility can change on schedule, without a save."""
    from core.models import Publishable

    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def next_scheduled_change(now):
    """The next go-live or expiry time after `now` (None when nothing is scheduled)."""
    value = cache.get(NEXT_CHANGE_KEY)
    if value is None:
        times = []
        for model in scheduled_models():
            times += model.objects.aggregate(
                go_live=Min("publish_at", filter=Q(publish_at__gt=now)),
                expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
            ).values()
        upcoming = [moment for moment in times if moment is not None]
        value = min(upcoming) if upcoming else _NO_CHANGE
        cache.set(NEXT_CHANGE_KEY, value, timeout=None)
    return None if value == _NO_CHANGE else value


def content_state(now):
    """(content version, next scheduled go-live or expiry after `now`), read from the
    cache in one round trip. When the recorded next change has passed (what is visible
    changed without a save), the version is bumped first.

    Within a request (`remember_content_state` to `forget_content_state`, connected to
    Django's request signals) it is read once and kept: a list page asks for several
    cached values, each keyed by the version. A change saved during the request
    (`bump_content_version`) forgets it, so the request's later reads see the new
    version. Outside a request (tasks, the shell) every call reads the cache.
    """
    state = getattr(_request, "state", None)
    if state is not None:
        return state
    return _state_from(cache.get_many([VERSION_KEY, NEXT_CHANGE_KEY]), now)


def _state_from(values, now):
    """`content_state` from the values read of VERSION_KEY and NEXT_CHANGE_KEY (those
    present, as `cache.get_many` gives them), kept for the request. A missing version
    or next change, or one that has passed, costs more round trips (rare)."""
    version, next_change = values.get(VERSION_KEY), values.get(NEXT_CHANGE_KEY)
    if next_change is None:
        next_change = next_scheduled_change(now)
    elif next_change == _NO_CHANGE:
        next_change = None
    if next_change is not None and next_change <= now:
        bump_content_version()
        version, next_change = None, next_scheduled_change(now)
    state = (version or content_version(), next_change)
    if getattr(_request, "within", False):
        _request.state = state
    return state


def remember_content_state(**kwargs):
    """From now until `forget_content_state`, `content_state` is read once (a request)."""
    _request.within = True
    _request.state = None


def forget_content_state(**kwargs):
    """The request has ended: `content_state` reads the cache on every call again."""
    _request.within = False
    _request.state = None


def _timeout(seconds, now, next_change):
    """`seconds`, or less: never past the next scheduled change."""
    if next_change is None:
        return seconds
    return max(1, min(seconds, int((next_change - now).total_seconds())))


def cached_value(key, compute):
    """`compute()`, kept in the cache under `key` until content changes.

    For what public lists derive from the whole table: their paginators' row counts and
    the choices of their filter menus (the countries, the years). On a large table those
    are the queries whose cost grows with the data; their result is the same until a
    save, a delete or a scheduled go-live or expiry, which is exactly when the content
    version (the page cache's) changes, so it is keyed by that version. `key` must name
    everything the value depends on (the list and its cleaned filters).
    COUNT_CACHE_SECONDS = 0 turns it off (the test suite counts queries with it off).

    Each process also keeps the values it has read (`_process_values`, for the same
    time at most, under the same version): a page asks for several, and a cache round
    trip costs more than the rest of a small page's work. It keeps them pickled, so a
    caller that changes the value it got changes only its own copy.
    """
    seconds = settings.COUNT_CACHE_SECONDS
    if not seconds:
        return compute()
    # By language too: values may hold names in the reader's language (countries).
    full_key, timeout = _versioned("list-cache", key, seconds)
    clock = time.monotonic()
    kept = _process_values.get(full_key)
    if kept is not None and kept[0] > clock:
        # Pickled below, by this process: never data from outside.
        return pickle.loads(kept[1])  # noqa: S301  # nosec B301
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=timeout)
    if len(_process_values) >= _PROCESS_VALUES:
        _process_values.clear()
    _process_values[full_key] = (clock + timeout, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value


# cached_value's copies in this process: {full key: (monotonic expiry, pickled value)},
# at most this many (emptied when full: an edit changes every key anyway).
_process_values = {}
_PROCESS_VALUES = 512


def increment(key, timeout):
    """Add one to the counter `key` and return its new value; a missing counter starts
    from 0 and lives `timeout` seconds from then (a rate limit's window). One round trip
    with Redis (core.cache_backends.RedisCache.increment); two with other caches."""
    counter = getattr(cache, "increment", None)
    if counter is not None:
        return counter(key, timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.add(key, 1, timeout)
        return 1


def cached_count(queryset, *, key):
    """`queryset.count()`, cached until content changes (see `cached_value`)."""
    return cached_value(f"count:{key}", queryset.count)


class CachedCountPaginator(Paginator):
    """A Paginator whose count comes from `cached_count` under `count_key`."""

    def __init__(self, object_list, per_page, *, count_key, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @functools.cached_property
    def count(self):
        return cached_count(self.object_list, key=self.count_key)


def filters_key(name, filters):
    """A cache key part for a list and its cleaned filters (model instances by pk)."""
    parts = [name]
    for field, value in sorted(filters.items()):
        value = getattr(value, "pk", value)
        parts.append(f"{field}={value}")
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of `@public_page` views from the cache.

    Only requests that resolve to a public page consult the cache (`process_view`, once
    the view is known): the health checks, the admin and every other page cost no cache
    or database look-up here. A hit is one cache round trip (`_read_current`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pending = getattr(request, "_page_cache_pending", None)
        if pending is not None and self._cacheable(response):
            key, version, timeout = pending
            response["X-Page-Cache"] = "miss"
            # The ETag ConditionalGetMiddleware would work out from the body on every
            # hit (an MD5 of the whole page), worked out once and kept with the copy.
            if not response.has_header("ETag") and "no-store" not in response.get(
                "Cache-Control", ""
            ):
                set_response_etag(response)
            cache.set(key, (version, response), timeout=timeout)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            not seconds
            or not getattr(view_func, "public_page", False)
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
        ):
            return None
        now = timezone.now()
        key = f"page-cache:page:{request.LANGUAGE_CODE}:{request.get_full_path()}"
        cached, (version, next_change) = _read_current(key, now)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        request._page_cache_pending = (key, version, _timeout(seconds, now, next_change))
        return None

    @staticmethod
    def _cacheable(response):
        return (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        )
