"""Previews and confirmed imports: nothing is written before the editor confirms.

A preview is a dry run: the import runs inside a transaction that is rolled back, so
what it reports (created, updated with which fields, skipped, every error by row and
field) is what the confirmed import will do. The confirmed import runs in one
transaction: should anything fail, nothing of it stays.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import RowResult

from core.transactions import gathered_on_commit
from imports import people, spreadsheets
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


@dataclass
class Report:
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # about the whole file
    fatal: str = ""  # the file could not be read at all

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


def _run_people(data, file_name, *, dry_run):
    try:
        sheet = spreadsheets.read(data, file_name)
    except spreadsheets.SpreadsheetError as error:
        return Report(fatal=str(error)), None
    resource = people.PersonResource()
    result = resource.import_data(
        sheet.dataset, dry_run=dry_run, use_transactions=True, raise_errors=False
    )
    return _people_report(result, sheet), result


def people_preview(*, record: ImportRecord) -> Report:
    """What importing the record's spreadsheet would do; nothing is written."""
    report, _result = _run_people(bytes(record.source), record.file_name, dry_run=True)
    return report


@transaction.atomic
def people_import(*, record: ImportRecord) -> Report:
    """Import the spreadsheet for good, in one transaction, and record what it did.

    Rows with errors are left out (the preview showed them); an unexpected failure of any
    row undoes the whole import (ImportFailed).
    """
    with gathered_on_commit():
        report, result = _run_people(bytes(record.source), record.file_name, dry_run=False)
    if report.fatal or result.has_errors():
        raise ImportFailed(report.fatal or _("A row could not be saved; nothing was imported."))
    people_ids, membership_ids = set(), set()
    for row_result in result.rows:
        instance = row_result.instance
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            people_ids.add(instance.pk)
            if getattr(instance, "import_membership", None) is not None:
                membership_ids.add(instance.import_membership.pk)
    record.people.add(*people_ids)
    record.memberships.add(*membership_ids)
    _finish(record, report)
    return report


def _finish(record, report):
    counts = report.counts
    record.status = ImportStatus.DONE
    record.imported_at = timezone.now()
    record.created_count = counts[CREATE]
    record.updated_count = counts[UPDATE]
    record.skipped_count = counts[SKIP]
    record.error_count = counts[ERROR]
    # The files served their purpose: the records now hold what they said.
    record.source = b""
    record.attachments = b""
    record.save()


# --- Publications -----------------------------------------------------------------------


def _publications_report(plans, file_errors):
    report = Report(notes=list(file_errors))
    for entry in plans:
        reference = entry.reference
        row = RowReport(reference.number, entry.action, reference.title or reference.key)
        if entry.duplicate_of is not None:
            row.match = _("already on the site: “%(title)s”") % {"title": entry.duplicate_of}
        elif entry.duplicate_entry:
            row.match = _("same as entry %(number)d of this file") % {
                "number": entry.duplicate_entry
            }
        row.errors = [(field_label(name), message) for name, message in entry.errors]
        row.entry = entry
        report.rows.append(row)
    return report


def field_label(name):
    from publications.models import Publication

    try:
        return str(Publication._meta.get_field(name).verbose_name)
    except Exception:
        return {"date": _("publication date")}.get(name, name)


def _plan(record):
    from imports import publications, references

    try:
        plans, file_errors, pdf_source = publications.plan(
            bytes(record.source), record.file_name, bytes(record.attachments)
        )
    except references.ReferenceError as error:
        return Report(fatal=str(error)), None, None
    return _publications_report(plans, file_errors), plans, pdf_source


def publications_preview(*, record: ImportRecord) -> Report:
    report, _plans, _pdfs = _plan(record)
    return report


@transaction.atomic
def publications_import(*, record: ImportRecord, choices: dict) -> Report:
    """Create the new drafts in one transaction and record them on the import."""
    from imports import publications

    report, plans, pdf_source = _plan(record)
    if report.fatal:
        raise ImportFailed(report.fatal)
    with gathered_on_commit():
        created = publications.execute(plans, choices, pdf_source)
    record.publications.add(*created)
    _finish(record, report)
    return report


def preview(*, record):
    if record.kind == ImportKind.PEOPLE:
        return people_preview(record=record)
    return publications_preview(record=record)
