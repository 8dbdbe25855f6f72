"""core.prepared: a queryset compiled once gives, for every value, language and moment,
the rows the plain queryset gives (on SQLite and on PostgreSQL alike)."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.models import Status
from core.prepared import Prepared, PreparedRelated
from core.selectors import load_related
from publications.models import Authorship, Publication, Topic
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)


def _one(slug, at):
    return Publication.objects.published(at=at).without_text().filter(slug=slug)


def _fields(instance):
    """What a page could read of an instance: its loaded values and deferred fields."""
    loaded = {key: value for key, value in vars(instance).items() if not key.startswith("_")}
    return type(instance), loaded, instance.get_deferred_fields()


@pytest.fixture
def publications():
    scheduled = PublicationFactory(slug="scheduled", publish_at=NOW + HOUR)
    expiring = PublicationFactory(slug="expiring", expire_at=NOW + HOUR)
    return {
        "live": PublicationFactory(slug="live", title_en="Live", title_fr="En ligne"),
        "draft": PublicationFactory(slug="draft", status=Status.DRAFT),
        "scheduled": scheduled,
        "expiring": expiring,
    }


def test_get_gives_the_plain_querysets_instance_for_each_slug(publications):
    prepared = Prepared(_one)
    for slug in ("live", "expiring"):
        got = prepared.get(slug=slug, at=NOW)
        assert _fields(got) == _fields(_one(slug, NOW).get())
        assert "text" in got.get_deferred_fields()
    for slug in ("draft", "scheduled", "no-such-thing"):
        with pytest.raises(Publication.DoesNotExist):
            prepared.get(slug=slug, at=NOW)
        with pytest.raises(Http404):
            prepared.get_or_404(slug=slug, at=NOW)


def test_time_moving_shows_and_hides_with_the_same_compiled_sql(publications):
    prepared = Prepared(_one)
    visible = {}
    for at in (NOW, NOW + 2 * HOUR, NOW - 2 * HOUR):
        visible[at] = {
            slug
            for slug in publications
            if prepared.rows(slug=slug, at=at) == list(_one(slug, at))
            and prepared.rows(slug=slug, at=at)
        }
    assert visible[NOW] == {"live", "expiring"}
    assert visible[NOW + 2 * HOUR] == {"live", "scheduled"}  # gone live; expired
    assert visible[NOW - 2 * HOUR] == {"live", "expiring"}
    assert len(prepared._plans) == 1  # one shape: one compiled SQL for every moment


def test_the_clock_of_the_request_decides(publications, monkeypatch):
    """As a selector uses it: `at=timezone.now()`, the time the test suite freezes."""
    prepared = Prepared(_one)

    def page(slug):
        return prepared.rows(slug=slug, at=timezone.now())

    assert page("scheduled") == []
    monkeypatch.setattr(timezone, "now", lambda: NOW + 2 * HOUR)
    assert page("scheduled") == [publications["scheduled"]]
    assert page("expiring") == []


def test_languages_each_have_their_sql(publications):
    """modeltranslation writes `title` as the active language's column."""
    PublicationFactory(slug="zed", title_en="A first", title_fr="Z dernier")
    prepared = Prepared(
        lambda at, kind: (
            Publication.objects.published(at=at)
            .filter(kind=kind)
            .order_by("title")
            .only("title", "slug")
        )
    )
    kind = publications["live"].kind
    for language in ("en", "fr", "en"):
        with translation.override(language):
            plain = list(
                Publication.objects.published(at=NOW)
                .filter(kind=kind)
                .order_by("title")
                .only("title", "slug")
            )
            got = prepared.rows(at=NOW, kind=kind)
            assert [p.slug for p in got] == [p.slug for p in plain]
            assert [p.title for p in got] == [p.title for p in plain]
    assert got[0].slug == "zed"
    assert len(prepared._plans) == 2


def test_lists_are_one_shape_per_length(publications):
    prepared = Prepared(
        lambda pks, at: Publication.objects.published(at=at).filter(pk__in=pks).order_by("pk")
    )
    everything = [p.pk for p in publications.values()]
    for pks in (everything, everything[:1], everything[1:3], everything[2:4], []):
        assert prepared.rows(pks=pks, at=NOW) == list(
            Publication.objects.published(at=NOW).filter(pk__in=pks).order_by("pk")
        )


