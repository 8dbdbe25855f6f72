"""Previews and confirmed imports: nothing is written before the editor confirms.

A preview is a dry run: the import runs inside a transaction that is rolled back, so
what it reports (created, updated with which fields, skipped, every error by row and
field) is what the confirmed import will do. The confirmed import runs in one
transaction: should anything fail, nothing of it stays.
"""

import json
import logging
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import RowResult
from simple_history.models import HistoricalRecords

from core.transactions import gathered_on_commit
from imports import people, progress, spreadsheets
from imports.models import ImportKind, ImportRecord, ImportStatus

# What each row's fate is called on the preview and in the counts.
CREATE, UPDATE, SKIP, ERROR = "create", "update", "skip", "error"
ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: CREATE,
    RowResult.IMPORT_TYPE_UPDATE: UPDATE,
    RowResult.IMPORT_TYPE_SKIP: SKIP,
    RowResult.IMPORT_TYPE_INVALID: ERROR,
    RowResult.IMPORT_TYPE_ERROR: ERROR,
}
# The columns' names in the preview's messages (the template's headers stay English: the
# import reads them).
COLUMN_LABELS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "name": gettext_lazy("Name"),
    "honorific": gettext_lazy("Honorific"),
    "affiliation": gettext_lazy("Affiliation"),
    "country": gettext_lazy("Country"),
    "email": gettext_lazy("E-mail"),
    "orcid": gettext_lazy("ORCID"),
    "group": gettext_lazy("Group"),
    "role": gettext_lazy("Role"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
}


logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    """The confirmed import could not finish; nothing of it was written."""


@dataclass
class RowReport:
    number: int  # the row's number in the file (or the entry's, for BibTeX and RIS)
    action: str
    label: str = ""
    match: str = ""
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (field label, message)
    # A new publication's authors ({name, person id, how matched, candidates}), groups,
    # topics (names) and PDF.
    authors: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    pdf_name: str = ""


@dataclass
class Report:
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # about the whole file
    fatal: str = ""  # the file could not be read at all
    # Per row, what it does to which record (compared at the confirmed import).
    decisions: list = field(default_factory=list)

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in (CREATE, UPDATE, SKIP, ERROR)}


def record_upload(*, kind, user, file_name, data, attachments_name="", attachments=b""):
    """Keep the uploaded files until the editor confirms (or leaves) the preview."""
    return ImportRecord.objects.create(
        kind=kind,
        created_by=user,
        file_name=file_name[:255],
        source=data,
        attachments_name=attachments_name[:255],
        attachments=attachments,
    )


class Stale(ImportFailed):
    """The site changed since the preview: the import would not do what it showed."""


@contextmanager
def as_user(user):
    """History names `user` for every save made in the block (a task has no request)."""
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user) if user else None
    try:
        yield
    finally:
        HistoricalRecords.context.request = previous


def _normal(value):
    """`value` as it reads back from a JSONField (tuples as lists)."""
    return json.loads(json.dumps(value, default=str))


# --- People and roles -------------------------------------------------------------------


def _match_words(how):
    return {
        "orcid": _("same ORCID iD"),
        "email": _("same e-mail address"),
        "name": _("same name"),
    }.get(how, "")


def _row_errors(row_result):
    if row_result.validation_error is not None:
        errors = []
        for column, messages in row_result.validation_error.message_dict.items():
            label = "" if column == "__all__" else str(COLUMN_LABELS.get(column, column))
            errors += [(label, message) for message in messages]
        return errors
    return [
        ("", _("This row could not be imported: %(error)s") % {"error": error.error})
        for error in row_result.errors
    ]


