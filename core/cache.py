"""Whole-page cache for anonymous readers, invalidated by any change of content.

Public pages opt in with `@public_page`. A cached page is keyed by the language, the
full path and whether the reader accepts gzip (PublicPageCacheMiddleware keeps the
finished response): never by a request header's value (Host, X-Forwarded-*), and no
page writes one into its body (absolute URLs come from SITE_URL, core/site.py), so no
client can put its own host into a copy others are served. Any save or delete of a
content model (and any change of its many-to-many links) bumps the content version, so
every page that shows the record is fresh at once. Scheduled go-live and expiry times
change what is visible without a save: a cached page never outlives the next such time.

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
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started, setting_changed
from django.db import transaction
from django.db.models import Min, Q
from django.middleware.gzip import re_accepts_gzip
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, get_resolver
from django.utils import timezone, translation
from django.utils.translation import get_language

from core.i18n import CHOSEN_LANGUAGE_PATHS

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

    # Read by `public_path` (which addresses PublicPageCacheMiddleware looks up);
    # decorators applied on top (functools.wraps) carry it along.
    wrapped.public_page = True
    return wrapped


def _read_current(key, now, counter=None):
    """(the value stored under `key` as `(version, value)` if it was made under the
    current content version, else None; the content state), in one cache round trip:
    the content state is read with the value (see the module's docstring), unless this
    request has read it already.

    With `counter` (a counter's key and its window in seconds: a rate limit's), the
    counter is incremented in the same round trip, and its new value is returned third.
    """
    state = getattr(_request, "state", None)
    keys = [key] if state is not None else [VERSION_KEY, NEXT_CHANGE_KEY, key]
    count = None
    if counter is None:
        values = cache.get_many(keys) if state is None else {key: cache.get(key)}
    else:
        count, values = increment_and_get_many(*counter, keys)
    if state is None:
        state = _state_from(values, now)
    stored = values.get(key)
    # The version is compared after _state_from: a passed scheduled change has bumped it.
    if stored is None or stored[0] != state[0]:
        return None, state, count
    return stored[1], state, count


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


def increment_and_get_many(key, timeout, keys):
    """(`increment(key, timeout)`, `cache.get_many(keys)`): one round trip with Redis
    (core.cache_backends.RedisCache.increment_and_get_many), more with other caches."""
    both = getattr(cache, "increment_and_get_many", None)
    if both is not None:
        return both(key, timeout, keys)
    return increment(key, timeout), cache.get_many(keys)


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
    """Serve anonymous GETs of public views from the cache, near the top of the
    middleware stack.

    What is kept is the finished response, as the middleware below this one left it
    (compressed or not, with its security headers, Vary and ETag), so a hit skips them
    all: the session, the language, CSRF, authentication, the security headers' policies
    and the view. Only what comes before this middleware in MIDDLEWARE runs on a hit
    (proxy headers, the HTTPS redirect, the body limit). The key therefore names
    everything the finished response depends on besides the content version: the
    language, the encoding the reader accepts (gzip or not) and the full path.

    Which views: `@public_page` ones (every response they give is the same for every
    anonymous reader), and `counted_public_view` ones, whose requests are each counted
    against a rate limit (the API) and whose kept responses are those they mark
    `public_page`. A response may name a function (`response.on_hit`, importable: it is
    kept with the copy) that each hit passes the copy through before it is sent: the
    OAI-PMH answers' time of response; such a response is sent uncompressed
    (core.compression), its body being rewritten. Only requests whose address
    resolves to one of those views consult the cache (`public_path`): the health
    checks, static files and the admin cost no cache look-up here.

    Who gets kept answers: readers without a session cookie (a signed-in reader has
    one) and without messages waiting. A reader with a session cookie is answered by
    the whole stack, and never leaves a copy. A hit is one cache round trip
    (`_read_current`), the rate limit's count included; the Host header is checked
    first, as the stack would (ALLOWED_HOSTS), and a conditional GET is answered 304
    from the kept ETag, as ConditionalGetMiddleware would.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Django's own conditional GET (If-None-Match, If-Modified-Since), for hits.
        self.conditional = ConditionalGetMiddleware(get_response)

    def __call__(self, request):
        public = self._public(request)
        if public is None:
            return self.get_response(request)
        key, counter = public
        now = timezone.now()
        window = None if counter is None else counter.window(request)
        cached, (version, next_change), count = _read_current(key, now, window)
        if counter is not None:
            # Counted once: the view's own rate limit reads the count (`counted`).
            request.counted = count
            if not counter.allows(count):
                cached = None  # the view answers that the limit is reached
        if cached is not None:
            request.get_host()  # DisallowedHost (400) for a host not in ALLOWED_HOSTS
            on_hit = getattr(cached, "on_hit", None)
            if on_hit is not None:  # made fresh where it must be (the class's docstring)
                cached = on_hit(cached)
            return self.conditional.process_response(request, cached)
        response = self.get_response(request)
        if self._cacheable(request, response, key):
            timeout = _timeout(settings.PAGE_CACHE_SECONDS, now, next_change)
            response["X-Page-Cache"] = "hit"  # as the kept copy will be served
            cache.set(key, (version, response), timeout=timeout)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _public(request):
        """(the cache key of the request's answer, the counter of the view's rate limit
        or None), or None when the answer is not to be looked up nor kept."""
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES
        ):
            return None
        view = public_path(request.path_info)
        if view is None:
            return None
        language, counter = view
        if language is None:  # the reader's choice (the API's messages)
            language = translation.get_language_from_request(request, check_path=False)
        accepts = request.META.get("HTTP_ACCEPT_ENCODING", "")
        encoding = "gzip" if re_accepts_gzip.search(accepts) else "identity"
        return f"page-cache:page:{language}:{encoding}:{request.get_full_path()}", counter

    @staticmethod
    def _cacheable(request, response, key):
        user = getattr(request, "user", None)
        return (
            request.method == "GET"
            and getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and user is not None
            and not user.is_authenticated
            # The language the answer was made in is the key's.
            and key.startswith(f"page-cache:page:{getattr(request, 'LANGUAGE_CODE', '')}:")
            # A nonce is for one response only (public pages never ask for one).
            and "'nonce-" not in response.get("Content-Security-Policy", "")
        )


