"""Reading BibTeX and RIS files into entries the import understands.

The same libraries as the exports (bibtexparser 2, rispy) and the same mapping tables
(publications.citations), read backwards: a file the site exported comes back with its
title, kind, date at its precision, authors in order and abstract.
"""

import datetime
import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from django.utils.translation import gettext as _
from pylatexenc.latex2text import LatexNodes2Text

from imports.spreadsheets import decode
from publications.citations import BIBTEX_TYPES, GENRES, RIS_TYPES, name_parts
from publications.models import DatePrecision, PublicationKind

# The exports' tables read backwards, and the types reference managers write besides.
BIBTEX_KINDS = {value: kind for kind, value in BIBTEX_TYPES.items()} | {
    "techreport": PublicationKind.REPORT,
    "report": PublicationKind.REPORT,
    "book": PublicationKind.REPORT,
    "unpublished": PublicationKind.WORKING_PAPER,
}
RIS_KINDS = {value: kind for kind, value in RIS_TYPES.items()} | {
    "RPRT": PublicationKind.REPORT,
    "BOOK": PublicationKind.REPORT,
    "EJOUR": PublicationKind.ARTICLE,
    "UNPB": PublicationKind.WORKING_PAPER,
}
GENRE_KINDS = {genre.casefold(): kind for kind, genre in GENRES.items()}
ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", re.IGNORECASE)
MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
# The largest reference file accepted (5,000 entries weigh about 5 MB).
MAX_ENTRIES = 10_000


class ReferenceError(Exception):
    """The file cannot be read at all; the message says why, for the editor."""


@dataclass
class Author:
    given: str
    family: str
    is_organisation: bool = False
    orcid: str = ""

    @property
    def name(self):
        return f"{self.given} {self.family}".strip()


@dataclass
class Reference:
    number: int  # the entry's place in the file, from 1
    key: str = ""
    kind: str = PublicationKind.REPORT
    title: str = ""
    subtitle: str = ""  # BibTeX's (biblatex) subtitle field; RIS has none
    published_on: datetime.date | None = None
    date_precision: str = DatePrecision.UNKNOWN
    abstract: str = ""
    authors: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    doi: str = ""
    url: str = ""
    files: list = field(default_factory=list)  # file names the entry names
    errors: list = field(default_factory=list)  # (field, message)
    line: int | None = None

    @property
    def full_title(self):
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title


def _clean(value):
    return " ".join(str(value or "").split())


def _doi(value):
    value = _clean(value)
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)


def _date(reference, year, month="", day=""):
    """Set the date at the precision the file gives; an error when it is not a date."""
    year, month, day = _clean(year), _clean(month).lower()[:3], _clean(day)
    if not year:
        return
    try:
        month_number = int(month) if month.isdigit() else MONTHS.get(month)
        if month and month_number is None:
            raise ValueError(month)
        reference.published_on = datetime.date(
            int(year[:4]), month_number or 1, int(day) if day and month_number else 1
        )
    except ValueError:
        reference.errors.append(
            (
                "date",
                _("“%(value)s” is not a date.")
                % {"value": " ".join(p for p in (year, month, day) if p)},
            )
        )
        return
    if day and month_number:
        reference.date_precision = DatePrecision.DAY
    elif month_number:
        reference.date_precision = DatePrecision.MONTH
    else:
        reference.date_precision = DatePrecision.YEAR


def _person(text, orcid=""):
    text = _clean(text)
    family, given = name_parts(text)
    return Author(given=given, family=family, orcid=orcid)


def _file_names(value):
    """File names in a BibTeX `file` field (JabRef, Zotero: "desc:path:type;...") or RIS link."""
    names = []
    for part in str(value or "").split(";"):
        pieces = part.split(":")
        path = pieces[1] if len(pieces) >= 3 else part
        path = path.replace("\\", "/").strip()
        if path.startswith("file://"):
            path = path[len("file://") :]
        if name := path.rsplit("/", 1)[-1]:
            names.append(name)
    return names


# --- BibTeX ---------------------------------------------------------------------------

_LATEX = LatexNodes2Text()


# Characters that mean something to LaTeX: a value without any is already its own text
# (and pylatexenc, at about a millisecond a field, is the slowest part of reading a file).
_LATEX_SPECIAL = re.compile(r"[\\{}$~%&_^]")


def _latex_text(value):
    if not _LATEX_SPECIAL.search(str(value)):
        return _clean(value)
    try:
        return _clean(_LATEX.latex_to_text(str(value)))
    except Exception:
        return _clean(value)


def _bibtex_authors(value, orcids):
    authors = []
    for name in _split_and(value):
        name = name.strip()
        if name.startswith("{") and name.endswith("}") and _balanced(name[1:-1]):
            authors.append(Author(given="", family=_latex_text(name[1:-1]), is_organisation=True))
            continue
        text = _latex_text(name)
        orcid = orcids.get(text.casefold(), "")
        if match := ORCID.search(text):
            orcid, text = match.group(0).upper(), _clean(text.replace(match.group(0), ""))
        authors.append(_person(text, orcid))
    return authors


def _balanced(text):
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _split_and(value):
    """Split an author list on " and " outside braces (BibTeX's rule)."""
    names, depth, start, text = [], 0, 0, str(value)
    index = 0
    while index < len(text):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and text[index : index + 5].lower() == " and ":
            names.append(text[start:index])
            start = index = index + 5
            continue
        index += 1
    names.append(text[start:])
    return [name for name in names if name.strip()]


