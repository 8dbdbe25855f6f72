"""Importing people and their roles from CSV and XLSX files."""

import io

import openpyxl
import pytest

from groups.models import Membership, Person
from imports import services
from imports.models import ImportKind
from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "Given name,Family name,Affiliation,Country,E-mail,ORCID,Group,Role,Start date,End date\n"


def _record(data, name="people.csv", user=None):
    return services.record_upload(kind=ImportKind.PEOPLE, user=user, file_name=name, data=data)


def _preview(text, **kwargs):
    data = text if isinstance(text, bytes) else text.encode()
    return services.people_preview(record=_record(data, **kwargs))


def test_preview_writes_nothing_and_says_what_each_row_does():
    GroupFactory(name="Sample working group", slug="sample-wg")
    PersonFactory(given_name="Ada", family_name="Sample", orcid="0000-0002-1825-0097",
                  affiliation="Old place", country="GB")  # fmt: skip
    report = _preview(
        HEADER
        + "Ada,Sample,New place,KE,,0000-0002-1825-0097,,,,\n"
        + "Bea,Sample,Uni,Kenya,bea@example.org,,Sample working group,Co-chair,15/01/2003,\n"
        + "Cy,Sample,,Narnia,,,No such group,Boss,not a date,\n"
    )
    assert [(r.number, r.action) for r in report.rows] == [(2, "update"), (3, "create"), (4, "error")]
    assert report.rows[0].changes == ["Affiliation", "Country"]
    assert report.rows[0].match == "same ORCID iD"
    fields = {label for label, _message in report.rows[2].errors}
    assert fields == {"Group", "Role", "Start date"}
    assert Person.objects.count() == 1
    assert Membership.objects.count() == 0
