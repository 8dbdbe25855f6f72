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
    PersonFactory(
        given_name="Ada",
        family_name="Sample",
        orcid="0000-0002-1825-0097",
        affiliation="Old place",
        country="GB",
    )
    report = _preview(
        HEADER
        + "Ada,Sample,New place,KE,,0000-0002-1825-0097,,,,\n"
        + "Bea,Sample,Uni,Kenya,bea@example.org,,Sample working group,Co-chair,15/01/2003,\n"
        + "Cy,Sample,,Narnia,,,No such group,Boss,not a date,\n"
    )
    assert [(r.number, r.action) for r in report.rows] == [
        (2, "update"),
        (3, "create"),
        (4, "error"),
    ]
    assert report.rows[0].changes == ["Affiliation", "Country"]
    assert report.rows[0].match == "same ORCID iD"
    fields = {label for label, _message in report.rows[2].errors}
    assert fields == {"Group", "Role", "Start date"}
    assert Person.objects.count() == 1
    assert Membership.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("\ufeffGiven name;Family name;Country\nJosé;Sample;Côte d'Ivoire\n".encode(), "bom.csv"),
        ("Given name\tFamily name\tCountry\nJosé\tSample\tCI\n".encode("cp1252"), "tab.csv"),
        ("Given name,Family name,Country\n\n,,\nJosé,Sample,CI\n".encode("latin-1"), "l1.csv"),
    ],
)
def test_encodings_separators_and_empty_rows_read_the_same(data, name):
    report = _preview(data, name=name)
    assert [(r.label, r.action, r.errors) for r in report.rows] == [("José Sample", "create", [])]


def _xlsx(rows, merge=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_xlsx_with_a_merged_title_row_and_a_formula_cell_imports_text():
    data = _xlsx(
        [
            ["JLI members (sample)", None, None],
            ["Given name", "Family name", "Affiliation"],
            ["Ada", "Sample", '=HYPERLINK("http://x")'],
        ],
        merge="A1:C1",
    )
    record = _record(data, name="people.xlsx")
    services.people_import(record=record)
    person = Person.objects.get()
    assert person.affiliation == '=HYPERLINK("http://x")'
    assert list(record.people.all()) == [person]


def test_confirmed_import_writes_people_and_roles_once():
    group = GroupFactory(name="Sample working group")
    text = HEADER + "Bea,Sample,Uni,KE,bea@example.org,,Sample working group,Co-chair,2003-01-15,\n"
    services.people_import(record=_record(text.encode()))
    assert Membership.objects.get().group == group
    again = services.people_import(record=_record(text.encode()))
    assert again.counts == {"create": 0, "update": 0, "skip": 1, "error": 0}
    assert (Person.objects.count(), Membership.objects.count()) == (1, 1)


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02", b"only,one\n"])
def test_unreadable_spreadsheets_get_a_clear_message(data):
    report = _preview(data) if data else None
    if report is not None:
        assert report.fatal


def test_editor_uploads_previews_and_confirms_in_the_admin(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", (HEADER + "Ada,Sample,,,,,,,,\n").encode())
    response = editor_client.post("/admin/imports/importrecord/people/", {"file": upload})
    assert response.status_code == 302
    preview = editor_client.get(response["Location"])
    assert "Ada Sample" in preview.text
    assert Person.objects.count() == 0
    done = editor_client.post(response["Location"])
    assert done.status_code == 302
    person = Person.objects.get()
    assert person.full_name == "Ada Sample"
    record_page = editor_client.get(done["Location"], follow=True)
    assert f'<a href="/admin/groups/person/{person.pk}/change/">Ada Sample</a>' in record_page.text
    assert "People (1)" in record_page.text


def test_upload_of_a_wrong_file_type_says_so(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.pdf", b"%PDF-1.4")
    response = editor_client.post("/admin/imports/importrecord/people/", {"file": upload})
    assert response.status_code == 200
    assert "Upload a file ending in" in response.text


def test_the_people_template_downloads_and_imports():
    from imports.spreadsheets import template_csv

    GroupFactory(name="Sample working group")
    report = _preview(template_csv().encode())
    assert [(r.action, r.errors) for r in report.rows] == [("create", [])]