def _orcid_numbers(value):
    """Web of Science's `orcid-numbers = {Family, Given/0000-...; ...}`: {name: ORCID}."""
    found = {}
    for part in str(value or "").split(";"):
        name, _slash, orcid = part.rpartition("/")
        if ORCID.fullmatch(orcid.strip()):
            family, given = name_parts(_clean(name))
            found[f"{given} {family}".strip().casefold()] = orcid.strip().upper()
    return found


def read_bibtex(text):
    library = bibtexparser.parse_string(text)
    references = []
    for number, entry in enumerate(library.entries, start=1):
        fields = {f.key.lower(): f.value for f in entry.fields}
        reference = Reference(number=number, key=entry.key, line=entry.start_line + 1)
        genre = _latex_text(fields.get("type", "")).casefold()
        reference.kind = GENRE_KINDS.get(genre) or BIBTEX_KINDS.get(
            entry.entry_type.lower(), PublicationKind.OTHER
        )
        reference.title = _latex_text(fields.get("title", ""))
        reference.subtitle = _latex_text(fields.get("subtitle", ""))
        if date := _clean(fields.get("date")):
            _date(reference, *([*date.split("-"), "", ""])[:3])
        else:
            _date(reference, fields.get("year", ""), fields.get("month", ""), fields.get("day", ""))
        reference.abstract = _latex_text(fields.get("abstract", ""))
        orcids = _orcid_numbers(fields.get("orcid-numbers"))
        reference.authors = _bibtex_authors(fields.get("author", ""), orcids)
        reference.keywords = [
            _latex_text(k) for k in re.split(r"[,;]", fields.get("keywords", "")) if k.strip()
        ]
        reference.doi = _doi(fields.get("doi"))
        reference.url = _clean(fields.get("url"))
        reference.files = _file_names(fields.get("file"))
        references.append(reference)
    errors = [
        _("The entry starting on line %(line)d has a syntax error and was not read: %(error)s")
        % {"line": block.start_line + 1, "error": _first_line(getattr(block, "error", ""))}
        for block in library.failed_blocks
    ]
    return references, errors


def _first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else _("unknown error")


# --- RIS ------------------------------------------------------------------------------


def read_ris(text):
    try:
        records = rispy.loads(text, skip_unknown_tags=True)
    except (OSError, ValueError, KeyError) as error:
        raise ReferenceError(
            _("The file could not be read as RIS (%(error)s).") % {"error": error}
        ) from error
    references = []
    for number, record in enumerate(records, start=1):
        reference = Reference(number=number, key=_clean(record.get("id")))
        genre = _clean(record.get("type_of_work")).casefold()
        reference.kind = GENRE_KINDS.get(genre) or RIS_KINDS.get(
            _clean(record.get("type_of_reference")).upper(), PublicationKind.OTHER
        )
        reference.title = _clean(record.get("title") or record.get("primary_title"))
        date = _clean(record.get("date") or record.get("publication_year"))
        parts = list(date.split("/")) if date else []
        if parts and parts[0]:
            _date(reference, *([*parts, "", ""])[:3])
        else:
            _date(reference, record.get("year", ""))
        reference.abstract = _clean(record.get("abstract") or record.get("notes_abstract"))
        for name in record.get("authors", []) or record.get("first_authors", []):
            name = _clean(name)
            if "," in name:
                author = _person(name)
                if match := ORCID.search(name):
                    author = _person(name.replace(match.group(0), ""), match.group(0).upper())
            else:
                # A name with no "Family, Given" parts: an organisation (the export writes
                # people as "Family, Given").
                author = Author(given="", family=name, is_organisation=True)
            reference.authors.append(author)
        reference.keywords = [_clean(k) for k in record.get("keywords", []) if _clean(k)]
        reference.doi = _doi(record.get("doi"))
        reference.url = _clean((record.get("urls") or [""])[0])
        for tag in ("file_attachments1", "file_attachments2", "link_to_pdf"):
            value = record.get(tag)
            for item in value if isinstance(value, list) else [value] if value else []:
                reference.files += _file_names(item)
        references.append(reference)
    return references, []


def read(data, file_name):
    """(references, errors about the file) from uploaded bytes: BibTeX or RIS by content."""
    text, _encoding = decode(data)
    if not text.strip():
        raise ReferenceError(_("The file is empty."))
    stripped = text.lstrip()
    if re.match(r"^TY  - ", stripped) or file_name.lower().endswith((".ris", ".txt")):
        references, errors = read_ris(text)
    elif stripped.startswith(("@", "%")) or file_name.lower().endswith(".bib"):
        references, errors = read_bibtex(text)
    else:
        raise ReferenceError(_("The file is neither BibTeX (.bib) nor RIS (.ris)."))
    if not references and not errors:
        raise ReferenceError(_("No reference was found in the file."))
    if len(references) > MAX_ENTRIES:
        raise ReferenceError(
            _("The file has more than %(limit)d entries; split it into smaller files.")
            % {"limit": MAX_ENTRIES}
        )
    for reference in references:
        if not reference.title:
            reference.errors.append(("title", _("The entry has no title.")))
    return references, errors
