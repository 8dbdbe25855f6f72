"""Writes shared by every publishable kind of content."""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from core.cache import bump_content_version
from core.history import record_bulk_change
from core.models import Status

# Sent before a bulk status change (one UPDATE, so no pre_save): `queryset` holds the
# items about to change. Apps above that remember public states listen (opendata).
status_will_change = Signal()

# Sent after an UPDATE of many records' status (no post_save for each): `sender` is the
# model, `pks` the ids changed. The search index listens (core names no app).
status_changed = Signal()


def publishable_set_status(*, queryset, status: str) -> int:
    """Publish or unpublish many items at once; returns how many changed.

    One UPDATE sends no post_save signal, so the page cache is told here, after commit,
    and each record's history gets its new version here (by the request's user).
    `updated_at` moves, so feeds, sitemaps and calendars see the change.
    """
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    with transaction.atomic():
        pending = queryset.exclude(status=status)
        status_will_change.send(sender=queryset.model, queryset=pending, status=status)
        pks = list(pending.values_list("pk", flat=True))
        changed = queryset.model.objects.filter(pk__in=pks).update(
            status=status, updated_at=timezone.now()
        )
        record_bulk_change(model=queryset.model, pks=pks)
        status_changed.send(sender=queryset.model, pks=pks)
        bump_content_version()
        transaction.on_commit(bump_content_version)
    return changed
