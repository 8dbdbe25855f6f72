"""Discovery metadata of a publication page: Highwire (Google Scholar), OpenGraph, JSON-LD."""

from django.utils.translation import gettext as _

from core.links import slug_url
from core.site import absolute_url
from publications.citations import full_title
from publications.display import truncated
from publications.models import DatePrecision, PublicationKind

SCHEMA_TYPES = {
    PublicationKind.ARTICLE: "ScholarlyArticle",
    PublicationKind.BROCHURE: "CreativeWork",
    PublicationKind.OTHER: "CreativeWork",
}


def _absolute(path):
    return absolute_url(path)


def download_url(publication):
    return _absolute(slug_url("publications:publication_download", publication.slug))


def _cover_path(publication):
    return slug_url("publications:publication_cover", publication.slug)


def iso_date(publication):
    """The date at its known precision: 2004, 2004-05 or 2004-05-03."""
    day = publication.published_on
    if day is None:
        return ""
    if publication.date_precision == DatePrecision.YEAR:
        return f"{day.year:04d}"
    if publication.date_precision == DatePrecision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _author_names(publication):
    names = []
    for authorship in publication.authorships.all():
        if authorship.person_id:
            names.append(f"{authorship.person.family_name}, {authorship.person.given_name}")
        else:
            names.append(authorship.name)
    return names


def description(publication):
    text = publication.summary or publication.abstract or publication.subtitle
    return truncated(" ".join(text.split()), 300)


def for_page(publication):
    """A publication page's metadata: {"highwire", "opengraph", "json_ld",
    "description"}, the values they share (the full title, the page's address, the
    description) made once."""
    title = full_title(publication)
    url = _absolute(publication.get_absolute_url())
    text = description(publication)
    return {
        "highwire": highwire_tags(publication, title=title, url=url),
        "opengraph": opengraph_tags(publication, title=title, url=url, text=text),
        "json_ld": json_ld(publication, title=title, url=url),
        "description": text,
    }


def highwire_tags(publication, *, title=None, url=None):
    """(name, content) pairs of Google Scholar's `citation_*` meta tags."""
    tags = [("citation_title", full_title(publication) if title is None else title)]
    tags += [("citation_author", name) for name in _author_names(publication)]
    if publication.published_on:
        tags.append(("citation_publication_date", iso_date(publication).replace("-", "/")))
    if publication.kind == PublicationKind.ARTICLE:
        publisher_tag = "citation_publisher"
    else:
        publisher_tag = "citation_technical_report_institution"
    optional = [
        (publisher_tag, publication.publisher),
        ("citation_technical_report_number", publication.number),
        ("citation_doi", publication.doi),
        ("citation_isbn", publication.isbn),
        ("citation_language", publication.language),
        ("citation_abstract_html_url", url or _absolute(publication.get_absolute_url())),
    ]
    tags += [(name, value) for name, value in optional if value]
    if publication.file:
        tags.append(("citation_pdf_url", download_url(publication)))
    return tags


def opengraph_tags(publication, *, title=None, url=None, text=None):
    tags = [
        ("og:type", "article"),
        ("og:title", full_title(publication) if title is None else title),
        ("og:url", url or _absolute(publication.get_absolute_url())),
        ("og:site_name", _("Joint Learning Initiative on Human Resources for Health")),
    ]
    if text is None:
        text = description(publication)
    if text:
        tags.append(("og:description", text))
    if publication.cover:
        tags.append(("og:image", _absolute(_cover_path(publication))))
        if publication.cover_alt:
            tags.append(("og:image:alt", publication.cover_alt))
    return tags


def json_ld(publication, *, title=None, url=None):
    """schema.org JSON-LD of the publication, escaped to sit in a <script> data block.

    The authors' profile links are `publication.shown_authors`' when the selector gave
    them (selectors.publication_detail), else each authorship's; its topics likewise
    `publication.listed_topics`."""
    authors = []
    authorships = publication.authorships.all()
    shown = getattr(publication, "shown_authors", None)
    profile_urls = (
        [author.profile_url for author in shown]
        if shown is not None
        else [authorship.profile_url for authorship in authorships]
    )
    for authorship, profile_url in zip(authorships, profile_urls, strict=True):
        if authorship.person_id:
            author = {"@type": "Person", "name": authorship.person.full_name}
            if profile_url:
                author["url"] = _absolute(profile_url)
        else:
            kind = "Organization" if authorship.is_organisation else "Person"
            author = {"@type": kind, "name": authorship.name}
        authors.append(author)
    title = full_title(publication) if title is None else title
    # Its topics as publications.selectors.publication_detail read them, if it did.
    topics = getattr(publication, "listed_topics", None)
    if topics is None:
        topics = publication.topics.all()
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(publication.kind, "Report"),
        "name": title,
        "headline": truncated(title, 110),
        "url": url or _absolute(publication.get_absolute_url()),
        "inLanguage": publication.language,
        "genre": str(publication.get_kind_display()),
    }
    if authors:
        data["author"] = authors
    optional = {
        "datePublished": iso_date(publication),
        "abstract": publication.abstract,
        "isbn": publication.isbn,
        "license": publication.licence,
        "keywords": ", ".join(topic.name for topic in topics),
    }
    data.update({key: value for key, value in optional.items() if value})
    if publication.publisher:
        data["publisher"] = {"@type": "Organization", "name": publication.publisher}
    if publication.doi:
        data["sameAs"] = f"https://doi.org/{publication.doi}"
    if publication.file:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": download_url(publication),
            "encodingFormat": "application/pdf",
            "contentSize": str(publication.file_size or ""),
        }
    if publication.cover:
        data["image"] = _absolute(_cover_path(publication))
    return data
