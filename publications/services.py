"""Writes of publications that carry rules or side effects."""

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext
from pypdf import PdfReader

from publications import citations, selectors
from publications.models import Publication

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

    Called after the file field changed (the admin's save). With the file removed,
    the size and page count are cleared; an uploaded cover is never replaced.
    """
    if not publication.file:
        publication.file_size = None
        publication.page_count = None
        publication.save(update_fields=["file_size", "page_count", "updated_at"])
        return publication
    with publication.file.open("rb") as handle:
        data = handle.read()
    publication.file_size = len(data)
    publication.page_count = len(PdfReader(io.BytesIO(data)).pages)
    update_fields = ["file_size", "page_count", "updated_at"]
    if not publication.cover and (jpeg := _render_first_page(data)):
        publication.cover.save(f"{publication.slug}.jpg", ContentFile(jpeg), save=False)
        if not publication.cover_alt:
            publication.cover_alt = gettext("Cover of “%(title)s”") % {"title": publication.title}
        update_fields += ["cover", "cover_alt"]
    publication.save(update_fields=update_fields)
    return publication


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
    ids = sorted(set(publication_ids))
    if ids:
        transaction.on_commit(lambda: publication_citations_refresh(publication_ids=ids))
