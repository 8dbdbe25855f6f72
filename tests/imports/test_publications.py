"""Importing publications from BibTeX and RIS: preview, matching, duplicates, round trip."""

import datetime
import io
import random
import zipfile

import pytest

from groups import sample as groups_sample
from groups.models import Person
from imports import services
from imports.models import ImportKind, ImportStatus
from imports.publications import NAME
from publications import citations, selectors
from publications import sample as publications_sample
from publications.models import Authorship, DatePrecision, Publication
from tests.factories import GroupFactory, PersonFactory, PublicationFactory, TopicFactory, pdf_bytes

pytestmark = pytest.mark.django_db

RIS = """TY  - RPRT
ID  - first
TI  - A sample imported report
AU  - Sample, Ada
AU  - Nobody, Known
PY  - 2003
DA  - 2003/05//
AB  - A sample abstract.
KW  - Sample working group
KW  - Sample topic
ER  -

TY  - JOUR
TI  - Already here
PY  - 2002
DO  - 10.1234/already
ER  -
"""


def _record(data, name, attachments=b""):
    return services.record_upload(
        kind=ImportKind.PUBLICATIONS,
        user=None,
        file_name=name,
        data=data.encode() if isinstance(data, str) else data,
        attachments_name="pdfs.zip" if attachments else "",
        attachments=attachments,
    )


def test_ris_preview_matches_authors_finds_duplicates_and_writes_nothing():
    ada = PersonFactory(given_name="Ada", family_name="Sample")
    group = GroupFactory(name="Sample working group")
    topic = TopicFactory(name="Sample topic")
    PublicationFactory(title="Something else", doi="10.1234/ALREADY")
    report = services.publications_preview(record=_record(RIS, "refs.ris"))
    assert [(row.number, row.action) for row in report.rows] == [(1, "create"), (2, "skip")]
    entry = report.rows[0].entry
    assert [(a.person, a.how) for a in entry.authors] == [(ada, "name"), (None, "")]
    assert (entry.groups, entry.topics) == ([group], [topic])
    assert entry.reference.published_on == datetime.date(2003, 5, 1)
    assert entry.reference.date_precision == DatePrecision.MONTH
    assert Publication.objects.count() == 1


def test_confirmed_import_creates_drafts_once_with_the_chosen_authors():
    ada = PersonFactory(given_name="Ada", family_name="Sample")
    record = _record(RIS, "refs.ris")
    report = services.publications_import(record=record, choices={(1, 1): NAME})
    assert report.counts == {"create": 2, "update": 0, "skip": 0, "error": 0}
    publication = Publication.objects.get(title="A sample imported report")
    assert publication.status == "draft"
    assert [(a.person, a.name) for a in publication.authorships.all()] == [
        (ada, ""),
        (None, "Known Nobody"),
    ]
    record.refresh_from_db()
    assert (record.status, record.created_count, record.source) == (ImportStatus.DONE, 2, b"")
    assert set(record.publications.all()) == set(Publication.objects.all())
    again = services.publications_import(record=_record(RIS, "refs.ris"), choices={})
    assert again.counts["create"] == 0
    assert Publication.objects.count() == 2


def test_bibtex_with_a_syntax_error_halfway_reports_it_and_reads_the_rest():
    text = (
        "@techreport{a, title={First}, year={2003}}\n"
        "@misc{b, title={Broken\n"
        "@misc{c, title={Third}, year={2004}}\n"
    )
    report = services.publications_preview(record=_record(text, "refs.bib"))
    assert [row.label for row in report.rows] == ["First", "Third"]
    assert len(report.notes) == 1
    assert "line 2" in report.notes[0]


@pytest.mark.parametrize("data", [b"", b"\xff\xfe garbage", b"just some words"])
def test_unreadable_reference_files_get_a_clear_message(data):
    report = services.publications_preview(record=_record(data, "refs.bib" if data else "x.txt"))
    assert report.fatal or report.notes or report.rows == []


