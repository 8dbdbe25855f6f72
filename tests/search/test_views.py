"""The /search/ page and /opensearch.xml, as readers and browsers see them."""

import pytest
from django.test import override_settings

from core.models import Status
from tests.factories import GroupFactory, PublicationFactory
from tests.payloads import PAYLOADS

pytestmark = pytest.mark.django_db


def test_results_page_shows_ranked_results_with_kind_date_and_snippet(client, indexed):
    with indexed():
        PublicationFactory(title="Tapir study", abstract="The tapir census of 2003.")
        PublicationFactory(title="Tapir draft", status=Status.DRAFT)

    response = client.get("/search/", {"q": "tapir"})

    text = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/publications/' in text
    assert "Tapir study" in text
    assert "Tapir draft" not in text
    assert "Publication · 2004" in text
    assert "The <mark>tapir</mark> census of 2003." in text
    assert "1 result for “tapir”" in text


def test_results_page_is_noindex(client):
    response = client.get("/search/", {"q": "anything"})

    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_the_empty_search_page_may_be_indexed(client):
    response = client.get("/search/")

    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.text


def test_nothing_matched_says_so_and_suggests(client, indexed):
    with indexed():
        PublicationFactory(title="Midwives and migration")

    text = client.get("/search/", {"q": "midwifes"}).content.decode()

    assert "Nothing matched “midwifes”." in text
    assert 'Did you mean <a href="/search/?q=midwives">midwives</a>?' in text


def test_facet_links_narrow_and_keep_the_query(client, indexed):
    group = GroupFactory(name="Finance group", slug="finance")
    with indexed():
        PublicationFactory(title="Budget report").groups.add(group)
        PublicationFactory(title="Budget paper")

    text = client.get("/search/", {"q": "budget"}).content.decode()
    assert '<a href="?q=budget&amp;group=finance">Finance group</a> (1)' in text

    narrowed = client.get("/search/", {"q": "budget", "group": "finance"}).content.decode()
    assert "Budget report" in narrowed
    assert "Budget paper" not in narrowed
    assert '<strong aria-current="true">Finance group (1)</strong>' in narrowed


def test_header_search_box_and_opensearch_link_on_every_page(client):
    text = client.get("/").content.decode()

    assert '<form class="site-search" method="get" action="/search/" role="search"' in text
    assert '<label for="site-search-q" class="visually-hidden">Search the site</label>' in text
    assert '<link rel="search" type="application/opensearchdescription+xml"' in text


@override_settings(SITE_URL="https://jli.example.org")
def test_opensearch_description_uses_absolute_urls(client):
    response = client.get("/opensearch.xml")

    text = response.content.decode()
    assert response["Content-Type"] == "application/opensearchdescription+xml; charset=utf-8"
    assert 'template="https://jli.example.org/search/?q={searchTerms}"' in text


def test_empty_query_shows_just_the_box(client):
    text = client.get("/search/").content.decode()

    assert '<input type="search" id="search-q" name="q" value=""' in text
    assert "result" not in text.split("search-help")[2]


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 1500},
        {"q": "health " * 300},
        {"q": '"'},
        {"q": '"unclosed phrase'},
        {"q": "AND OR NOT"},
        {"q": "*"},
        {"q": "<script>alert(1)</script>"},
        {"q": "'; DROP TABLE search_searchdocument; --"},
        {"q": "a:* & !b | (c <-> d)"},
        {"q": "NEAR(a b) col:x ^y"},
        {"q": "health", "kind": "nonsense"},
        {"q": "health", "ptype": "nonsense"},
        {"q": "health", "group": "no-such-group"},
        {"q": "health", "group": "<b>"},
        {"q": "health", "year": "abc"},
        {"q": "health", "year": "99999"},
        {"q": "health", "sort": "sideways"},
        {"q": "health", "page": "abc"},
        {"q": "health", "page": "999999"},
        {"q": "health", "page": "-1"},
    ],
)
def test_bad_input_gets_a_sensible_page(client, indexed, params):
    with indexed():
        PublicationFactory(title="Health workforce", abstract="Health for all.")

    response = client.get("/search/", params)

    text = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text
    assert text.count("<h1>Search</h1>") == 1


def test_a_nul_in_the_query_gets_the_sites_bad_request_page(client):
    """No page takes a NUL (core.security.RefuseNullInQueryMiddleware): the search page
    answers like every other, with the 400 page in the site's look, never a 500."""
    response = client.get("/search/", {"q": "health\x00care"})

    text = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in text
    assert 'id="site-search-q"' in text  # the site's header, with its search box


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_hostile_content_and_queries_reach_the_page_escaped(client, indexed, payload):
    with indexed():
        PublicationFactory(title=f"Hostile {payload}", abstract=f"hostile {payload} text")

    text = client.get("/search/", {"q": f"hostile {payload}"}).content.decode()

    assert payload not in text
    assert "onerror=window" not in text.replace("onerror=window.__pwned=1&gt;", "")


@pytest.mark.parametrize("items", [1, 3])
def test_search_runs_a_constant_number_of_queries(client, indexed, items, page_queries):
    group = GroupFactory()
    with indexed():
        for _ in range(items):
            PublicationFactory(title="Okapi report").groups.add(group)

    # The candidates (bounded; with their kind, publication kind and year, which the
    # facets count), the groups' counts, the page of results with its snippets, and the
    # header's story pages; no page cache
    # (with the caches on, the header's menu is kept until the next scheduled change,
    # looked up once when the cache is cold).
    with page_queries(4):
        response = client.get("/search/", {"q": "okapi"})

    assert response.content.decode().count('class="search-result"') == items


def test_nothing_matched_costs_one_more_query_for_the_suggestion(client, django_assert_num_queries):
    # The candidates' ids (none: no facet or page to read), the suggestion, the header.
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "nothing"})


def test_past_the_count_limit_the_page_says_what_it_shows(client, indexed, monkeypatch):
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 2)
    with indexed():
        for _ in range(3):
            PublicationFactory(title="Okapi report")

    text = client.get("/search/", {"q": "okapi"}).content.decode()

    assert "More than 2 results for “okapi”" in text
    assert "The 2 most recent of them are shown, ranked and counted below." in text
    assert "Counts among the 2 most recent results." in text
    assert text.count('class="search-result"') == 2


def test_under_the_count_limit_the_count_is_exact(client, indexed):
    with indexed():
        for _ in range(3):
            PublicationFactory(title="Okapi report")

    text = client.get("/search/", {"q": "okapi"}).content.decode()

    assert "3 results for “okapi”" in text
    assert "most recent" not in text
