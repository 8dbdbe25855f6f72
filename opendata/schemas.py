"""The shapes of the read API (/api/v1/): what each endpoint takes and gives.

Version 1 never breaks: fields may be added, never renamed, retyped or removed.
"""

import datetime

from ninja import Field, Schema
from pydantic import field_validator

# What a slug may be (Django's slug path converter): anything else matches nothing.
SLUG = {"pattern": r"^[-a-zA-Z0-9_]+$", "max_length": 200}
COUNTRY = {"pattern": r"^[A-Za-z]{2}$", "description": "ISO 3166 code, e.g. KE."}


class ErrorDetail(Schema):
    field: str | None = Field(None, description="The query parameter at fault, if one is.")
    message: str


class ErrorBody(Schema):
    status: int
    code: str = Field(description="not_found, bad_request, too_many_requests, ...")
    message: str
    details: list[ErrorDetail] = []


class Error(Schema):
    error: ErrorBody


class Page(Schema):
    count: int = Field(description="How many items match, on every page.")
    page: int
    page_size: int
    next: str | None = Field(description="The next page's address, or null on the last.")
    previous: str | None


class Paging(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=100, description="At most 100.")
    updated_since: datetime.datetime | None = Field(
        None,
        description="Only items whose public record changed at or after this time "
        "(ISO 8601, e.g. 2004-05-31T12:00:00Z; without an offset, UTC); a scheduled "
        "go-live counts as a change.",
    )

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value):
        """In UTC, as the database compares: a time with no offset is taken as UTC, and
        one that falls outside the calendar once in UTC (0001-01-01T00:00+14:00) is
        refused here rather than failing in the database."""
        if value is None:
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            # The API words it (opendata.api.FIELD_MESSAGES, under this key).
            raise ValueError("datetime_range") from None


class Searchable(Paging):
    q: str = Field(
        "",
        max_length=200,
        description='Keywords, as in the site\'s search box: words, "quoted phrases", '
        "-excluded, OR; accents and case ignored.",
    )


# --- Groups and people ------------------------------------------------------------------


class GroupFilters(Searchable):
    kind: str | None = Field(None, description="A kind of group, e.g. working_group.")


class GroupOut(Schema):
    slug: str
    name: str
    kind: str
    theme: str
    description: str
    active_from: datetime.date | None
    active_until: datetime.date | None
    url: str
    updated_at: datetime.datetime


class GroupPage(Page):
    results: list[GroupOut]


class PersonFilters(Searchable):
    group: str | None = Field(
        None, description="A group's slug: its members, past or present.", **SLUG
    )
    role: str | None = Field(None, description="A role in a group, e.g. co_chair.")
    country: str | None = Field(None, **COUNTRY)


class PersonOut(Schema):
    slug: str
    honorific: str
    given_name: str
    family_name: str
    affiliation: str
    position: str
    country: str
    bio: str
    website: str
    orcid: str
    email: str = Field(description="Only when the person shows it to everyone.")
    url: str
    updated_at: datetime.datetime


class PersonPage(Page):
    results: list[PersonOut]


class MembershipFilters(Paging):
    group: str | None = Field(None, description="A group's slug.", **SLUG)
    person: str | None = Field(None, description="A person's slug.", **SLUG)
    role: str | None = None


class MembershipOut(Schema):
    person: str = Field(description="The person's slug.")
    group: str = Field(description="The group's slug.")
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    updated_at: datetime.datetime = Field(
        description="The latest change of the membership, its person or its group."
    )


class MembershipPage(Page):
    results: list[MembershipOut]


# --- Publications -----------------------------------------------------------------------


class PublicationFilters(Searchable):
    kind: str | None = None
    group: str | None = Field(None, description="A group's slug.", **SLUG)
    topic: str | None = Field(None, description="A topic's slug.", **SLUG)
    year: int | None = Field(None, ge=1, le=9999)
    author: str | None = Field(None, description="A person's slug.", **SLUG)


class AuthorOut(Schema):
    name: str
    person: str | None = Field(description="The author's slug when their profile is public.")
    organisation: bool


class TopicOut(Schema):
    slug: str
    name: str


class CitationLinks(Schema):
    bibtex: str
    ris: str


class PublicationOut(Schema):
    slug: str
    title: str
    subtitle: str
    kind: str
    date: str = Field(description="At the precision known: 2004, 2004-05 or 2004-05-31.")
    language: str
    abstract: str
    summary: str
    publisher: str
    place: str
    series: str
    number: str
    doi: str
    isbn: str
    licence: str
    authors: list[AuthorOut] = Field(description="In order.")
    groups: list[str] = Field(description="Slugs of its published groups.")
    topics: list[TopicOut]
    funders: list[str] = Field(description="Slugs of the funders shown publicly.")
    file_size: int | None = Field(description="Of the PDF, in bytes.")
    page_count: int | None
    pdf_url: str | None
    citations: CitationLinks
    url: str
    updated_at: datetime.datetime


class PublicationPage(Page):
    results: list[PublicationOut]


# --- Events and funders -----------------------------------------------------------------


class EventFilters(Searchable):
    kind: str | None = None
    year: int | None = Field(None, ge=1, le=9999)
    country: str | None = Field(None, **COUNTRY)
    group: str | None = Field(None, description="An organising group's slug.", **SLUG)


class EventOut(Schema):
    slug: str
    title: str
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    venue: str
    city: str
    country: str
    is_online: bool
    summary: str
    outcomes: str
    organisers: list[str] = Field(description="Slugs of the published organising groups.")
    publications: list[str] = Field(description="Slugs of its published publications.")
    funders: list[str]
    calendar_url: str
    url: str
    updated_at: datetime.datetime


class EventPage(Page):
    results: list[EventOut]


class FunderFilters(Searchable):
    tier: str | None = None


class FunderOut(Schema):
    slug: str
    name: str
    acronym: str
    organisation_kind: str
    country: str
    website: str
    tier: str
    support_kind: str
    acknowledgement: str
    publications: list[str] = Field(
        description="Slugs of the publications it supported, in the funder's order."
    )
    events: list[str] = Field(
        description="Slugs of the events it supported, in the funder's order."
    )
    url: str
    updated_at: datetime.datetime


class FunderPage(Page):
    results: list[FunderOut]
