"""`field__among=ids` (core/lookups.py): the records of a list of ids, as `__in` finds
them, written as one array parameter (PostgreSQL) or one JSON parameter (SQLite)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import Group
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def test_among_finds_what_in_finds():
    first, _, third = GroupFactory.create_batch(3)
    ids = [third.pk, first.pk, 10**9]

    found = set(Group.objects.filter(pk__among=ids))

    assert found == set(Group.objects.filter(pk__in=ids)) == {first, third}
    assert list(Group.objects.filter(pk__among=[])) == []
    assert set(Group.objects.exclude(pk__among=ids)) == set(Group.objects.exclude(pk__in=ids))


def test_among_is_one_parameter_whatever_the_number_of_ids():
    GroupFactory()
    ids = list(range(1, 1001))

    with CaptureQueriesContext(connection) as queries:
        list(Group.objects.filter(pk__among=ids))

    [query] = queries.captured_queries
    assert query["sql"].count(", ") < 100
    if connection.vendor == "postgresql":
        assert "= ANY(" in query["sql"]
    else:
        assert "json_each(" in query["sql"]


def test_a_prepared_query_with_among_serves_every_number_of_ids():
    """One compiled statement for any number of ids (core.prepared): the same rows as
    `__in`, for one id, three, none."""
    from core.lookups import Ids
    from core.prepared import Prepared

    groups = GroupFactory.create_batch(3)
    prepared = Prepared(lambda ids: Group.objects.filter(pk__among=ids).order_by("pk"))
    for chosen in (groups[:1], groups, []):
        ids = Ids(group.pk for group in chosen)
        assert prepared.rows(ids=ids) == sorted(chosen, key=lambda group: group.pk)
    assert len(prepared._plans) == 1