def _people_report(result, sheet):
    report = Report()
    if sheet.ignored_columns:
        report.notes.append(
            _("These columns are not imported: %(columns)s.")
            % {"columns": ", ".join(sheet.ignored_columns)}
        )
    rows = sheet.dataset.dict  # tablib builds the list on every access: once
    for index, row_result in enumerate(result.rows):
        values = rows[index]
        instance = row_result.instance
        label = " ".join(
            part
            for part in (values.get("given_name"), values.get("family_name"), values.get("name"))
            if part
        )
        row = RowReport(sheet.row_numbers[index], ACTIONS[row_result.import_type], label)
        if instance is not None:
            row.changes = [
                str(COLUMN_LABELS.get(c, c)) for c in getattr(instance, "import_changes", [])
            ]
            if getattr(instance, "import_membership", None) is not None:
                row.changes.append(_("new role: %(role)s") % {"role": instance.import_membership})
            if instance.pk:
                row.match = _match_words(getattr(instance, "import_match", ""))
        if row.action == SKIP:
            row.match = row.match or _("already on the site")
        row.errors = _row_errors(row_result)
        report.rows.append(row)
    return report


def _people_decisions(result, sheet):
    """Per row, what the import does to which record: [row, action, person, changes, role].

    A person is named by id when on the site before the import, as "row N" when an
    earlier row of the file creates them (their id differs between the preview and the
    import); a new role by its group, role and start date.
    """
    created, decisions = {}, []
    for index, row_result in enumerate(result.rows):
        action = ACTIONS[row_result.import_type]
        instance = row_result.instance
        number = sheet.row_numbers[index]
        target = None
        if instance is not None and instance.pk and action != ERROR:
            if action == CREATE:
                created[instance.pk] = number
            else:
                target = f"row {created[instance.pk]}" if instance.pk in created else instance.pk
        membership = getattr(instance, "import_membership", None) if action != ERROR else None
        decisions.append(
            [
                number,
                action,
                target,
                sorted(getattr(instance, "import_changes", []) if action == UPDATE else []),
                [membership.group_id, membership.role, membership.start_date]
                if membership is not None
                else None,
            ]
        )
    return _normal(decisions)


def _run_people(data, file_name, *, dry_run, counter=None):
    try:
        sheet = spreadsheets.read(data, file_name)
    except spreadsheets.SpreadsheetError as error:
        return Report(fatal=str(error)), None, []
    resource = people.PersonResource()
    resource.progress = counter
    result = resource.import_data(
        sheet.dataset, dry_run=dry_run, use_transactions=True, raise_errors=False
    )
    return _people_report(result, sheet), result, _people_decisions(result, sheet)


def people_preview(*, record: ImportRecord, counter=None) -> Report:
    """What importing the record's spreadsheet would do; nothing is written."""
    report, _result, report.decisions = _run_people(
        bytes(record.source), record.file_name, dry_run=True, counter=counter
    )
    return report


@transaction.atomic
def people_import(*, record: ImportRecord, expected=None, counter=None) -> Report:
    """Import the spreadsheet for good, in one transaction, and record what it did.

    Rows with errors are left out (the preview showed them); an unexpected failure of any
    row undoes the whole import (ImportFailed). `expected`: the preview's decisions; when
    the import would now decide otherwise (the site changed since), nothing is written
    (Stale).
    """
    with gathered_on_commit():
        report, result, decisions = _run_people(
            bytes(record.source), record.file_name, dry_run=False, counter=counter
        )
    if report.fatal or result.has_errors():
        raise ImportFailed(report.fatal or _("A row could not be saved; nothing was imported."))
    if expected is not None:
        _check_same(expected, decisions)
    people_ids, membership_ids = set(), set()
    created, updated = [], []
    for row_result in result.rows:
        instance = row_result.instance
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            people_ids.add(instance.pk)
            if row_result.import_type == RowResult.IMPORT_TYPE_NEW:
                created.append(instance.pk)
            elif instance.pk not in created:
                updated.append(instance.pk)
            if getattr(instance, "import_membership", None) is not None:
                membership_ids.add(instance.import_membership.pk)
    record.people.add(*people_ids)
    record.memberships.add(*membership_ids)
    # What a revert undoes: people created (deleted), people updated (back to the version
    # before the import), roles added (deleted).
    record.preview["written"] = {
        "created": sorted(set(created)),
        "updated": sorted(set(updated) - set(created)),
        "memberships": sorted(membership_ids),
    }
    _finish(record, report)
    return report


