"""Reads for the open-data outputs. Each owns its query plan; nothing unpublished leaks.

OAI-PMH reports every publication that has been public: the public ones as records, and
the ones that stopped being public (an edit back to draft, a deletion, an expiry) as
deleted headers. A publication that never was public never appears.
"""

from django.db.models import BooleanField, Case, F, Min, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from core.models import Status
from groups.models import Group
from opendata.models import DeletedPublication
from publications.models import Publication
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
