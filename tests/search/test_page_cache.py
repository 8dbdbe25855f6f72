"""The search page as a cached public page: a repeated anonymous search costs nothing,
a change shows at once, and signed-in staff (who may preview drafts) never share a copy
with anonymous readers."""

import pytest
from django.http import Http404

from core.models import Status
from core.services import publishable_set_status
from publications.models import Publication
from search import services
from search.models import Kind
from tests.factories import PublicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

URL = "/search/?q=okapi"
PREVIEW = "/search/?q=okapi&preview=1"


@pytest.fixture
def drafts(indexed):
    with indexed():
        PublicationFactory(title="Okapi public paper")
        PublicationFactory(title="Okapi draft paper", status=Status.DRAFT)


def test_a_repeated_anonymous_search_is_served_from_the_cache_without_queries(
    client, drafts, django_assert_num_queries
):
    first = client.get(URL)
    with django_assert_num_queries(0):
        second = client.get(URL)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.text == first.text
    assert "Okapi public paper" in second.text
    assert "Okapi draft paper" not in second.text
    # Results are still not for search engines' indexes, from the cache as well.
    assert second["X-Robots-Tag"] == "noindex"


def test_each_query_string_is_kept_apart(client, drafts):
    client.get(URL)

    other = client.get("/search/?q=okapi&sort=date")

    assert other["X-Page-Cache"] == "miss"
    assert "Okapi public paper" in other.text


@pytest.mark.parametrize("publish", ["service", "save"])
def test_a_publication_published_shows_in_the_same_search_at_once(client, drafts, indexed, publish):
    assert "Okapi draft paper" not in client.get(URL).text  # kept now

    draft = Publication.objects.get(title="Okapi draft paper")
    with indexed():
        if publish == "service":
            publishable_set_status(
                queryset=Publication.objects.filter(pk=draft.pk), status="published"
            )
        else:
            draft.status = Status.PUBLISHED
            draft.save()

    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Okapi draft paper" in response.text


def test_an_answer_kept_before_the_index_is_written_does_not_outlive_the_write(
    client, drafts, indexed
):
    """The index is written after the record's commit, or later by a worker (a renamed
    group's publications): an answer kept meanwhile must go when the index changes."""
    paper = Publication.objects.get(title="Okapi public paper")
    Publication.objects.filter(pk=paper.pk).update(title="Okapi renamed paper")  # no signal
    assert "Okapi public paper" in client.get(URL).text  # the old index, kept

    with indexed():
        services.index_records(kind=Kind.PUBLICATION, ids=[paper.pk])  # as the worker does

    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Okapi renamed paper" in response.text
    assert "Okapi public paper" not in response.text


def test_french_searches_are_kept_apart_from_english_ones(client, drafts):
    english = client.get(URL)
    french = client.get("/fr/search/?q=okapi")

    assert (english["X-Page-Cache"], french["X-Page-Cache"]) == ("miss", "miss")
    assert '<html lang="fr">' in french.text
    assert client.get("/fr/search/?q=okapi")["X-Page-Cache"] == "hit"
    assert '<html lang="en">' in client.get(URL).text


@pytest.mark.parametrize("url", [URL, PREVIEW])
def test_a_staff_preview_is_never_served_to_an_anonymous_reader(client, editor_client, drafts, url):
    staff = editor_client.get(PREVIEW)
    assert "Okapi draft paper" in staff.text
    assert "X-Page-Cache" not in staff  # neither looked up nor kept

    anonymous = type(client)().get(url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert "Okapi public paper" in anonymous.text
    assert "Okapi draft paper" not in anonymous.text


def test_an_anonymous_copy_is_never_served_to_staff(client, editor_client, drafts):
    anonymous = type(client)()
    anonymous.get(PREVIEW)
    assert anonymous.get(PREVIEW)["X-Page-Cache"] == "hit"  # kept, without the drafts

    staff = editor_client.get(PREVIEW)

    assert "X-Page-Cache" not in staff
    assert "Okapi draft paper" in staff.text
    assert "Not public" in staff.text


def test_an_answer_other_than_a_page_is_not_kept(client, drafts, monkeypatch):
    def not_found(**arguments):
        raise Http404

    with monkeypatch.context() as patched:
        patched.setattr("search.views.engine.search", not_found)
        assert client.get(URL).status_code == 404

    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Okapi public paper" in response.text
