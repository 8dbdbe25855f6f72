"""Writes to the search index: documents made from records, kept in step with them."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation

from core.cache import bump_content_version
from search.backends import get_backend
from search.models import SearchDocument
from search.sources import source_for_kind, sources

log = logging.getLogger(__name__)

FIELDS = [
    "title",
    "url",
    "date",
    "language",
    "lead",
    "body",
    "extra",
    "title_fr",
    "lead_fr",
    "body_fr",
    "status",
    "publish_at",
    "expire_at",
    "publication_kind",
    "year",
]


@transaction.atomic
def index_records(*, kind, ids):
    """(Re)index the records of `kind` with these ids; those gone lose their document.

    A fixed number of queries per batch: the records with what their documents read,
    the upsert, the documents' ids, their groups, and the full-text refresh.
    """
    source = source_for_kind(kind)
    ids = set(ids)
    _refresh_pages_on_commit()
    # The index holds each record's own (English) text and English address, whatever
    # language the editor whose save triggered it reads the admin in, and beside them its
    # French version (the `_fr` columns): one document per record (docs/design.md
    # "Languages").
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        records = list(source.queryset().filter(pk__in=ids))
        made = {record.pk: source.document(record) for record in records}
    gone = ids - set(made)
    if gone:
        remove_records(kind=kind, ids=gone)
    if not made:
        return 0
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(kind=kind, object_id=pk, **{name: doc[name] for name in FIELDS})
            for pk, doc in made.items()
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[*FIELDS, "indexed_at"],
    )
    document_ids = dict(
        SearchDocument.objects.filter(kind=kind, object_id__in=made).values_list("object_id", "pk")
    )
    through = SearchDocument.groups.through
    through.objects.filter(searchdocument_id__in=document_ids.values()).delete()
    through.objects.bulk_create(
        [
            through(searchdocument_id=document_ids[pk], group_id=group_id)
            for pk, doc in made.items()
            for group_id in doc["groups"]
        ]
    )
    get_backend().refresh(document_ids.values())
    return len(made)


@transaction.atomic
def remove_records(*, kind, ids):
    _refresh_pages_on_commit()
    documents = SearchDocument.objects.filter(kind=kind, object_id__in=ids)
    document_ids = list(documents.values_list("pk", flat=True))
    if document_ids:
        get_backend().remove(document_ids)
        SearchDocument.objects.filter(pk__in=document_ids).delete()


def _refresh_pages_on_commit():
    """The search page is a cached public page (core.cache): once the index has
    changed, kept answers must go. A record's save already bumps the content version,
    but the index is written after that commit, or later in a worker (a renamed group's
    publications): an answer kept in between would show the old index under the new
    version."""
    transaction.on_commit(bump_content_version)


def reindex_all(*, batch=500, progress=None):
    """Rebuild the whole index, source by source in batches; returns {kind: count}.

    `progress(kind, done, total)` is called after each batch.
    """
    counts = {}
    for source in sources():
        ids = list(source.model.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            stale = SearchDocument.objects.filter(kind=source.kind).exclude(object_id__in=ids)
            remove_records(kind=source.kind, ids=list(stale.values_list("object_id", flat=True)))
        done = 0
        for start in range(0, len(ids), batch):
            done += index_records(kind=source.kind, ids=ids[start : start + batch])
            if progress:
                progress(source.kind, min(start + batch, len(ids)), len(ids))
        counts[source.kind] = done
    return counts