def _zip(files, *, compress=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_pdfs_in_a_zip_follow_their_entries_and_bad_ones_are_errors(settings):
    text = (
        "@techreport{good, title={Good}, year={2003}}\n@techreport{bad, title={Bad}, year={2003}}\n"
    )
    pdfs = _zip({"papers/good.pdf": pdf_bytes(), "bad.pdf": b"<html>not a pdf</html>"})
    report = services.publications_preview(record=_record(text, "refs.bib", pdfs))
    assert [(row.label, row.action) for row in report.rows] == [
        ("Good", "create"),
        ("Bad", "error"),
    ]
    assert report.rows[0].entry.pdf_name == "good.pdf"


def test_a_zip_bomb_is_refused_before_unpacking(settings):
    bomb = _zip(
        {"a.pdf": b"0" * (600 * 1024 * 1024 // 100)}
        | {f"{n}.pdf": b"0" * (6 * 1024 * 1024) for n in range(90)}
    )
    text = "@techreport{a, title={A}, year={2003}}\n"
    report = services.publications_preview(record=_record(text, "refs.bib", bomb))
    assert any("Unpacked" in note for note in report.notes)
    assert report.rows[0].entry.pdf_name == ""


@pytest.mark.parametrize("fmt", ["bibtex", "ris"])
def test_round_trip_of_the_sample_publications(fmt):
    rng = random.Random(18)
    groups_sample.generate(people=5, groups=2, rng=rng)
    publications_sample.generate(publications=30, rng=rng)
    for publication in Publication.objects.order_by("pk")[:3]:
        publication.subtitle = f"A sample subtitle: part {publication.pk}"
        publication.save()
    originals = list(selectors.for_export(Publication.objects.order_by("pk")))
    text = getattr(citations, fmt)(originals)
    expected = [_shape(p, fmt) for p in originals]
    # An empty site: no publication, no person.
    Authorship.objects.all().delete()
    Publication.objects.all().delete()
    Person.objects.all().delete()
    services.publications_import(
        record=_record(text, f"refs.{'bib' if fmt == 'bibtex' else 'ris'}"), choices={}
    )
    imported = [_shape(p, fmt) for p in selectors.for_export(Publication.objects.order_by("pk"))]
    assert imported == expected
    # The same file again: every entry is already on the site, subtitles included.
    report = services.publications_preview(
        record=_record(text, f"refs.{'bib' if fmt == 'bibtex' else 'ris'}")
    )
    assert report.counts["skip"] == len(expected)


def _shape(publication, fmt):
    # BibTeX carries the subtitle in its own field; RIS has none: its title is the full
    # title ("Title: Subtitle"), imported as the title.
    title = (
        (publication.title, publication.subtitle)
        if fmt == "bibtex"
        else citations.full_title(publication)
    )
    return (
        title,
        publication.kind,
        publication.published_on,
        publication.date_precision,
        publication.abstract,
        [a.display_name for a in publication.authorships.all()],
    )


def test_a_failure_halfway_through_the_import_leaves_nothing(monkeypatch):
    original_save = Authorship.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Authorship, "save", failing_save)
    record = _record(RIS, "refs.ris")
    with pytest.raises(RuntimeError):
        services.publications_import(record=record, choices={})
    assert Publication.objects.count() == 0
    record.refresh_from_db()
    assert record.status != ImportStatus.DONE


@pytest.mark.parametrize("entries", [1, 3])
def test_preview_reads_the_site_in_a_fixed_number_of_queries(entries, django_assert_num_queries):
    PersonFactory(given_name="Ada", family_name="Sample")
    text = "".join(
        f"@techreport{{k{n}, title={{Sample {n}}}, author={{Sample, Ada and Doe, Jo}}, "
        f"year={{2003}}, doi={{10.1/{n}}}, keywords={{x, y}}}}\n"
        for n in range(entries)
    )
    record = _record(text, "refs.bib")
    # Publications by title, by DOI; people by family name or ORCID; groups; topics.
    with django_assert_num_queries(5):
        services.publications_preview(record=record)
