"""Public records as plain data: what the API answers and the bulk files hold.

Each function takes a batch of records (a page of the API, a chunk of the bulk export)
fetched by opendata.selectors (and given its links by the selectors' load_* function):
model instances or the selectors' plain rows, which have the same attribute names. It
gives a list of dicts of public fields only, with absolute links. The dicts' keys are
in the order of the API's schemas (opendata/schemas.py): the API renders them without
validating each record again (tests/opendata prove the same output).

Whatever is the same for every record of a batch (an address pattern, SITE_URL) is
worked out once per batch, before the loop: a list page has a hundred records.
"""

from django.urls import reverse

from core.links import slug_url
from groups.models import Visibility
from opendata.site import slug_links
from publications.metadata import iso_date


def _country(country):
    """The ISO code, "" for none: `country` is a Country on a model instance, the
    stored code on a plain row."""
    return getattr(country, "code", country) or ""


def _links(viewname):
    """Absolute addresses of a content page by slug (opendata.site.slug_links)."""
    return slug_links(lambda slug: slug_url(viewname, slug))


def groups_data(groups):
    link = _links("groups:group_detail")
    return [{
        "slug": group.slug, "name": group.name, "kind": group.kind, "theme": group.theme,
        "description": group.description, "active_from": group.active_from,
        "active_until": group.active_until, "url": link(group.slug),
        "updated_at": group.public_updated_at,
    } for group in groups]  # fmt: skip


def people_data(people):
    link = _links("groups:person_detail")
    return [{
        "slug": person.slug, "honorific": person.honorific, "given_name": person.given_name,
        "family_name": person.family_name, "affiliation": person.affiliation,
        "position": person.position, "country": _country(person.country), "bio": person.bio,
        "website": person.website, "orcid": person.orcid,
        "email": person.email if person.email_visibility == Visibility.EVERYONE else "",
        "url": link(person.slug), "updated_at": person.public_updated_at,
    } for person in people]  # fmt: skip


def memberships_data(memberships):
    return [{
        "person": membership.person_slug, "group": membership.group_slug,
        "role": membership.role, "start_date": membership.start_date,
        "end_date": membership.end_date, "updated_at": membership.public_updated_at,
    } for membership in memberships]  # fmt: skip


def publications_data(publications):
    """`file` is a FieldFile on a model instance, the stored name on a plain row: both
    are true exactly when there is a PDF."""
    detail = _links("publications:publication_detail")
    download = _links("publications:publication_download")
    bibtex = slug_links(lambda slug: reverse("publications:publication_cite", args=[slug, "bib"]))
    ris = slug_links(lambda slug: reverse("publications:publication_cite", args=[slug, "ris"]))
    return [{
        "slug": publication.slug, "title": publication.title,
        "subtitle": publication.subtitle, "kind": publication.kind,
        "date": iso_date(publication), "language": publication.language,
        "abstract": publication.abstract, "summary": publication.summary,
        "publisher": publication.publisher, "place": publication.place,
        "series": publication.series, "number": publication.number, "doi": publication.doi,
        "isbn": publication.isbn, "licence": publication.licence,
        "authors": [
            {"name": author.name, "person": author.person, "organisation": author.organisation}
            for author in publication.authors
        ],
        "groups": publication.group_slugs,
        "topics": [{"slug": slug, "name": name} for slug, name in publication.topic_list],
        "funders": publication.funder_slugs,
        "file_size": publication.file_size if publication.file else None,
        "page_count": publication.page_count if publication.file else None,
        "pdf_url": download(publication.slug) if publication.file else None,
        "citations": {"bibtex": bibtex(publication.slug), "ris": ris(publication.slug)},
        "url": detail(publication.slug), "updated_at": publication.public_updated_at,
    } for publication in publications]  # fmt: skip


def events_data(events):
    calendar = _links("events:event_calendar")
    detail = _links("events:event_detail")
    return [{
        "slug": event.slug, "title": event.title, "kind": event.kind,
        "start_date": event.start_date, "end_date": event.end_date,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "time_zone": event.time_zone,
        "venue": event.venue, "city": event.city,
        "country": _country(event.country),
        "is_online": event.is_online, "summary": event.summary, "outcomes": event.outcomes,
        "organisers": event.organiser_slugs,
        "publications": event.publication_slugs,
        "funders": event.funder_slugs,
        "calendar_url": calendar(event.slug),
        "url": detail(event.slug), "updated_at": event.public_updated_at,
    } for event in events]  # fmt: skip


def funders_data(funders):
    link = _links("funders:funder_detail")
    return [{
        "slug": funder.slug, "name": funder.name, "acronym": funder.acronym,
        "organisation_kind": funder.organisation_kind, "country": _country(funder.country),
        "website": funder.website, "tier": funder.tier, "support_kind": funder.support_kind,
        "acknowledgement": funder.acknowledgement,
        "publications": funder.publication_slugs,
        "events": funder.event_slugs,
        "url": link(funder.slug), "updated_at": funder.public_updated_at,
    } for funder in funders]  # fmt: skip