def test_one_query_a_call_and_the_values_as_the_database_gets_them(publications):
    prepared = Prepared(_one)
    prepared.get(slug="live", at=NOW)
    with CaptureQueriesContext(connection) as queries:
        found = prepared.get(slug="expiring", at=NOW)
    assert len(queries) == 1
    assert found.slug == "expiring"
    # Written into the SQL Django logs where it binds values on the client (SQLite, and
    # PostgreSQL without kept plans); bound apart from it on the server otherwise.
    assert "expiring" in queries[0]["sql"] or "$4" in queries[0]["sql"]


@pytest.mark.parametrize(
    "build",
    [
        # Reads the clock inside: the moment would be baked into the SQL.
        lambda slug: Publication.objects.published().filter(slug=slug),
        # The value reaches the SQL changed (`%...%`).
        lambda slug: Publication.objects.filter(title__contains=slug),
        # A slice bound is written into the SQL's text.
        lambda limit: Publication.objects.all()[:limit],
    ],
    ids=["clock", "transformed", "slice"],
)
def test_a_build_that_is_not_a_fixed_shape_is_refused(build, publications):
    name = build.__code__.co_varnames[0]
    with pytest.raises(ValueError, match="Prepared"):
        Prepared(build).rows(**{name: "live" if name == "slug" else 2})


def test_other_types_are_refused():
    with pytest.raises(TypeError):
        Prepared(lambda at: Publication.objects.filter(pk=at)).rows(at=1.5)


def test_refining_an_evaluated_queryset_reads_the_real_values(publications):
    queryset = Prepared(lambda at: Publication.objects.published(at=at)).queryset(at=NOW)
    assert queryset.filter(slug="live").get() == publications["live"]
    assert "1901" not in str(queryset.query)
    assert queryset.count() == 2


def test_related_rows_as_the_manager_and_load_related_read_them():
    publication = PublicationFactory()
    people = [PersonFactory(), PersonFactory()]
    for position, person in enumerate(people):
        Authorship.objects.create(publication=publication, person=person, position=position)
    Authorship.objects.create(publication=PublicationFactory(), person=people[0], position=0)
    topic = TopicFactory()
    publication.topics.add(topic, TopicFactory())
    topics = set(publication.topics.all())
    group = GroupFactory()
    publication.groups.add(group, GroupFactory(status=Status.DRAFT))

    authors = PreparedRelated(
        Publication, "authorships", lambda: Authorship.objects.select_related("person")
    )
    groups = PreparedRelated(Publication, "groups", lambda: publication.groups.model.objects.all())
    for _ in range(2):  # the plan made, then used
        instance = Publication.objects.get(pk=publication.pk)
        load_related(instance, "authorships", authors)
        load_related(
            instance,
            "topics",
            PreparedRelated(Publication, "topics", Topic.objects.all),
        )
        with CaptureQueriesContext(connection) as queries:
            rows = list(instance.authorships.all())
            assert [row.person for row in rows] == people
            assert all(row.publication is instance for row in rows)
            assert instance.authorships.count() == 2
            assert set(instance.topics.all()) == topics
        assert len(queries) == 0
        # Refining reads the database, for this publication.
        assert list(instance.authorships.filter(position=1)) == [rows[1]]
        assert groups.rows(instance) == list(publication.groups.all())
    other = PublicationFactory()
    assert authors.rows(other) == []


def test_values_and_values_list_rows_are_the_plain_querysets(publications):
    for shape in ("values", "values_list", "flat"):

        def build(at, shape=shape):
            queryset = Publication.objects.published(at=at).order_by("slug")
            if shape == "values":
                return queryset.values("slug", "title")
            return (
                queryset.values_list("slug", flat=True)
                if shape == "flat"
                else queryset.values_list("slug", "title")
            )

        assert Prepared(build).rows(at=NOW) == list(build(NOW))


