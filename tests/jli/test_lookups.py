"""`field__among=ids` (core/lookups.py): the records of a list of ids, as `__in` finds
them, written as one array parameter on PostgreSQL."""

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


def test_among_is_one_parameter_on_postgresql_whatever_the_number_of_ids():
    GroupFactory()
    ids = list(range(1, 1001))

    with CaptureQueriesContext(connection) as queries:
        list(Group.objects.filter(pk__among=ids))

    [query] = queries.captured_queries
    if connection.vendor == "postgresql":
        assert "= ANY(" in query["sql"]
        assert query["sql"].count(", ") < 100
    else:
        assert " IN (" in query["sql"]
