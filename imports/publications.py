"""Publications from BibTeX and RIS: the plan shown in the preview, then the import.

`plan()` reads the file and decides, without writing, what each entry becomes: a new
draft (with its authors matched to people of the site by ORCID iD, then exact name,
otherwise kept as names; groups and topics from keywords naming existing ones; a PDF
from the ZIP), a duplicate skipped (same DOI, or same title and date; also within the
file), or an error. `execute()` carries the plan out with the editor's choices.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.models import Status
from core.validators import validate_pdf_upload
from groups.models import Group, Person
from imports import references as refs
from publications.models import Authorship, Publication, Topic
from publications.services import publication_file_changed

# A ZIP of PDFs: each file at most the admin's limit; all of them together at most this
# many MB once uncompressed (a "zip bomb" is refused before anything is unpacked).
MAX_ZIP_UNCOMPRESSED_MB = 500
MAX_ZIP_MEMBERS = 5_000
NAME = "name"  # the author choice "keep as a name"


@dataclass
class AuthorPlan:
    author: refs.Author
    person: Person | None = None
    how: str = ""  # "orcid" or "name"
    candidates: list = field(default_factory=list)


@dataclass
class EntryPlan:
    reference: refs.Reference
    action: str = "create"
    duplicate_of: Publication | None = None
    duplicate_entry: int | None = None  # an earlier entry of the same file
    authors: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    pdf_name: str = ""
    errors: list = field(default_factory=list)


def _full_title(publication):
    return (
        f"{publication.title}: {publication.subtitle}"
        if publication.subtitle
        else publication.title
    )


def _existing(references):
    """Existing publications sharing a DOI, or a title and date, with an entry."""
    dois = {r.doi.casefold() for r in references if r.doi}
    titles = set()
    for r in references:
        titles.add(r.full_title)
        titles.add(r.full_title.split(": ", 1)[0])
    by_doi, by_title = {}, {}
    candidates = Publication.objects.only("title", "subtitle", "published_on", "doi", "slug")
    found = list(candidates.filter(title__in=titles))
    if dois:
        found += candidates.annotate(doi_lower=Lower("doi")).filter(doi_lower__in=dois)
    for publication in found:
        if publication.doi:
            by_doi[publication.doi.casefold()] = publication
        by_title[(_full_title(publication).casefold(), publication.published_on)] = publication
    return by_doi, by_title


def _people(references):
    """People who may be the entries' authors: by ORCID iD, or by family name."""
    orcids = {a.orcid for r in references for a in r.authors if a.orcid}
    families = {a.family.casefold() for r in references for a in r.authors if not a.is_organisation}
    by_orcid, by_family = {}, {}
    people = Person.objects.annotate(family_lower=Lower("family_name"))
    for person in people.filter(family_lower__in=families) | people.filter(orcid__in=orcids):
        if person.orcid:
            by_orcid[person.orcid] = person
        by_family.setdefault(person.family_name.casefold(), []).append(person)
    return by_orcid, by_family


def _named(model, field_names):
    index = {}
    for obj in model.objects.all():
        for name in field_names:
            index[getattr(obj, name).casefold()] = obj
    return index


def zip_names(data):
    """{file name: ZipInfo} of a ZIP of PDFs; ValidationError when it is refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(
            _("The PDF files must come as a ZIP file; this one cannot be read.")
        ) from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise ValidationError(
            _("The ZIP holds more than %(limit)d files.") % {"limit": MAX_ZIP_MEMBERS}
        )
    total = sum(info.file_size for info in members)
    if total > MAX_ZIP_UNCOMPRESSED_MB * 1024 * 1024:
        raise ValidationError(
            _("Unpacked, the ZIP would take %(size)d MB; the most accepted is %(limit)d MB.")
            % {"size": total // (1024 * 1024), "limit": MAX_ZIP_UNCOMPRESSED_MB}
        )
    return archive, {info.filename.replace("\\", "/").rsplit("/", 1)[-1]: info for info in members}


def read_pdf(archive, info):
    """One PDF from the ZIP, read no further than the admin's limit, through its checks."""
    limit = settings.MAX_DOCUMENT_UPLOAD_MB * 1024 * 1024
    with archive.open(info) as member:
        # The size in the ZIP's directory may lie: read one byte past the limit at most.
        data = member.read(limit + 1)
    upload = SimpleUploadedFile(info.filename.rsplit("/", 1)[-1][:100], data, "application/pdf")
    validate_pdf_upload(upload)
    return upload


