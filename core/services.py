"""Writes shared by every publishable kind of content."""

from django.db import transaction
from django.db.models import TextField
from django.dispatch import Signal

from core.cache import bump_content_version
from core.models import Status

# Sent before a bulk status change: `queryset` holds the items about to change. Apps
# above that remember public states listen (opendata).
status_will_change = Signal()

# Sent after a bulk status change: `sender` is the model, `pks` the ids changed. The
# search index listens (core names no app).
status_changed = Signal()


def _without_long_texts(queryset):
    """The records without their long texts (a PDF's text may run to megabytes): a
    bulk change of a status or a link does not need them."""
    fields = queryset.model._meta.concrete_fields
    return queryset.defer(*[field.name for field in fields if isinstance(field, TextField)])


def publishable_set_status(*, queryset, status: str) -> int:
    """Publish or unpublish many items; returns how many changed.

    Each item is saved on its own (never one UPDATE), so that everything listening to
    saves sees each change: the search index, the citations, the open data exports and
    the history of revisions, which records the acting user. `updated_at` moves, so
    feeds, sitemaps and calendars see the change.
    """
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    model = queryset.model
    with transaction.atomic():
        pending = queryset.exclude(status=status)
        status_will_change.send(sender=model, queryset=pending, status=status)
        items = list(_without_long_texts(pending).order_by("pk"))
        for item in items:
            item.status = status
            item.save(update_fields=["status", "updated_at"])
        status_changed.send(sender=model, pks=[item.pk for item in items])
        bump_content_version()
        transaction.on_commit(bump_content_version)
    return len(items)


def m2m_add_each(*, queryset, field: str, value) -> int:
    """Add `value` to the many-to-many `field` of each record; returns how many records
    did not have it yet.

    Each changed record is then saved on its own (its `updated_at` moves), so that the
    history of revisions records the change with the acting user, and feeds and caches
    see it.
    """
    changed = 0
    with transaction.atomic():
        for item in _without_long_texts(queryset.exclude(**{field: value})).order_by("pk"):
            getattr(item, field).add(value)
            item.save(update_fields=["updated_at"])
            changed += 1
    return changed
