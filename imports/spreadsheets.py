"""Reading a people spreadsheet (CSV or XLSX) as it comes from a secretariat's desk.

Encodings (UTF-8 with or without BOM, Windows-1252, Latin-1), separators (comma,
semicolon, tab), empty rows, a title row or merged cells above the header, columns
named in the editor's words ("E-mail", "Family name", "Rôle" ...): all become one
tablib Dataset with the resource's column names, and for each of its rows the row's
number in the file, so that every message can say "row 12".
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext as _

from core.spreadsheets import cell_text

# Column names the import understands, by the resource's field; headers are compared
# without case, accents, spaces or punctuation.
COLUMNS = {
    "given_name": ["given name", "first name", "given names", "firstname", "prenom"],
    "family_name": ["family name", "last name", "surname", "lastname", "nom de famille", "nom"],
    "name": ["name", "full name", "nom complet"],
    "honorific": ["honorific", "title", "titre"],
    "affiliation": ["affiliation", "institution", "organisation", "organization"],
    "country": ["country", "pays"],
    "email": ["email", "e-mail", "e-mail address", "email address", "courriel"],
    "orcid": ["orcid", "orcid id", "orcid ID"],
    "group": ["group", "working group", "groupe"],
    "role": ["role", "rôle"],
    "start_date": ["start date", "start", "from", "date de debut", "debut"],
    "end_date": ["end date", "end", "until", "to", "date de fin", "fin"],
}
# The template offered for download (the order of its columns).
TEMPLATE_COLUMNS = [
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("affiliation", "Affiliation"),
    ("country", "Country"),
    ("email", "E-mail"),
    ("orcid", "ORCID"),
    ("group", "Group"),
    ("role", "Role"),
    ("start_date", "Start date"),
    ("end_date", "End date"),
]
# How far down a title row or merged cells may push the header.
HEADER_SEARCH_ROWS = 10
# The largest file accepted (a 10,000-row file weighs about 1 MB).
MAX_ROWS = 20_000


def _key(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return "".join(char for char in text.lower() if char.isalnum())


_ALIASES = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


class SpreadsheetError(Exception):
    """The file cannot be read at all; the message says why, for the editor."""


@dataclass
class Sheet:
    dataset: tablib.Dataset
    row_numbers: list = field(default_factory=list)  # the file's row number of each row
    ignored_columns: list = field(default_factory=list)
    encoding: str = ""


def decode(data):
    """The text of a CSV file: UTF-8 (a BOM or none), else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Latin-1 decodes every byte: the last resort always succeeds.
    return data.decode("latin-1"), "latin-1"


def _csv_rows(data):
    text, encoding = decode(data)
    sample = "\n".join(text.splitlines()[: HEADER_SEARCH_ROWS + 5])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        # One column, or nothing the sniffer recognises: the most frequent separator.
        delimiter = max(",;\t", key=sample.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader), encoding
    except csv.Error as error:
        raise SpreadsheetError(
            _("The file could not be read as CSV (%(error)s).") % {"error": error}
        ) from error


def _xlsx_rows(data):
    import openpyxl

    try:
        # Not read-only: merged cells are only known in the full mode. Formulas are read
        # as their text ("=A1+1"), never computed: a cell starting with "=" is text.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SpreadsheetError(
            _("The file is not an Excel workbook (.xlsx) that can be read.")
        ) from error
    sheet = workbook.worksheets[0]
    # A merged cell holds its value in its first cell only: give it to the whole range,
    # so that a header merged over two columns names both.
    merged = {}
    for cell_range in sheet.merged_cells.ranges:
        value = sheet.cell(cell_range.min_row, cell_range.min_col).value
        for row in range(cell_range.min_row, cell_range.max_row + 1):
            for column in range(cell_range.min_col, cell_range.max_col + 1):
                merged[row, column] = value
    rows = []
    for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append(
            [merged.get((row_number, column), value) for column, value in enumerate(row, start=1)]
        )
    return rows, "xlsx"


def _text(value):
    if hasattr(value, "isoformat"):
        # A date typed into Excel arrives as a datetime: keep its day.
        return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    return cell_text(value)


def read(data, file_name):
    """A Sheet from the uploaded bytes; SpreadsheetError when it cannot be read."""
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if file_name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        rows, encoding = _xlsx_rows(data)
    else:
        rows, encoding = _csv_rows(data)
    rows = [[_text(value) for value in row] for row in rows]
    header_index, columns = _find_header(rows)
    if header_index is None:
        raise SpreadsheetError(
            _(
                "No header row was found. The first row should name the columns, such as "
                "“Given name”, “Family name”, “Group” and “Role” (see the template)."
            )
        )
    names = [name for name in columns if name]
    dataset = tablib.Dataset(headers=names)
    row_numbers = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = [row[i] if i < len(row) else "" for i, name in enumerate(columns) if name]
        if not any(values):
            continue  # an empty row
        if len(dataset) >= MAX_ROWS:
            raise SpreadsheetError(
                _("The file has more than %(limit)d rows; split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
        dataset.append(values)
        row_numbers.append(offset)
    ignored = [rows[header_index][i] for i, name in enumerate(columns) if not name]
    return Sheet(dataset, row_numbers, [name for name in ignored if name], encoding)


def _find_header(rows):
    """The index of the header row (the one naming most known columns) and its columns."""
    best, best_columns, best_count = None, [], 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns, seen = [], set()
        for value in row:
            name = _ALIASES.get(_key(value))
            # A column named twice (merged cells) is read once, from its first column.
            columns.append(name if name not in seen else None)
            seen.add(name)
        count = len(seen - {None})
        if count > best_count:
            best, best_columns, best_count = index, columns, count
    if best_count < 2:
        return None, []
    return best, best_columns


def template_csv():
    """The sample CSV offered on the import page: the columns and one sample row."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([label for _name, label in TEMPLATE_COLUMNS])
    writer.writerow(
        [
            "Sample",
            "Person",
            "Sample University",
            "KE",
            "sample.person@example.org",
            "0000-0002-1825-0097",
            "Sample working group",
            "Member",
            "2003-01-15",
            "",
        ]
    )
    return "\ufeff" + output.getvalue()  # a BOM: Excel then reads the file as UTF-8
