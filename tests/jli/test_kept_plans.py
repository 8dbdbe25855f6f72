"""core/backends/postgresql: PostgreSQL keeps its plans of the look-ups marked
`keep_plan` (core.prepared), and of nothing else; the pages read the same either way."""

import re

import pytest
from django.db import connection

from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def _timeless(content):
    return re.sub(rb"<responseDate>[^<]*</responseDate>", b"", content)


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_pages_look_ups_are_prepared_once_and_searches_are_not(client):
    assert connection.settings_dict["ENGINE"] == "core.backends.postgresql"
    publication = PublicationFactory(slug="report", title="Workforce report")
    publication.groups.add(GroupFactory())
    AuthorshipFactory(publication=publication)
    before = len(_prepared())

    first = client.get("/publications/report/")
    prepared = len(_prepared())
    again = [client.get("/publications/report/") for _ in range(2)]

    assert first.status_code == 200
    assert {page.content for page in again} == {first.content}
    # The publication (with whether it came out of events: none, so no events query), its
    # authors, its links: prepared on the first view, run by name on the next ones.
    assert prepared - before >= 3
    assert len(_prepared()) == prepared
    assert client.get("/search/", {"q": "workforce"}).status_code == 200
    assert len(_prepared()) == prepared  # search's plans depend on the words


@pytest.mark.parametrize(
    ("path", "statements"),
    [
        # The record by its slug, its authorships, their people, its links.
        ("/api/v1/publications/report/", 4),
        # The record by its slug, its organisers, publications and funders together.
        ("/api/v1/events/meeting/", 2),
        # A page's authorships, their people, its links (the page itself is a filtered
        # list, planned for its values: not kept).
        ("/api/v1/publications/", 3),
        ("/api/v1/events/", 1),
        ("/oai/?verb=ListRecords&metadataPrefix=oai_dc", 3),
    ],
)
def test_the_open_datas_look_ups_are_prepared_once(client, path, statements):
    """The API's records by slug and what a page of records links to (opendata.selectors)
    keep their plans as the pages' look-ups do; a second read answers the same."""
    publication = PublicationFactory(slug="report")
    publication.groups.add(GroupFactory())
    publication.funders.add(FunderFactory())
    AuthorshipFactory(publication=publication, person=PersonFactory())
    event = EventFactory(slug="meeting")
    event.organisers.add(GroupFactory())
    event.publications.add(publication)
    before = len(_prepared())

    first = client.get(path)
    prepared = len(_prepared())
    again = client.get(path)

    assert first.status_code == 200
    # (OAI-PMH's responseDate is the time of each answer.)
    assert _timeless(again.content) == _timeless(first.content)
    assert prepared - before == statements
    assert len(_prepared()) == prepared


def test_a_query_with_more_values_than_the_server_takes_apart_runs():
    """PostgreSQL takes at most 65,535 values apart from a statement's SQL; a rebuild of
    the search index asks for a whole table's ids at once (100,000 publications)."""
    from publications.models import Publication

    publication = PublicationFactory()
    ids = [publication.pk, *range(10**9, 10**9 + 70_000)]

    assert list(Publication.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [
        publication.pk
    ]
    assert Publication.objects.exclude(pk__in=ids).count() == 0


def test_a_kept_plans_ids_are_hidden_from_the_planner():
    """PostgreSQL plans a prepared query for its values on its first five runs, then
    keeps its generic plan unless the plans made for the values look cheaper: with a
    short list of ids in view they did (on 100,000 publications), so a person's page
    planned its publications' authors and groups afresh on every view. A kept plan
    reads its ids through a sub-select, which the planner does not look into; other
    queries keep the list in view (a search's plan depends on it)."""
    from django.test.utils import CaptureQueriesContext

    from core.lookups import Ids
    from core.prepared import Prepared
    from publications.models import Publication

    ids = Ids(sorted(publication.pk for publication in PublicationFactory.create_batch(3)))

    def build(ids):
        return Publication.objects.filter(pk__among=ids).order_by("pk").values_list("pk")

    kept, plain = Prepared(build, keep_plan=True), Prepared(build)
    with CaptureQueriesContext(connection) as queries:
        rows = [kept.rows(ids=ids), plain.rows(ids=ids)]

    assert rows[0] == rows[1] == [(pk,) for pk in ids]
    hidden = ["ANY((SELECT" in query["sql"] for query in queries.captured_queries]
    assert hidden == [True, False]
