"""Reads for the open-data outputs. Each owns its query plan; nothing unpublished leaks.

OAI-PMH reports every publication that has been public: the public ones as records, and
the ones that stopped being public (an edit back to draft, a deletion, an expiry) as
deleted headers. A publication that never was public never appears.
"""

from django.db.models import BooleanField, Case, F, Min, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from core.models import Status
from core.search import keyword_filter
from events.models import Event
from funders.models import Funder
from groups.models import Group, Membership, Person
from groups.selectors import people_matching
from opendata.models import DeletedPublication
from publications.models import Authorship, Publication
from publications.selectors import ordered_authorships


def has_been_public(now):
    """Publications public now, or public once until their expiry.

    Expired ones count only when their expiry came after their creation (a record made
    already expired never was public). Scheduled ones have not been public yet.
    """
    return (
        Q(status=Status.PUBLISHED)
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now) | Q(expire_at__gt=F("created_at")))
    )


def is_public_once(publication, now):
    """Python twin of has_been_public() for one row."""
    return (
        publication.status == Status.PUBLISHED
        and (publication.publish_at is None or publication.publish_at <= now)
        and (
            publication.expire_at is None
            or publication.expire_at > now
            or publication.expire_at > publication.created_at
        )
    )


def _expired(now):
    return Q(expire_at__isnull=False, expire_at__lte=now)


