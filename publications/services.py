"""Writes of publications that carry rules or side effects."""

import io
import logging
import shutil
import subprocess  # nosec B404 - runs our own extractor (publications/extract.py), no shell
import sys
import tempfile
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext
from pypdf import PdfReader

from core.transactions import on_commit_gathered
from publications import citations, selectors
from publications.models import Publication, TextStatus

logger = logging.getLogger(__name__)

# Width in pixels of a cover rendered from a PDF's first page (thumbnails are made from it).
COVER_WIDTH = 600


def _render_first_page(data):
    """The first page of a PDF as JPEG bytes, or None if the PDF cannot be rendered."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            scale = COVER_WIDTH / page.get_width()
            image = page.render(scale=scale).to_pil().convert("RGB")
        finally:
            document.close()
    except (pdfium.PdfiumError, IndexError, ValueError, ZeroDivisionError):
        logger.warning("Could not render a cover from the PDF", exc_info=True)
        return None
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


@transaction.atomic
def publication_file_changed(*, publication: Publication) -> Publication:
    """Record the PDF's size and page count; render a cover when none was uploaded.

    Called after the file field changed (the admin's save). The old file's text is
    cleared; a new file's is read by a task queued when the transaction commits. With the
    file removed, the size and page count are cleared; an uploaded cover is never replaced.
    """
    publication.text = ""
    text_fields = ["text", "text_status"]
    if not publication.file:
        publication.file_size = None
        publication.page_count = None
        publication.text_status = TextStatus.NONE
        publication.save(update_fields=["file_size", "page_count", *text_fields, "updated_at"])
        return publication
    with publication.file.open("rb") as handle:
        data = handle.read()
    publication.file_size = len(data)
    publication.page_count = len(PdfReader(io.BytesIO(data)).pages)
    publication.text_status = TextStatus.PENDING
    update_fields = ["file_size", "page_count", *text_fields, "updated_at"]
    if not publication.cover and (jpeg := _render_first_page(data)):
        publication.cover.save(f"{publication.slug}.jpg", ContentFile(jpeg), save=False)
        if not publication.cover_alt:
            publication.cover_alt = gettext("Cover of “%(title)s”") % {"title": publication.title}
        update_fields += ["cover", "cover_alt"]
    publication.save(update_fields=update_fields)
    _enqueue_text_extraction(publication)
    return publication


# How the worker runs the extractor: this interpreter, in a child process (tests replace it).
EXTRACT_COMMAND = [sys.executable, "-m", "publications.extract"]


def _enqueue_text_extraction(publication: Publication) -> None:
    """Queue the reading of the publication's PDF text once the current transaction commits.

    The task carries the file's name and size: a task still queued when the PDF is
    replaced finds them changed and stores nothing. `robust`: should the queue be
    unreachable, the publication stays pending for `manage.py extract_pdf_text`.
    """
    from publications.tasks import extract_publication_text

    arguments = {
        "publication_id": publication.pk,
        "file_name": publication.file.name,
        "file_size": publication.file_size,
    }
    transaction.on_commit(lambda: extract_publication_text.enqueue(**arguments), robust=True)


def publications_text_extract_again(*, queryset) -> int:
    """Queue the text extraction again for those of `queryset` that have a PDF; how many."""
    count = 0
    with transaction.atomic():
        for publication in queryset.exclude(file=""):
            publication.text_status = TextStatus.PENDING
            publication.save(update_fields=["text_status", "updated_at"])
            _enqueue_text_extraction(publication)
            count += 1
    return count


@contextmanager
def _local_path(field_file):
    """A path on this machine to the stored file: itself, or a temporary copy (object storage)."""
    try:
        path = field_file.path
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name


def _read_text(path: str) -> tuple[str, str]:
    """The PDF's text and its status, read by a child process with time and memory limits."""
    command = [
        *EXTRACT_COMMAND,
        "--max-chars",
        str(settings.PDF_TEXT_MAX_CHARS),
        "--memory-mb",
        str(settings.PDF_TEXT_MEMORY_MB),
        path,
    ]
    try:
        # Our own module, a list of arguments, no shell; the child gets no secrets from
        # the environment, since it parses files uploaded from anywhere.
        completed = subprocess.run(  # noqa: S603  # nosec B603
            command,
            capture_output=True,
            timeout=settings.PDF_TEXT_TIMEOUT_SECONDS,
            cwd=settings.BASE_DIR,
            env={"LC_ALL": "C.UTF-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning(
            "PDF text extraction stopped after %s seconds: %s",
            settings.PDF_TEXT_TIMEOUT_SECONDS,
            path,
        )
        return "", TextStatus.FAILED
    if completed.returncode != 0:
        logger.warning(
            "PDF text extraction failed (exit status %s) for %s: %s",
            completed.returncode,
            path,
            completed.stderr.decode("utf-8", "replace")[-500:].strip(),
        )
        return "", TextStatus.FAILED
    # PostgreSQL text cannot hold NUL; the extractor strips it, and so does this.
    text = completed.stdout.decode("utf-8", "replace").replace("\x00", "")
    text = text[: settings.PDF_TEXT_MAX_CHARS].strip()
    return text, (TextStatus.EXTRACTED if text else TextStatus.NO_TEXT)


def publication_text_extract(*, publication_id: int, file_name: str, file_size: int | None) -> str:
    """Read the text of a publication's PDF and store it; the status stored, or "stale".

    Runs in a worker (never in a web request) or in `manage.py extract_pdf_text`. When the
    publication is gone, or its file is no longer the one named (replaced or removed since
    the task was queued, or while it ran), nothing is stored: a newer task has that work.
    The save names its fields, so the search index (a post_save receiver) sees the text,
    and it queues nothing again (only a changed file does, `publication_file_changed`).
    """

    def current(*, lock=False):
        publications = Publication.objects.without_text()
        if lock:
            publications = publications.select_for_update()
        publication = publications.filter(pk=publication_id).first()
        if publication and (publication.file.name, publication.file_size) == (
            file_name,
            file_size,
        ):
            return publication
        logger.info("PDF text not stored: publication %s changed its file", publication_id)
        return None

    publication = current()
    if publication is None:
        return "stale"
    try:
        with _local_path(publication.file) as path:
            text, status = _read_text(path)
    except OSError:
        logger.warning("PDF of publication %s could not be read", publication_id, exc_info=True)
        text, status = "", TextStatus.FAILED
    with transaction.atomic():
        # Locked: an editor replacing the file now waits, or is seen.
        publication = current(lock=True)
        if publication is None:
            return "stale"
        publication.text = text
        publication.text_status = status
        publication.save(update_fields=["text", "text_status", "updated_at"])
    return status


def publication_citations_refresh(*, publication_ids) -> int:
    """Store the formatted citations of these publications where they changed.

    Each publication's citations are rendered again only when their source (its title,
    authors and their names, dates, ...: `citations.citations_source`) differs from what
    was stored, so calling it after any save costs a render only when the citation text
    changes. Stored with an UPDATE: no signal, no new `updated_at` (what a reader sees
    does not change, only when it is computed). Returns how many were rendered.
    """
    rendered = 0
    for publication in selectors.for_citations(publication_ids):
        if publication.citations.get("source") == citations.citations_source(publication):
            continue
        stored = citations.render_citations(publication)
        Publication.objects.filter(pk=publication.pk).update(citations=stored)
        rendered += 1
    return rendered


def publication_citations_changed(*, publication_ids) -> None:
    """Refresh these publications' citations once the current transaction commits.

    After commit, so that a publication saved with its authors (the admin's inlines, in
    one transaction) is rendered once, with all of them.
    """
    on_commit_gathered("citations", publication_ids, _refresh_citations)


# More publications than this changed in one transaction (an import) have their citations
# rendered by a worker: citeproc takes tens of milliseconds each. Until then their pages
# render them on first view (publications.citations.formatted_citations).
CITATIONS_IN_REQUEST = 20


def _refresh_citations(ids):
    if len(ids) <= CITATIONS_IN_REQUEST:
        publication_citations_refresh(publication_ids=ids)
        return
    from publications.tasks import refresh_citations

    try:
        refresh_citations.enqueue(publication_ids=ids)
    except Exception:
        # The queue unreachable: the pages render what is missing, and
        # `manage.py refresh_citations` stores it.
        logger.warning("Could not queue the citations of %d publications", len(ids), exc_info=True)
