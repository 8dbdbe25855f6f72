"""Public records as plain data: what the API answers and the bulk files hold.

Each function reads an object fetched by opendata.selectors (whose prefetches it
relies on) and gives a dict of public fields only, with absolute links.
"""

from django.urls import reverse

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


def publication_data(publication):
    def path(name):
        return absolute_url(reverse(f"publications:{name}", args=[publication.slug]))

    authors = [
        {
            "name": authorship.display_name,
            "person": authorship.person.slug
            if authorship.person_id and authorship.person.is_public
            else None,
            "organisation": authorship.is_organisation,
        }
        for authorship in publication.authorships.all()
    ]
    return {
        "slug": publication.slug, "title": publication.title,
        "subtitle": publication.subtitle, "kind": publication.kind,
        "date": iso_date(publication), "language": publication.language,
        "abstract": publication.abstract, "summary": publication.summary,
        "publisher": publication.publisher, "place": publication.place,
        "series": publication.series, "number": publication.number, "doi": publication.doi,
        "isbn": publication.isbn, "licence": publication.licence, "authors": authors,
        "groups": [group.slug for group in publication.public_groups],
        "topics": [{"slug": t.slug, "name": t.name} for t in publication.topics.all()],
        "funders": [funder.slug for funder in publication.public_funders],
        "file_size": publication.file_size if publication.file else None,
        "page_count": publication.page_count if publication.file else None,
        "pdf_url": path("publication_download") if publication.file else None,
        "citations": {
            "bibtex": absolute_url(reverse("publications:publication_cite",
                                           args=[publication.slug, "bib"])),
            "ris": absolute_url(reverse("publications:publication_cite",
                                        args=[publication.slug, "ris"])),
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
        "organisers": [group.slug for group in event.public_organisers],
        "publications": [p.slug for p in event.public_publications],
        "funders": [funder.slug for funder in event.public_funders],
        "calendar_url": absolute_url(reverse("events:event_calendar", args=[event.slug])),
        "url": absolute_url(event.get_absolute_url()), "updated_at": event.public_updated_at,
    }  # fmt: skip


def funder_data(funder):
    return {
        "slug": funder.slug, "name": funder.name, "acronym": funder.acronym,
        "organisation_kind": funder.organisation_kind, "country": funder.country.code or "",
        "website": funder.website, "tier": funder.tier, "support_kind": funder.support_kind,
        "acknowledgement": funder.acknowledgement,
        "publications": [p.slug for p in funder.public_publications],
        "events": [event.slug for event in funder.public_events],
        "url": absolute_url(funder.get_absolute_url()), "updated_at": funder.public_updated_at,
    }  # fmt: skip