def _check_same(expected, decisions):
    """Raise Stale, naming the first row that changed, unless both decide the same."""
    expected, decisions = _normal(expected), _normal(decisions)
    for before, now in zip(expected, decisions, strict=False):
        if before != now:
            raise Stale(
                _(
                    "The site changed since the preview (row %(row)s would not be imported "
                    "as shown). Nothing was written; preview the file again."
                )
                % {"row": before[0]}
            )
    if len(expected) != len(decisions):
        raise Stale(
            _("The site changed since the preview. Nothing was written; preview the file again.")
        )


def _finish(record, report):
    counts = report.counts
    record.status = ImportStatus.DONE
    record.imported_at = timezone.now()
    record.created_count = counts[CREATE]
    record.updated_count = counts[UPDATE]
    record.skipped_count = counts[SKIP]
    record.error_count = counts[ERROR]
    record.failure = ""
    # The preview's rows served their purpose; what a revert needs stays.
    record.preview = {"written": record.preview.get("written", {})}
    # The files served their purpose: the records now hold what they said.
    record.source = b""
    record.attachments = b""
    record.save()


# --- Publications -----------------------------------------------------------------------


def _publications_report(plans, file_errors):
    report = Report(notes=list(file_errors))
    for entry in plans:
        reference = entry.reference
        row = RowReport(reference.number, entry.action, reference.full_title or reference.key)
        if entry.duplicate_of is not None:
            row.match = _("already on the site: “%(title)s”") % {"title": entry.duplicate_of}
        elif entry.duplicate_entry:
            row.match = _("same as entry %(number)d of this file") % {
                "number": entry.duplicate_entry
            }
        row.errors = [(field_label(name), message) for name, message in entry.errors]
        row.entry = entry  # the plan itself, for tests and callers (not stored)
        if entry.action == CREATE:
            row.authors = [_author_row(author) for author in entry.authors]
            row.groups = [str(group) for group in entry.groups]
            row.topics = [str(topic) for topic in entry.topics]
            row.pdf_name = entry.pdf_name
        report.rows.append(row)
    report.decisions = _normal(
        [
            [
                entry.reference.number,
                entry.action,
                entry.duplicate_of.pk if entry.duplicate_of is not None else None,
                entry.duplicate_entry,
                [a.person.pk if a.person is not None else None for a in entry.authors],
                sorted(group.pk for group in entry.groups),
                sorted(topic.pk for topic in entry.topics),
                entry.pdf_name,
            ]
            for entry in plans
        ]
    )
    return report


def _person_choice(person):
    return {
        "pk": person.pk,
        "name": person.full_name,
        "affiliation": person.affiliation,
        "orcid": person.orcid,
    }


def _author_row(author_plan):
    candidates = [_person_choice(person) for person in author_plan.candidates]
    person = author_plan.person
    if person is not None and person.pk not in {c["pk"] for c in candidates}:
        candidates.append(_person_choice(person))
    return {
        "name": author_plan.author.name,
        "person": person.pk if person is not None else None,
        "how": author_plan.how,
        "candidates": candidates,
    }


def field_label(name):
    from publications.models import Publication

    try:
        return str(Publication._meta.get_field(name).verbose_name)
    except Exception:
        return {"date": _("publication date")}.get(name, name)


def _plan(record, counter=None):
    from imports import publications, references

    try:
        plans, file_errors, pdf_source = publications.plan(
            bytes(record.source), record.file_name, bytes(record.attachments), progress=counter
        )
    except references.ReferenceError as error:
        return Report(fatal=str(error)), None, None
    return _publications_report(plans, file_errors), plans, pdf_source


def publications_preview(*, record: ImportRecord, counter=None) -> Report:
    report, _plans, _pdfs = _plan(record, counter)
    return report


