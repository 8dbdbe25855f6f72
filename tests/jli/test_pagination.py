"""The numbered pagination every paginated list shares (core.pagination)."""

import dataclasses

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict

import publications.selectors
from core.pagination import page_links
from tests.factories import EventFactory, PersonFactory, PublicationFactory

GAP = None  # a gap (…) between numbers


def _numbers(pages, current, query=""):
    page = Paginator(range(pages * 20), 20).page(current)
    links = page_links(page, path="/publications/", query=QueryDict(query))
    return [link.number for link in links["pages"]]


@pytest.mark.parametrize(
    ("pages", "current", "numbers"),
    [
        (1, 1, [1]),
        (2, 1, [1, 2]),
        (2, 2, [1, 2]),
        (7, 1, [1, 2, 3, 4, 5, 6, 7]),
        (7, 4, [1, 2, 3, 4, 5, 6, 7]),
        (7, 7, [1, 2, 3, 4, 5, 6, 7]),
        (951, 1, [1, 2, 3, GAP, 950, 951]),
        (951, 476, [1, 2, GAP, 474, 475, 476, 477, 478, GAP, 950, 951]),
        (951, 951, [1, 2, GAP, 949, 950, 951]),
    ],
)
def test_page_range_has_the_ends_the_neighbours_and_gaps(pages, current, numbers):
    assert _numbers(pages, current) == numbers


def test_page_links_keep_the_other_query_parameters():
    page = Paginator(range(951 * 20), 20).page(476)
    query = QueryDict("kind=report&topic=migration&topic=nurses&q=midwife+%C3%A9&page=476")

    links = page_links(page, path="/publications/", query=query)

    assert (
        links["previous"]
        == "/publications/?kind=report&topic=migration&topic=nurses&q=midwife+%C3%A9&page=475"
    )
    assert (
        links["next"]
        == "/publications/?kind=report&topic=migration&topic=nurses&q=midwife+%C3%A9&page=477"
    )
    first, current = links["pages"][0], links["pages"][5]
    # Page 1 is the list's own address, without `page`.
    assert first.url == "/publications/?kind=report&topic=migration&topic=nurses&q=midwife+%C3%A9"
    assert (current.number, current.current) == (476, True)
    assert [link.number for link in links["pages"] if link.current] == [476]


def test_first_and_last_pages_have_no_previous_or_next():
    paginator = Paginator(range(60), 20)
    first = page_links(paginator.page(1), path="/events/", query=QueryDict())
    last = page_links(paginator.page(3), path="/events/", query=QueryDict())
    assert (first["previous"], first["next"]) == ("", "/events/?page=2")
    assert (last["previous"], last["next"]) == ("/events/?page=2", "")
    assert first["pages"][0].url == "/events/"


# --- On the lists ----------------------------------------------------------------------


def _nav(text):
    """The page navigation's HTML (the site's menu marks its current section too)."""
    start = text.index('<nav class="pagination"')
    return text[start : text.index("</nav>", start)]


@pytest.fixture
def archive_of(monkeypatch):
    """Make the publications and people lists count `total` rows, whatever is in the
    database: the first sums its count from its menus' (publications.selectors), the
    second reads it from core.cache.cached_count."""

    def set_total(total):
        counts = publications.selectors.list_counts
        monkeypatch.setattr(
            "publications.selectors.list_counts",
            lambda filters: dataclasses.replace(counts(filters), total=total),
        )
        monkeypatch.setattr("core.cache.cached_count", lambda queryset, key: total)

    return set_total


@pytest.mark.django_db
def test_list_shows_numbered_pages_with_aria_and_filters_kept(client, archive_of):
    PublicationFactory(kind="report")
    archive_of(19_018)

    response = client.get("/publications/", {"kind": "report", "page": "476"})

    assert response.status_code == 200
    assert '<nav class="pagination" aria-label="Pages">' in response.text
    text = _nav(response.text)
    assert (
        '<a class="pagination__page" href="/publications/?kind=report&amp;page=476" '
        'aria-current="page" aria-label="Page 476">476</a>'
    ) in text
    assert text.count('aria-current="page"') == 1
    assert (
        '<a class="pagination__page" href="/publications/?kind=report" aria-label="Page 1">1</a>'
    ) in text
    assert 'href="/publications/?kind=report&amp;page=951" aria-label="Page 951">951</a>' in text
    assert 'href="/publications/?kind=report&amp;page=475" rel="prev">Previous</a>' in text
    assert 'href="/publications/?kind=report&amp;page=477" rel="next">Next</a>' in text
    assert text.count('<li class="pagination__gap">…</li>') == 2
    assert "19,018 publications" in response.text
    # Each page of the list has its own title; the first keeps the list's.
    assert "<title>Publications (Page 476 of 951) · JLI</title>" in response.text
    assert "<title>Publications · JLI</title>" in client.get("/publications/").text


@pytest.mark.django_db
def test_counts_and_page_numbers_have_the_readers_thousands_separator(client, archive_of):
    PublicationFactory()
    archive_of(30_000)  # 1,500 pages

    english = client.get("/publications/", {"page": "1000"}).text
    french = client.get("/fr/publications/", {"page": "1000"}).text

    assert "30,000 publications" in english
    assert 'href="/publications/?page=1500" aria-label="Page 1,500">1,500</a>' in english
    assert 'aria-current="page" aria-label="Page 1,000">1,000</a>' in english
    # French groups digits with a no-break space (THOUSAND_SEPARATOR of Django's fr formats).
    assert "30\xa0000 publications" in french
    assert "<title>Publications (Page 1\xa0000 sur 1\xa0500) · JLI</title>" in french
    assert 'href="/fr/publications/?page=1500" aria-label="Page 1\xa0500">1\xa0500</a>' in french
    # The navigation's words in the reader's language.
    assert '<nav class="pagination" aria-label="Pages">' in french
    assert 'rel="prev">Précédente</a>' in french
    assert 'rel="next">Suivante</a>' in french
    assert 'rel="prev">Previous</a>' in english
    assert 'rel="next">Next</a>' in english


@pytest.mark.django_db
def test_people_list_count_has_the_thousands_separator(client, archive_of):
    PersonFactory()
    archive_of(2_400)
    response = client.get("/people/", {"page": "2"})
    assert "2,400 people" in response.text
    assert 'aria-current="page" aria-label="Page 2">2</a>' in response.text


@pytest.mark.django_db
def test_a_single_page_has_no_page_navigation(client):
    PublicationFactory()
    assert 'class="pagination"' not in client.get("/publications/").text


# A page that is not a number: the first; out of range: the last (Paginator.get_page).
BAD_PAGES = [("abc", 1), ("", 1), ("1.5", 1), ("0", 3), ("-1", 3), ("99999", 3), ("9" * 40, 3)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "factory"), [("/publications/", PublicationFactory), ("/events/", EventFactory)]
)
def test_bad_page_values_show_a_page_not_an_error(client, url, factory):
    factory.create_batch(41)  # 3 pages
    for value, shown in BAD_PAGES:
        response = client.get(url, {"page": value})

        assert response.status_code == 200, value
        assert response.context["page_obj"].number == shown, value
        assert f'aria-current="page" aria-label="Page {shown}">{shown}</a>' in response.text
