"""Personas and browser settings shared by the whole suite.

Personas: anonymous, member, other member, secretariat editor, superuser. Each is a
logged-in test client (or none) so every protected page is tested for each.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group as PermissionGroup
from django.core.cache import cache
from django.test.utils import override_settings
from django.utils import translation

from core.cache import scheduled_models
from core.roles import EDITORS_GROUP
from tests.factories import PersonFactory, UserFactory

# pytest-django's live_server with Playwright's sync API (docs/testing.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, a test database in a file (in memory-backed /dev/shm when there is one).

    Django's default test database on SQLite is in memory, and a live server then shares
    the test's one connection with all its request threads: two requests of a browser
    test at once can block each other inside SQLite for good (it happened: the suite hung
    until CI killed it). With a file, every thread has its own connection; WAL lets
    readers and a writer work side by side, and a busy writer waits (timeout) rather than
    failing at once.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    memory = Path("/dev/shm")  # noqa: S108 (a private folder is made in it by mkdtemp)
    folder = tempfile.mkdtemp(prefix="jli-test-", dir=memory if memory.is_dir() else None)
    database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "test.sqlite3")
    options = database.setdefault("OPTIONS", {})
    options.setdefault("timeout", 20)
    options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Hash passwords with a fast hasher in tests only.

    Production hashes with Argon2 (tests/jli/test_project.py checks it), which costs most
    of a second per password on a small machine: every user a test makes paid it.
    """
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=fast):
        yield


CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request in French leaves French
    active in the thread (LocaleMiddleware does not switch back), so without this a test
    run after a French one saw French messages, depending on the order tests ran in."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (locmem outlives a test's database)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["caches-off", "caches-on"])
def page_queries(request, settings, django_assert_num_queries):
    """`with page_queries(n):` asserts that the block runs the view's `n` queries.

    Each test using it runs twice: with the production caches off (the view's own
    queries), then on, as production runs (page cache and list counts cache, both cold:
    what the first reader after a change costs). With the caches on, a cold request also
    looks up the next scheduled go-live or expiry once (one aggregate per publishable
    model, core.cache.next_scheduled_change); the block starts from an empty cache.
    """
    caches_on = request.param == "caches-on"
    if caches_on:
        settings.PAGE_CACHE_SECONDS = 300
        settings.COUNT_CACHE_SECONDS = 300

    def expect(queries, *, schedule=True):
        cache.clear()
        if caches_on and schedule:
            queries += len(scheduled_models())
        return django_assert_num_queries(queries)

    expect.caches_on = caches_on
    return expect


@pytest.fixture
def page_cache(settings):
    """Turn the whole-page cache on (it is off for the rest of the suite)."""
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def cache_reads(monkeypatch):
    """The reads the cache is asked for, one entry per round trip it would cost with
    Redis: a `get_many` (one MGET) as its list of keys, a `get` as its key. (The local
    memory cache's `get_many` calls `get` for each key: those are not counted again.)"""
    reads = []
    real_get, real_get_many = cache.get, cache.get_many
    inside_get_many = []

    def get(key, *args, **kwargs):
        if not inside_get_many:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside_get_many.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


@pytest.fixture
def member_user(db):
    user = UserFactory(username="member", email="member@example.org")
    PersonFactory(user=user, given_name="Mary", family_name="Member", slug="mary-member")
    return user


@pytest.fixture
def other_member_user(db):
    user = UserFactory(username="other", email="other@example.org")
    PersonFactory(user=user, given_name="Otto", family_name="Other", slug="otto-other")
    return user


@pytest.fixture
def editor_user(db):
    user = UserFactory(username="editor", email="editor@example.org", is_staff=True)
    user.groups.add(PermissionGroup.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def bare_staff_user(db):
    """A staff account with no permission: it may sign in to the admin and nothing more."""
    return UserFactory(username="bare-staff", email="bare-staff@example.org", is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="admin", email="admin@example.org", is_staff=True, is_superuser=True
    )


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anonymous_client(client):
    return client


@pytest.fixture
def member_client(client, member_user):
    return _client_for(client, member_user)


@pytest.fixture
def other_member_client(client, other_member_user):
    return _client_for(client, other_member_user)


@pytest.fixture
def editor_client(client, editor_user):
    return _client_for(client, editor_user)


@pytest.fixture
def superuser_client(client, superuser):
    return _client_for(client, superuser)


PERSONAS = [
    "anonymous_client",
    "member_client",
    "other_member_client",
    "editor_client",
    "superuser_client",
]


@pytest.fixture(params=PERSONAS)
def persona(request):
    """Each persona in turn: (name, client)."""
    return request.param, request.getfixturevalue(request.param)


# --- Browser (Playwright driving Debian's Chromium) ----------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """`with indexed(): ...` runs the search index's on-commit work at the end of the
    block, as a commit would (tests run inside one transaction that never commits)."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