def plan(data, file_name, attachments=b"", progress=None):
    """([EntryPlan], errors about the file) — nothing is written.

    `progress` (imports.progress.Progress) counts the entries planned.
    """
    references, file_errors = refs.read(data, file_name)
    if progress is not None:
        progress.start(len(references))
    by_doi, by_title = _existing(references)
    by_orcid, by_family = _people(references)
    groups = _named(Group, ["name", "slug"])
    topics = _named(Topic, ["name", "slug"])
    archive, pdfs = (None, {})
    if attachments:
        try:
            archive, pdfs = zip_names(attachments)
        except ValidationError as error:
            file_errors += error.messages
    plans, seen = [], {}
    for reference in references:
        entry = EntryPlan(reference, errors=list(reference.errors))
        title_key = (reference.full_title.casefold(), reference.published_on)
        doi_key = reference.doi.casefold()
        entry.duplicate_of = (doi_key and by_doi.get(doi_key)) or by_title.get(title_key)
        earlier = (doi_key and seen.get(doi_key)) or seen.get(title_key)
        if entry.errors:
            entry.action = "error"
        elif entry.duplicate_of or earlier:
            entry.action = "skip"
        else:
            seen[title_key] = reference.number
            if doi_key:
                seen[doi_key] = reference.number
        if earlier and not entry.duplicate_of:
            entry.duplicate_entry = earlier
        for author in reference.authors:
            author_plan = AuthorPlan(author)
            if not author.is_organisation:
                author_plan.candidates = by_family.get(author.family.casefold(), [])
                if author.orcid and author.orcid in by_orcid:
                    author_plan.person, author_plan.how = by_orcid[author.orcid], "orcid"
                else:
                    for person in author_plan.candidates:
                        if person.given_name.casefold() == author.given.casefold():
                            author_plan.person, author_plan.how = person, "name"
                            break
            entry.authors.append(author_plan)
        for keyword in reference.keywords:
            if group := groups.get(keyword.casefold()):
                entry.groups.append(group)
            if topic := topics.get(keyword.casefold()):
                entry.topics.append(topic)
        if entry.action == "create":
            for name in [reference.key + ".pdf", *reference.files]:
                if name in pdfs:
                    try:
                        read_pdf(archive, pdfs[name])
                        entry.pdf_name = name
                    except ValidationError as error:
                        entry.errors += [("file", f"{name}: {m}") for m in error.messages]
                        entry.action = "error"
                    break
            _validate(entry)
        plans.append(entry)
        if progress is not None:
            progress.step()
    return plans, file_errors, (archive, pdfs)


def _build(entry):
    reference = entry.reference
    return Publication(
        title=reference.title,
        subtitle=reference.subtitle,
        kind=reference.kind,
        published_on=reference.published_on,
        date_precision=reference.date_precision,
        abstract=reference.abstract,
        doi=reference.doi,
        external_url=reference.url,
        status=Status.DRAFT,
    )


def _validate(entry):
    """The field checks of the model, as the admin makes them.

    Without the database's checks, each a query: the slug is made unique later, and the
    check constraints (a date matching its precision) hold by how the entry was read.
    """
    try:
        _build(entry).full_clean(
            exclude=["slug"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        entry.errors += [
            (name, m) for name, messages in error.message_dict.items() for m in messages
        ]
        entry.action = "error"


def _unique_slug(title, taken):
    base = slugify(title)[:100] or "publication"
    slug, number = base, 1
    while slug in taken or slug in {"feed", "cite"}:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def execute(plans, choices, pdf_source, progress=None):
    """Create the planned drafts with the editor's author choices; the new publications.

    `choices`: {(entry number, author index): person or NAME}. Called inside the
    import's transaction (services.publications_import).
    """
    archive, pdfs = pdf_source
    taken = set(Publication.objects.values_list("slug", flat=True))
    created = []
    if progress is not None:
        progress.start(len(plans))
    for entry in plans:
        if progress is not None:
            progress.step()
        if entry.action != "create":
            continue
        publication = _build(entry)
        publication.slug = _unique_slug(publication.title, taken)
        publication.save()
        for position, author_plan in enumerate(entry.authors, start=1):
            person = choices.get((entry.reference.number, position - 1), author_plan.person)
            author = author_plan.author
            if person and person != NAME:
                Authorship(publication=publication, person=person, position=position).save()
            else:
                Authorship(
                    publication=publication,
                    name=author.name[:200],
                    position=position,
                    is_organisation=author.is_organisation,
                ).save()
        if entry.groups:
            publication.groups.add(*entry.groups)
        if entry.topics:
            publication.topics.add(*entry.topics)
        if entry.pdf_name:
            publication.file.save(
                entry.pdf_name, read_pdf(archive, pdfs[entry.pdf_name]), save=True
            )
            publication_file_changed(publication=publication)
        created.append(publication)
    return created
