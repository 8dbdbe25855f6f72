"""Public records as plain data: what the API answers and the bulk files hold.

Each function reads an object fetched by opendata.selectors (and given its links by
the selectors' load_* function) and gives a dict of public fields only, with absolute
links. The dicts' keys are in the order of the API's schemas (opendata/schemas.py):
the API renders them without validating each record again (tests/opendata prove the
same output).
"""

import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from core.links import slug_url
from groups.models import Visibility
from opendata.site import absolute_url
from publications.metadata import iso_date


def group_data(group):
    return {
        "slug": group.slug, "name": group.name, "kind": group.kind, "theme": group.theme,
        "description": group.description, "active_from": group.active_from,
        "active_until": group.active_until, "url": absolute_url(group.get_absolute_url()),
        "updated_at": group.public_updated_at,
    }  # fmt: skip


def person_data(person):
    return {
        "slug": person.slug, "honorific": person.honorific, "given_name": person.given_name,
        "family_name": person.family_name, "affiliation": person.affiliation,
        "position": person.position, "country": person.country.code or "", "bio": person.bio,
        "website": person.website, "orcid": person.orcid,
        "email": person.email if person.email_visibility == Visibility.EVERYONE else "",
        "url": absolute_url(person.get_absolute_url()), "updated_at": person.public_updated_at,
    }  # fmt: skip


def membership_data(membership):
    return {
        "person": membership.person.slug, "group": membership.group.slug,
        "role": membership.role, "start_date": membership.start_date,
        "end_date": membership.end_date, "updated_at": membership.public_updated_at,
    }  # fmt: skip


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=64)
def _cite_pattern(extension, language, script_prefix, urlconf):
    return reverse("publications:publication_cite", urlconf=urlconf, args=["0slug0", extension])


def _cite_url(slug, extension):
    """The citation file's address, from a pattern reversed once (core.links)."""
    if not _SLUG.fullmatch(slug):
        return reverse("publications:publication_cite", args=[slug, extension])
    pattern = _cite_pattern(extension, get_language(), get_script_prefix(), get_urlconf())
    return pattern.replace("0slug0", slug, 1)


def publication_data(publication):
    def path(name):
        return absolute_url(slug_url(f"publications:{name}", publication.slug))

    authors = [
        {"name": author.name, "person": author.person, "organisation": author.organisation}
        for author in publication.authors
    ]
    return {
        "slug": publication.slug, "title": publication.title,
        "subtitle": publication.subtitle, "kind": publication.kind,
        "date": iso_date(publication), "language": publication.language,
        "abstract": publication.abstract, "summary": publication.summary,
        "publisher": publication.publisher, "place": publication.place,
        "series": publication.series, "number": publication.number, "doi": publication.doi,
        "isbn": publication.isbn, "licence": publication.licence, "authors": authors,
        "groups": publication.group_slugs,
        "topics": [{"slug": slug, "name": name} for slug, name in publication.topic_list],
        "funders": publication.funder_slugs,
        "file_size": publication.file_size if publication.file else None,
        "page_count": publication.page_count if publication.file else None,
        "pdf_url": path("publication_download") if publication.file else None,
        "citations": {
            "bibtex": absolute_url(_cite_url(publication.slug, "bib")),
            "ris": absolute_url(_cite_url(publication.slug, "ris")),
        },
        "url": path("publication_detail"), "updated_at": publication.public_updated_at,
    }  # fmt: skip


def event_data(event):
    return {
        "slug": event.slug, "title": event.title, "kind": event.kind,
        "start_date": event.start_date, "end_date": event.end_date,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "time_zone": event.time_zone,
        "venue": event.venue, "city": event.city, "country": event.country.code or "",
        "is_online": event.is_online, "summary": event.summary, "outcomes": event.outcomes,
        "organisers": event.organiser_slugs,
        "publications": event.publication_slugs,
        "funders": event.funder_slugs,
        "calendar_url": absolute_url(slug_url("events:event_calendar", event.slug)),
        "url": absolute_url(event.get_absolute_url()), "updated_at": event.public_updated_at,
    }  # fmt: skip


def funder_data(funder):
    return {
        "slug": funder.slug, "name": funder.name, "acronym": funder.acronym,
        "organisation_kind": funder.organisation_kind, "country": funder.country.code or "",
        "website": funder.website, "tier": funder.tier, "support_kind": funder.support_kind,
        "acknowledgement": funder.acknowledgement,
        "publications": funder.publication_slugs,
        "events": funder.event_slugs,
        "url": absolute_url(funder.get_absolute_url()), "updated_at": funder.public_updated_at,
    }  # fmt: skip