def counted_public_view(view, counter):
    """Mark `view` as answering every anonymous reader alike, each request counted
    against `counter`'s limit before it is answered (the API's rate limit), so that
    PublicPageCacheMiddleware counts it and looks for its kept answer in one round trip.
    Only the responses the view marks `public_page = True` are kept.

    `counter.window(request)` gives (the key counting the reader's requests, its
    window in seconds); `counter.allows(count)` says whether a count is within the
    limit. The middleware sets `request.counted` to the count; the view's own check
    must use it rather than count the request again."""
    view.counted_by = counter
    return view


def public_path(path):
    """What the view at `path` is, for the page cache: None when it is not a public
    one; else (its language, None when the reader chooses it rather than the address;
    the counter its requests are counted by, or None). Resolved once per path and
    process (`_public_paths`): resolving costs about as much as the rest of a hit."""
    try:
        return _public_paths[path]
    except KeyError:
        pass
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):  # resolves /fr/... only in French
        try:
            func = get_resolver().resolve(path).func
        except Resolver404:
            func = None
    if getattr(func, "public_page", False):
        view = (language, None)
    elif getattr(func, "counted_by", None) is not None:
        chosen = path.startswith(CHOSEN_LANGUAGE_PATHS)
        view = (None if chosen else language, func.counted_by)
    else:
        view = None
    if len(path) <= _PUBLIC_PATH_LENGTH:
        if len(_public_paths) >= _PUBLIC_PATHS:
            _public_paths.clear()
        _public_paths[path] = view
    return view


# public_path's answers in this process: {path: what it is}, at most this many (emptied
# when full), for paths at most this long (a client sending long random paths cannot
# make a worker hold more than a few hundred kilobytes of them); forgotten when the
# URLs change (tests override them).
_public_paths = {}
_PUBLIC_PATHS = 4096
_PUBLIC_PATH_LENGTH = 200


def _forget_public_paths(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _public_paths.clear()


setting_changed.connect(_forget_public_paths, dispatch_uid="page-cache-public-paths")
