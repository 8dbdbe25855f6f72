"""The content version read once per request, and the Redis backend's shared client."""

import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from core import cache as page_cache
from core.cache_backends import RedisCache
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def within_request():
    page_cache.remember_content_state()
    yield
    page_cache.forget_content_state()


def test_outside_a_request_every_read_sees_the_current_version():
    first, _ = page_cache.content_state(timezone.now())
    cache.set(page_cache.VERSION_KEY, "changed-by-another-process")

    assert first != "changed-by-another-process"
    assert page_cache.content_state(timezone.now())[0] == "changed-by-another-process"


def test_within_a_request_the_version_is_read_once(within_request, django_assert_num_queries):
    first, _ = page_cache.content_state(timezone.now())
    # Another process's change shows from the next request, not in the middle of this one.
    cache.set(page_cache.VERSION_KEY, "changed-by-another-process")

    with django_assert_num_queries(0):
        assert page_cache.content_state(timezone.now())[0] == first


def test_a_change_saved_during_the_request_is_seen_by_its_later_reads(within_request):
    first, _ = page_cache.content_state(timezone.now())

    GroupFactory(name="Working group on supply")

    assert page_cache.content_state(timezone.now())[0] != first


def test_the_next_request_reads_the_version_again(within_request):
    first, _ = page_cache.content_state(timezone.now())
    cache.set(page_cache.VERSION_KEY, "changed-by-another-process")
    page_cache.forget_content_state()
    page_cache.remember_content_state()

    assert page_cache.content_state(timezone.now())[0] == "changed-by-another-process"
    assert first != "changed-by-another-process"


@override_settings(COUNT_CACHE_SECONDS=300)
def test_a_list_page_reads_the_content_state_once(client, monkeypatch):
    """The people list asks for several cached values (count, menus): one state read."""
    reads = []
    real = page_cache.cache.get_many

    def counting(keys, *args, **kwargs):
        reads.append(keys)
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "get_many", counting)
    assert client.get("/people/").status_code == 200
    assert reads == [[page_cache.VERSION_KEY, page_cache.NEXT_CHANGE_KEY]]


@override_settings(PAGE_CACHE_SECONDS=300, COUNT_CACHE_SECONDS=300)
def test_a_cached_page_and_its_lists_values_read_the_content_state_once(client, cache_reads):
    """With the page cache on, the state is read with the page; the list's cached
    values (its count, its menus) then read no state of their own."""
    client.get("/groups/")  # the state is in the cache
    cache_reads.clear()

    assert client.get("/people/")["X-Page-Cache"] == "miss"
    state_and_page = [
        page_cache.VERSION_KEY,
        page_cache.NEXT_CHANGE_KEY,
        "page-cache:page:en:identity:/people/",
    ]
    assert cache_reads[0] == state_and_page
    assert cache_reads[1:]  # the list's values, cold
    assert all(key.startswith("list-cache:") for key in cache_reads[1:])


def test_the_redis_backend_builds_one_client_for_every_call():
    backend = RedisCache("redis://127.0.0.1:1/0", {})
    client = backend._cache.get_client("a")

    assert backend._cache.get_client("b", write=True) is client
    assert client.connection_pool is backend._cache._get_connection_pool(True)


@pytest.fixture
def redis_backend():
    """The Redis cache backend (TESTING.md: Redis runs on 127.0.0.1:6379), its client,
    and the pipelines the client opens: one per round trip of a pipelined call."""
    backend = RedisCache("redis://127.0.0.1:6379/12", {})
    client = backend._cache.get_client(None)
    pipelines = []
    real = client.pipeline

    def pipeline(**kwargs):
        pipelines.append(kwargs)
        return real(**kwargs)

    client.pipeline = pipeline
    return backend, client, pipelines


def test_the_redis_backend_counts_in_one_round_trip_with_an_expiry(redis_backend):
    """core.cache.increment with Redis: a counter starts at 1, lives its window, and
    reads back as the integer it is."""
    backend, client, pipelines = redis_backend
    key = f"test-counter-{uuid.uuid4().hex}"
    try:
        assert [backend.increment(key, 60) for _ in range(3)] == [1, 2, 3]
        assert len(pipelines) == 3  # one pipelined round trip each
        assert backend.get(key) == 3
        assert 0 < client.ttl(backend.make_and_validate_key(key)) <= 60
    finally:
        backend.delete(key)


def test_the_redis_backend_counts_and_reads_in_one_round_trip(redis_backend):
    """The API counts a request against its rate limit as the page cache reads the
    kept answer: one pipelined round trip, which reads back what was stored."""
    backend, client, pipelines = redis_backend
    counter, kept = (f"test-{name}-{uuid.uuid4().hex}" for name in ("counter", "kept"))
    try:
        backend.set(kept, ("version", {"answer": 42}))
        first = backend.increment_and_get_many(counter, 60, [kept, "test-missing"])
        second = backend.increment_and_get_many(counter, 60, [kept])

        assert first == (1, {kept: ("version", {"answer": 42})})
        assert second[0] == 2
        assert len(pipelines) == 2  # one round trip each
        assert 0 < client.ttl(backend.make_and_validate_key(counter)) <= 60
    finally:
        backend.delete_many([counter, kept])


def test_increment_counts_with_any_cache():
    key = f"test-counter-{uuid.uuid4().hex}"
    assert [page_cache.increment(key, 60) for _ in range(2)] == [1, 2]


@override_settings(COUNT_CACHE_SECONDS=300)
def test_a_value_read_once_is_kept_by_the_process_until_content_changes(monkeypatch):
    computed = []

    def compute():
        computed.append(1)
        return ["Kenya", "Ghana"]

    first = page_cache.cached_value("countries", compute)
    # Neither the shared cache nor the computation is asked again in this process...
    real_get = page_cache.cache.get

    def get(key, *args, **kwargs):
        assert not key.startswith("list-cache:"), "the value was read from the cache again"
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "get", get)
    second = page_cache.cached_value("countries", compute)
    assert first == second == ["Kenya", "Ghana"]
    assert computed == [1]
    # ...and each caller gets its own copy: changing one changes no other.
    second.append("Brazil")
    assert page_cache.cached_value("countries", compute) == ["Kenya", "Ghana"]
    monkeypatch.undo()

    GroupFactory(name="Working group on supply")  # any change: a new version, computed again
    page_cache.cached_value("countries", compute)
    assert computed == [1, 1]


@override_settings(COUNT_CACHE_SECONDS=300)
def test_the_process_copy_expires_with_the_cached_value(monkeypatch):
    computed = []
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    page_cache.cached_value("years", lambda: computed.append(1) or [2004])
    clock[0] += 301
    cache.clear()  # the shared cache's copy has expired too
    page_cache.cached_value("years", lambda: computed.append(1) or [2004])
    assert computed == [1, 1]