def harvestable_publications(now):
    """Publications that have been public, with their OAI datestamp and deleted flag.

    The datestamp is when the public record last changed: the last save, or the
    scheduled go-live or expiry if it came later (those change what the public sees
    without a save, and harvesters asking "what changed since" must see them).
    """
    return (
        Publication.objects.filter(has_been_public(now))
        .annotate(
            oai_datestamp=Case(
                When(_expired(now), then=Greatest("updated_at", "expire_at")),
                default=Greatest("updated_at", Coalesce("publish_at", "updated_at")),
            ),
            oai_deleted=Case(
                When(_expired(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("pk")
    )


def deleted_publications(now):
    """Tombstones of publications that are not public now and not expired on schedule."""
    return DeletedPublication.objects.exclude(
        publication_pk__in=Publication.objects.filter(has_been_public(now)).values("pk")
    ).order_by("publication_pk")


def with_metadata(publications):
    """What oai_dc reads: ordered authors with people, topics, published groups."""
    return publications.prefetch_related(
        Prefetch("authorships", queryset=ordered_authorships()),
        "topics",
        Prefetch(
            "groups",
            queryset=Group.objects.published().order_by("slug").only("slug"),
            to_attr="public_groups",
        ),
    )


def earliest_datestamp():
    """No record's datestamp is earlier than this (None when there is none)."""
    times = [
        Publication.objects.aggregate(earliest=Min("updated_at"))["earliest"],
        DeletedPublication.objects.aggregate(earliest=Min("datestamp"))["earliest"],
    ]
    times = [moment for moment in times if moment is not None]
    return min(times) if times else None


def public_groups_for_sets():
    return list(Group.objects.published().order_by("slug").only("slug", "name"))


# ---------------------------------------------------------------------------------------
# The read API (/api/v1/). Every read starts from what the public may see; staff get
# nothing more. Each list is ordered by primary key: stable while pages are walked.


def public_change(now):
    """When the public record last changed: the last save, or the go-live if later."""
    return Greatest("updated_at", Coalesce("publish_at", "updated_at"))


def _since(queryset, updated_since, now):
    queryset = queryset.annotate(public_updated_at=public_change(now))
    if updated_since is not None:
        queryset = queryset.filter(public_updated_at__gte=updated_since)
    return queryset


def api_groups(*, now, q="", kind=None, updated_since=None):
    groups = keyword_filter(Group.objects.published(now), q)
    if kind:
        groups = groups.filter(kind=kind)
    return _since(groups, updated_since, now).order_by("pk")


def api_people(*, now, q="", group=None, role=None, country=None, updated_since=None):
    people = people_matching(Person.objects.public(), q)
    memberships = Membership.objects.filter(group__in=Group.objects.published(now))
    if group:
        memberships = memberships.filter(group__slug=group)
    if role:
        memberships = memberships.filter(role=role)
    if group or role:
        people = people.filter(pk__in=memberships.values("person_id"))
    if country:
        people = people.filter(country=country.upper())
    if updated_since is not None:
        people = people.filter(updated_at__gte=updated_since)
    return people.annotate(public_updated_at=F("updated_at")).order_by("pk")


def membership_change():
    """When a membership last changed as the public sees it: its own last save, its
    person's (a profile made public brings its memberships into view) or its group's
    save or go-live (a group going live does the same, without a save)."""
    return Greatest(
        "updated_at",
        "person__updated_at",
        "group__updated_at",
        Coalesce("group__publish_at", "group__updated_at"),
    )


def api_memberships(*, now, group=None, person=None, role=None, updated_since=None):
    memberships = (
        Membership.objects.filter(
            group__in=Group.objects.published(now), person__in=Person.objects.public()
        )
        .select_related("person", "group")
        .annotate(public_updated_at=membership_change())
    )
    if updated_since is not None:
        memberships = memberships.filter(public_updated_at__gte=updated_since)
    if group:
        memberships = memberships.filter(group__slug=group)
    if person:
        memberships = memberships.filter(person__slug=person)
    if role:
        memberships = memberships.filter(role=role)
    return memberships.only("role", "start_date", "end_date", "person__slug", "group__slug")


def _public_funders():
    return Prefetch(
        "funders", queryset=Funder.objects.public().only("slug"), to_attr="public_funders"
    )


def _published_slugs(model, now, attribute, order=None):
    queryset = model.objects.published(now).only("slug")
    if order:
        queryset = queryset.order_by(order, "pk")
    return Prefetch(attribute, queryset=queryset, to_attr=f"public_{attribute}")


def api_publications(
    *, now, q="", kind=None, group=None, topic=None, year=None, author=None, updated_since=None
):
    publications = keyword_filter(Publication.objects.published(now).without_text(), q)
    if kind:
        publications = publications.filter(kind=kind)
    if group:
        publications = publications.filter(
            pk__in=Publication.groups.through.objects.filter(
                group__in=Group.objects.published(now).filter(slug=group)
            ).values("publication_id")
        )
    if topic:
        publications = publications.filter(topics__slug=topic)
    if year:
        publications = publications.filter(published_on__year=year)
    if author:
        publications = publications.filter(
            pk__in=Authorship.objects.filter(
                person__in=Person.objects.public().filter(slug=author)
            ).values("publication_id")
        )
    return (
        _since(publications, updated_since, now)
        .order_by("pk")
        .prefetch_related(
            Prefetch("authorships", queryset=ordered_authorships()),
            _published_slugs(Group, now, "groups"),
            "topics",
            Prefetch(
                "funders", queryset=Funder.objects.public().only("slug"), to_attr="public_funders"
            ),
        )
    )


def api_events(*, now, q="", kind=None, year=None, country=None, group=None, updated_since=None):
    events = keyword_filter(Event.objects.published(now), q)
    if kind:
        events = events.filter(kind=kind)
    if year:
        events = events.filter(start_date__year=year)
    if country:
        events = events.filter(country=country.upper())
    if group:
        events = events.filter(
            pk__in=Event.organisers.through.objects.filter(
                group__in=Group.objects.published(now).filter(slug=group)
            ).values("event_id")
        )
    return (
        _since(events, updated_since, now)
        .order_by("pk")
        .prefetch_related(
            _published_slugs(Group, now, "organisers"),
            _published_slugs(Publication, now, "publications"),
            Prefetch(
                "funders", queryset=Funder.objects.public().only("slug"), to_attr="public_funders"
            ),
        )
    )


def api_funders(*, now, q="", tier=None, updated_since=None):
    funders = keyword_filter(Funder.objects.public(), q)
    if tier:
        funders = funders.filter(tier=tier)
    if updated_since is not None:
        funders = funders.filter(updated_at__gte=updated_since)
    return (
        funders.annotate(public_updated_at=F("updated_at"))
        .order_by("pk")
        .prefetch_related(
            # In the funder's own order (set on its admin page).
            _published_slugs(Publication, now, "publications", order="funder_links__position"),
            _published_slugs(Event, now, "events", order="funder_links__position"),
        )
    )
