import functools
import re

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.links import plain_url, slug_url
from core.media import serve_file
from core.pagination import CountedPaginator
from core.roles import may_preview
from core.search import keywords
from core.sections import sections_for
from publications import citations, metadata, selectors
from publications.display import texts
from publications.forms import PublicationFilterForm
from publications.models import Publication

PUBLICATIONS_PER_PAGE = 20
# A slug as the citation pattern's group takes it (publications.urls).
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
EXPORTS = {
    "bib": ("application/x-bibtex; charset=utf-8", citations.bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", citations.ris),
}


@require_safe
@public_page
def publication_list(request):
    form = PublicationFilterForm(request.GET or None)
    filters = form.filters()
    if filters.get("q"):
        # The keywords' matches, read once (bounded: core.search) for the list and counts.
        filters["q"] = keywords(Publication, filters["q"])
    counts = selectors.list_counts(filters)
    form.show_counts(counts)
    page = CountedPaginator(
        selectors.publication_list(**filters), PUBLICATIONS_PER_PAGE, count=counts.total
    ).get_page(request.GET.get("page"))
    # No separate "featured" strip: the featured publications are in the list itself,
    # marked (publications/templatetags/publication_tags.py), so none is listed twice.
    return render(
        request,
        "publications/publication_list.html",
        {
            "form": form,
            "page_obj": page,
            "export_limit": selectors.EXPORT_LIMIT,
            "keywords": filters.get("q"),
        },
    )


@require_safe
@public_page
def publication_detail(request, slug):
    publication = selectors.publication_detail(
        slug=slug, preview=may_preview(request.user, Publication)
    )
    context = {
        "publication": publication,
        "related": selectors.related_publications(publication),
        # The events it came out of (registered by the events app).
        "related_sections": sections_for(publication),
        "citations": citations.formatted_citations(publication),
        # highwire, opengraph, json_ld and description.
        **metadata.for_page(publication),
        "links": _links(publication.slug),
        # Its translated texts and their lang attributes, each read once.
        "shown": texts(publication, ("title", "subtitle", "abstract", "summary")),
    }
    return render(request, "publications/publication_detail.html", context)


@functools.lru_cache(maxsize=64)
def _cite_pattern(fmt, language, script_prefix, urlconf):
    with translation.override(language):
        return reverse("publications:publication_cite", urlconf=urlconf, args=["0slug0", fmt])


def _links(slug):
    """A publication page's addresses of its own (what `{% url %}` gave the template,
    each pattern reversed once per language: core.links)."""
    language = translation.get_language()
    cite = {}
    for fmt in EXPORTS:
        if _SLUG.fullmatch(slug):
            pattern = _cite_pattern(fmt, language, get_script_prefix(), get_urlconf())
            cite[fmt] = pattern.replace("0slug0", slug, 1)
        else:
            cite[fmt] = reverse("publications:publication_cite", args=[slug, fmt])
    return {
        "download": slug_url("publications:publication_download", slug, language),
        "cover": slug_url("publications:publication_cover", slug, language),
        "feed": plain_url("publications:publication_feed", language),
        **cite,
    }


@require_safe
def publication_download(request, slug):
    """The PDF as an attachment; unpublished ones only for staff (never a media URL)."""
    publication = selectors.publication_file(
        slug=slug, preview=may_preview(request.user, Publication)
    )
    return serve_file(
        publication.file,
        public=publication.is_live,
        as_attachment=True,
        filename=f"{publication.slug}.pdf",
        content_type="application/pdf",
    )


@require_safe
def publication_cover(request, slug):
    """The cover image, as visible as the publication (never a media URL: core/media.py)."""
    publication = selectors.publication_cover(
        slug=slug, preview=may_preview(request.user, Publication)
    )
    return serve_file(publication.cover, public=publication.is_live)


@require_safe
def publication_cover_thumbnail(request, slug):
    """The cover scaled down for lists, as visible as the publication."""
    publication = selectors.publication_cover(
        slug=slug, preview=may_preview(request.user, Publication)
    )
    thumbnail = publication.cover_thumbnail
    thumbnail.generate()  # made on first use, then kept in storage
    return serve_file(thumbnail, public=publication.is_live)


def _export(body, fmt, filename):
    content_type, _ = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_safe
@public_page
def publication_cite(request, slug, fmt):
    publication = selectors.publication_for_export(
        slug=slug, preview=may_preview(request.user, Publication)
    )
    return _export(EXPORTS[fmt][1]([publication]), fmt, publication.slug)


@require_safe
@public_page
def publication_list_cite(request, fmt):
    """The filtered list as BibTeX or RIS, cut at EXPORT_LIMIT records."""
    filters = PublicationFilterForm(request.GET or None).filters()
    publications = selectors.for_export(selectors.filtered_publications(**filters))
    records = list(publications[: selectors.EXPORT_LIMIT])
    return _export(EXPORTS[fmt][1](records), fmt, "jli-publications")