def test_detail_pages_follow_the_clock(client, monkeypatch):
    """The pages' prepared queries take the request's time: a scheduled group appears on
    a publication's, an event's and a person's page when it goes live, and an expired
    publication or event answers 404 (the clock frozen as the suite freezes it)."""
    group = GroupFactory(name="Scheduled circle", publish_at=NOW + HOUR)
    publication = PublicationFactory(expire_at=NOW + 3 * HOUR)
    publication.groups.add(group)
    event = EventFactory(expire_at=NOW + 3 * HOUR)
    event.organisers.add(group)
    event.publications.add(publication)
    person = PersonFactory()
    MembershipFactory(person=person, group=group)
    pages = [publication.get_absolute_url(), event.get_absolute_url(), person.get_absolute_url()]

    def shown(url):
        response = client.get(url)
        return response.status_code, "Scheduled circle" in response.content.decode()

    for moment, expected in [
        (NOW, [(200, False), (200, False), (200, False)]),
        (NOW + 2 * HOUR, [(200, True), (200, True), (200, True)]),
        (NOW + 4 * HOUR, [(404, False), (404, False), (200, True)]),
        (NOW, [(200, False), (200, False), (200, False)]),
    ]:
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        assert [shown(url) for url in pages] == expected, moment


def test_listed_authors_and_groups_are_the_prefetchs(publications):
    """load_authors_and_groups gives each publication the groups the prefetch gave, in
    order (as plain records of their pk, slug and names), and the authors
    load_shown_authors gives, in order, from one query."""
    from django.db.models import Prefetch

    from publications.selectors import (
        _public_groups,
        load_authors_and_groups,
        load_shown_authors,
    )

    first, second = GroupFactory(display_order=2), GroupFactory(display_order=1)
    hidden, scheduled = GroupFactory(status=Status.DRAFT), GroupFactory(publish_at=NOW + HOUR)
    live, expiring = publications["live"], publications["expiring"]
    live.groups.add(first, second, hidden, scheduled)
    expiring.groups.add(first)
    AuthorshipFactory(publication=live, position=2)
    AuthorshipFactory(publication=live, position=1, person=PersonFactory(is_public=False))
    AuthorshipFactory(publication=expiring, person=None, name="An organisation")
    for at in (NOW, NOW + 2 * HOUR):
        rows = list(Publication.objects.order_by("pk"))
        prefetched = list(
            Publication.objects.order_by("pk").prefetch_related(
                Prefetch("groups", queryset=_public_groups(at), to_attr="public_groups")
            )
        )
        authors = load_shown_authors(list(Publication.objects.order_by("pk")))
        with CaptureQueriesContext(connection) as queries:
            load_authors_and_groups(rows, at)
        assert len(queries) == 1
        assert [
            [(g.pk, g.slug, g.name_en, g.name_fr) for g in row.public_groups] for row in rows
        ] == [
            [(g.pk, g.slug, g.name_en, g.name_fr) for g in row.public_groups] for row in prefetched
        ]
        assert [[(a.display_name, a.profile_url) for a in row.shown_authors] for row in rows] == [
            [(a.display_name, a.profile_url) for a in row.shown_authors] for row in authors
        ]
    shown = {row.pk: [group.pk for group in row.public_groups] for row in rows}
    assert shown[expiring.pk] == [first.pk]
    assert set(shown[live.pk]) == {first.pk, second.pk, scheduled.pk}  # scheduled: now live
    assert len(next(row for row in rows if row.pk == live.pk).shown_authors) == 2


def test_converters_are_worked_out_once_per_plan_and_rows_stay_typed(publications, monkeypatch):
    """The columns' converters (datetimes, dates, ...) are kept with the plan: later calls
    convert their rows the same way without asking the compiler again."""
    from django.db.models.sql.compiler import SQLCompiler

    asked = []
    real = SQLCompiler.get_converters

    def counting(self, expressions):
        asked.append(len(expressions))
        return real(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    prepared = Prepared(_one)
    first = prepared.get(slug="live", at=NOW)
    asked_after_first = len(asked)
    second = prepared.get(slug="expiring", at=NOW)
    third = prepared.get(slug="live", at=NOW + HOUR)

    assert asked_after_first >= 1
    assert len(asked) == asked_after_first
    for got, slug in ((first, "live"), (second, "expiring"), (third, "live")):
        assert _fields(got) == _fields(_one(slug, NOW).get())
    assert isinstance(second.expire_at, datetime.datetime)
    assert timezone.is_aware(second.expire_at)
    assert isinstance(first.created_at, datetime.datetime)
