import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.validators import validate_orcid
from groups.models import Membership, Role
from tests.factories import GroupFactory, MembershipFactory, PersonFactory


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]
)
def test_valid_orcid_ids_pass(orcid):
    validate_orcid(orcid)


@pytest.mark.parametrize(
    ("orcid", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000000218250097", "orcid_format"),
        ("0000-0002-1825-009", "orcid_format"),
        ("https://orcid.org/0000-0002-1825-0097", "orcid_format"),
        ("", "orcid_format"),
    ],
)
def test_invalid_orcid_ids_are_refused(orcid, code):
    with pytest.raises(ValidationError) as error:
        validate_orcid(orcid)
    assert error.value.code == code


@pytest.mark.django_db
def test_database_refuses_the_same_undated_role_twice():
    membership = MembershipFactory(role=Role.MEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=membership.person, group=membership.group, role=Role.MEMBER
        )


@pytest.mark.django_db
def test_database_refuses_a_role_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start_date=datetime.date(2004, 1, 1), end_date=datetime.date(2003, 1, 1))


@pytest.mark.django_db
def test_different_roles_and_later_periods_are_allowed():
    person, group = PersonFactory(), GroupFactory()
    MembershipFactory(
        person=person,
        group=group,
        role=Role.MEMBER,
        start_date=datetime.date(2002, 11, 1),
        end_date=datetime.date(2003, 6, 30),
    )
    later = Membership(
        person=person, group=group, role=Role.MEMBER, start_date=datetime.date(2003, 7, 1)
    )
    later.full_clean()
    later.save()
    co_chair = Membership(person=person, group=group, role=Role.CO_CHAIR)
    co_chair.full_clean()
    co_chair.save()
    assert person.memberships.count() == 3


@pytest.mark.django_db
def test_overlapping_periods_of_the_same_role_are_refused_by_validation():
    person, group = PersonFactory(), GroupFactory()
    MembershipFactory(
        person=person,
        group=group,
        start_date=datetime.date(2002, 11, 1),
        end_date=datetime.date(2003, 12, 31),
    )
    overlapping = Membership(
        person=person, group=group, role=Role.MEMBER, start_date=datetime.date(2003, 6, 1)
    )
    with pytest.raises(ValidationError, match="overlapping period"):
        overlapping.full_clean()
