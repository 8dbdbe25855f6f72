"""Health, readiness, conditional GET and the language switch."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def test_readyz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.text == "database: ok\ncache: ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_503_when_the_cache_is_down(client, settings):
    # Nothing listens on port 1: the Redis client fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.text == "database: ok\ncache: unavailable\n"


def test_readyz_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.text == "database: unavailable\ncache: ok\n"


def test_unchanged_page_answers_304_to_a_conditional_get(client):
    GroupFactory(name="Working group on supply")
    first = client.get(reverse("groups:group_list"))
    etag = first["ETag"]

    again = client.get(reverse("groups:group_list"), headers={"if-none-match": etag})

    assert again.status_code == 304
    assert again.content == b""


def test_changed_page_answers_200_with_a_new_etag(client):
    group = GroupFactory(name="Working group on supply")
    etag = client.get(reverse("groups:group_list"))["ETag"]
    group.name = "Working group on supply and demand"
    group.save()

    response = client.get(reverse("groups:group_list"), headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Working group on supply and demand" in response.text


def test_language_switch_takes_the_reader_to_the_french_page(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/groups/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/groups/"
    assert client.get("/fr/groups/").text.count('<html lang="fr">') == 1
