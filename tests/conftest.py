"""Personas and browser settings shared by the whole suite.

Personas: anonymous, member, other member, secretariat editor, superuser. Each is a
logged-in test client (or none) so every protected page is tested for each.
"""

import os
import shutil

import pytest
from django.contrib.auth.models import Group as PermissionGroup
from django.core.cache import cache

from jli.roles import EDITORS_GROUP
from tests.factories import PersonFactory, UserFactory

# pytest-django's live_server with Playwright's sync API (docs/testing.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (locmem outlives a test's database)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache(settings):
    """Turn the whole-page cache on (it is off for the rest of the suite)."""
    settings.PAGE_CACHE_SECONDS = 300


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