def _chosen_people(choices):
    """The editor's choices as stored ({"entry-author": person id or NAME}) made into
    {(entry, author index): Person or NAME}; Stale when a chosen person is gone."""
    from groups.models import Person
    from imports.publications import NAME

    wanted = {}
    for key, value in (choices or {}).items():
        entry, index = (int(part) for part in key.split("-"))
        wanted[entry, index] = value
    people = Person.objects.in_bulk({v for v in wanted.values() if v != NAME})
    if any(v != NAME and v not in people for v in wanted.values()):
        raise Stale(
            _(
                "A person chosen as an author was deleted since the preview. Nothing was "
                "written; preview the file again."
            )
        )
    return {key: (NAME if v == NAME else people[v]) for key, v in wanted.items()}


@transaction.atomic
def publications_import(
    *, record: ImportRecord, choices: dict, expected=None, counter=None
) -> Report:
    """Create the new drafts in one transaction and record them on the import.

    `choices`: {(entry, author index): Person or NAME}, or as stored on the record
    ({"entry-index": person id or NAME}). `expected`: the preview's decisions (Stale
    when the plan differs now).
    """
    from imports import publications

    report, plans, pdf_source = _plan(record)
    if report.fatal:
        raise ImportFailed(report.fatal)
    if expected is not None:
        _check_same(expected, report.decisions)
    if choices and isinstance(next(iter(choices)), str):
        choices = _chosen_people(choices)
    with gathered_on_commit():
        created = publications.execute(plans, choices, pdf_source, progress=counter)
    record.publications.add(*created)
    record.preview["written"] = {"created": [p.pk for p in created], "updated": []}
    _finish(record, report)
    return report


def preview(*, record, counter=None):
    if record.kind == ImportKind.PEOPLE:
        return people_preview(record=record, counter=counter)
    return publications_preview(record=record, counter=counter)


# --- The tasks' work: preview, import, each with progress and a clear end -------------


def _stored(report):
    return {
        "rows": [asdict(row) for row in report.rows],
        "notes": [str(note) for note in report.notes],
        "fatal": str(report.fatal),
        "decisions": report.decisions,
    }


def preview_run(*, record_id):
    """The dry run of the record's file, stored on the record for its page (a task)."""
    record = ImportRecord.objects.get(pk=record_id)
    if record.status != ImportStatus.PREVIEWING:
        return
    record.started_at = timezone.now()
    record.save(update_fields=["started_at"])
    counter = progress.Progress(record.pk)
    try:
        with as_user(record.created_by):
            report = preview(record=record, counter=counter)
    except Exception:
        logger.exception("Import %s: the preview failed", record.pk)
        _fail(record, _("The preview stopped on an unexpected error; nothing was written."))
        return
    finally:
        counter.close()
    record.preview = _normal(_stored(report))
    counts = report.counts
    record.created_count = counts[CREATE]
    record.updated_count = counts[UPDATE]
    record.skipped_count = counts[SKIP]
    record.error_count = counts[ERROR]
    record.status = ImportStatus.FAILED if report.fatal else ImportStatus.PREVIEWED
    record.failure = str(report.fatal)
    record.progress_done = record.progress_total = len(report.rows)
    record.save()


def import_run(*, record_id):
    """The confirmed import of what the preview showed, in one transaction (a task)."""
    record = ImportRecord.objects.get(pk=record_id)
    if record.status != ImportStatus.IMPORTING:
        return
    expected = record.preview.get("decisions")
    if expected is None:  # uploaded before previews were stored
        _fail(record, _("This preview is out of date. Nothing was written; preview again."))
        return
    record.started_at = timezone.now()
    record.progress_done = 0
    record.save(update_fields=["started_at", "progress_done"])
    counter = progress.Progress(record.pk)
    try:
        with as_user(record.created_by):
            if record.kind == ImportKind.PEOPLE:
                people_import(record=record, expected=expected, counter=counter)
            else:
                publications_import(
                    record=record, choices=record.choices, expected=expected, counter=counter
                )
    except ImportFailed as error:
        record.refresh_from_db()
        _fail(record, str(error))
    except Exception:
        logger.exception("Import %s: the import failed", record.pk)
        record.refresh_from_db()
        _fail(record, _("The import stopped on an unexpected error; nothing was written."))
    finally:
        counter.close()


def _fail(record, message):
    record.status = ImportStatus.FAILED
    record.failure = message
    record.save(update_fields=["status", "failure"])
