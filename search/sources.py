"""What the index is made of: one source per kind of public record.

A source knows its model, how to read records with everything their document needs (a
fixed number of queries per batch) and how to turn one record into a document. The
content apps below `search` are described here; the site shell (story pages) registers
its own source from its AppConfig.ready, as composition goes upward (docs/design.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from core.models import Status
from events.models import Event
from funders.models import Funder
from groups.models import Group, Membership, Person
from publications.models import Authorship, Publication
from search.models import Kind
from search.text import language_of, plain

_sources = {}


@dataclass(frozen=True)
class Source:
    kind: str
    model: type
    queryset: Callable  # () -> the records, with what document() reads prefetched
    document: Callable  # (record) -> the document's fields, "groups": [group ids]
    # Other records whose documents show this one's text (a person's name in their
    # publications): (record) -> {kind: [ids]} reindexed after a change, in a task.
    dependents: Callable = field(default=lambda record: {})
    # Whether the record's public page shows staff an unpublished record (a preview, to
    # those `core.roles.may_preview` allows): only then may search offer it to them.
    previewable: bool = False
    # The view of the record's page, whose one argument is its slug: the results' addresses
    # in another language are made from its pattern (search.engine.addresses).
    viewname: str = ""


def register(source):
    _sources[source.kind] = source


def sources():
    return list(_sources.values())


def source_for_kind(kind):
    return _sources[kind]


def source_for_model(model):
    for source in _sources.values():
        if source.model is model:
            return source
    return None


def publishable(record):
    return {
        "status": record.status,
        "publish_at": record.publish_at,
        "expire_at": record.expire_at,
    }


def public_flag(is_public):
    return {
        "status": Status.PUBLISHED if is_public else Status.DRAFT,
        "publish_at": None,
        "expire_at": None,
    }


def _join(*parts):
    return "\n".join(str(part) for part in parts if part)


def _french(record, *, title=None, lead=(), body=()):
    """The record's French version (django-modeltranslation's `<field>_fr` columns, empty
    or None where there is none) as a document's French texts."""

    def version(field):
        return getattr(record, f"{field}_fr", None) or ""

    return {
        "title_fr": version(title) if title else "",
        "lead_fr": _join(*(version(field) for field in lead)),
        "body_fr": _join(*(version(field) for field in body)),
    }


NO_FRENCH = {"title_fr": "", "lead_fr": "", "body_fr": ""}


# --- Publications ------------------------------------------------------------------


def _publications():
    return Publication.objects.prefetch_related(
        Prefetch("authorships", queryset=Authorship.objects.select_related("person")),
        "topics",
        "groups",
    )


def _publication(publication):
    authors = [authorship.display_name for authorship in publication.authorships.all()]
    groups = list(publication.groups.all())
    return {
        "title": publication.title,
        "url": publication.get_absolute_url(),
        "date": publication.published_on,
        "language": language_of(publication.language),
        "lead": _join(
            publication.subtitle,
            publication.abstract,
            ", ".join(authors),
            ", ".join(topic.name for topic in publication.topics.all()),
            ", ".join(group.name for group in groups),
        ),
        "body": _join(publication.summary, publication.body),
        "extra": publication.text,
        **_french(publication, title="title", lead=("subtitle", "abstract"), body=("summary",)),
        "publication_kind": publication.kind,
        "year": publication.year,
        "groups": [group.pk for group in groups],
        **publishable(publication),
    }


# --- People ------------------------------------------------------------------------


def _people():
    return Person.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("group"))
    )


def _person(person):
    groups = {membership.group for membership in person.memberships.all()}
    return {
        "title": person.display_name,
        "url": person.get_absolute_url(),
        "date": None,
        "language": "en",
        "lead": _join(person.affiliation, person.position, person.country.name),
        "body": person.bio,
        "extra": "",
        **NO_FRENCH,
        "publication_kind": "",
        "year": None,
        "groups": [group.pk for group in groups],
        **public_flag(person.is_public),
    }


def _person_dependents(person):
    return {
        Kind.PUBLICATION: list(
            Authorship.objects.filter(person=person).values_list("publication_id", flat=True)
        )
    }


# --- Groups ------------------------------------------------------------------------


def _group(group):
    return {
        "title": group.name,
        "url": group.get_absolute_url(),
        "date": group.active_from,
        "language": "en",
        "lead": _join(group.get_kind_display(), group.theme),
        "body": group.description,
        "extra": "",
        **_french(group, title="name", lead=("theme",), body=("description",)),
        "publication_kind": "",
        "year": group.active_from.year if group.active_from else None,
        "groups": [group.pk],
        **publishable(group),
    }


def _group_dependents(group):
    return {
        Kind.PUBLICATION: list(group.publications.values_list("pk", flat=True)),
        Kind.EVENT: list(group.events.values_list("pk", flat=True)),
    }


# --- Events ------------------------------------------------------------------------


def _events():
    return Event.objects.prefetch_related("organisers")


def _event(event):
    groups = list(event.organisers.all())
    return {
        "title": event.title,
        "url": event.get_absolute_url(),
        "date": event.start_date,
        "language": "en",
        "lead": _join(event.get_kind_display(), event.place_display, event.summary),
        "body": _join(event.description, event.outcomes, ", ".join(g.name for g in groups)),
        "extra": "",
        **_french(event, title="title", lead=("summary",), body=("description", "outcomes")),
        "publication_kind": "",
        "year": event.start_date.year,
        "groups": [group.pk for group in groups],
        **publishable(event),
    }


# --- Funders -----------------------------------------------------------------------


def _funder(funder):
    return {
        "title": funder.display_name,
        "url": funder.get_absolute_url(),
        "date": None,
        "language": "en",
        "lead": _join(funder.get_organisation_kind_display(), funder.get_tier_display()),
        "body": funder.acknowledgement,
        "extra": "",
        **_french(funder, body=("acknowledgement",)),
        "publication_kind": "",
        "year": None,
        "groups": [],
        **public_flag(funder.is_public),
    }


def register_content_sources():
    # Each with the view of its records' pages (the models' get_absolute_url()).
    for source in (
        Source(Kind.PUBLICATION, Publication, _publications, _publication, previewable=True,
               viewname="publications:publication_detail"),
        Source(Kind.PERSON, Person, _people, _person, _person_dependents,
               viewname="groups:person_detail"),
        Source(Kind.GROUP, Group, Group.objects.all, _group, _group_dependents,
               viewname="groups:group_detail"),
        Source(Kind.EVENT, Event, _events, _event, previewable=True,
               viewname="events:event_detail"),
        Source(Kind.FUNDER, Funder, Funder.objects.all, _funder,
               viewname="funders:funder_detail"),
    ):  # fmt: skip
        register(source)


def story_page_document(page):
    """A story page's document (the shell registers the source: search/apps.py docs)."""
    return {
        "title": page.title,
        "url": page.get_absolute_url(),
        "date": None,
        "language": "en",
        "lead": page.summary,
        "body": plain(page.body),
        "extra": "",
        "title_fr": page.title_fr or "",
        "lead_fr": page.summary_fr or "",
        "body_fr": plain(page.body_fr),
        "publication_kind": "",
        "year": None,
        "groups": [],
        **publishable(page),
    }
