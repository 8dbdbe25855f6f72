"""Keep the index current: every change of an indexed record reindexes its document after
the transaction commits (never a half-saved record; nothing when it rolls back).

A change whose text shows in other records' documents (a person renamed: their
publications' authors; a group renamed: its publications and events) reindexes those in
a background task, as there may be many.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.services import status_changed
from core.transactions import on_commit_gathered
from events.models import Event
from groups.models import Membership
from publications.models import Authorship, Publication, Topic
from search import services, tasks
from search.models import Kind
from search.sources import source_for_model


def _reindex(kind, ids):
    # Gathered in a bulk import (core.transactions): thousands of rows reindex in batches.
    on_commit_gathered(("search", kind), ids, lambda gathered: _index(kind, gathered))


def _index(kind, ids):
    if len(ids) > tasks.BATCH:
        # Many records at once (a bulk import): a worker indexes them, not the request.
        tasks.reindex_records.enqueue(str(kind), list(ids))
        return
    services.index_records(kind=kind, ids=ids)


def _reindex_later(dependents):
    def enqueue():
        for kind, ids in dependents().items():
            if ids:
                tasks.reindex_records.enqueue(str(kind), list(ids))

    transaction.on_commit(enqueue)


def _saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    source = source_for_model(sender)
    if source is not None:
        _reindex(source.kind, [instance.pk])
        if not kwargs.get("created"):
            _reindex_later(lambda: source.dependents(instance))
    elif sender is Authorship:
        _reindex(Kind.PUBLICATION, [instance.publication_id])
    elif sender is Membership:
        _reindex(Kind.PERSON, [instance.person_id])
    elif sender is Topic and not kwargs.get("created"):
        pks = list(instance.publications.values_list("pk", flat=True))
        _reindex_later(lambda: {Kind.PUBLICATION: pks})


def _deleted(sender, instance, **kwargs):
    source = source_for_model(sender)
    if source is not None:
        kind, pk = source.kind, instance.pk
        transaction.on_commit(lambda: services.remove_records(kind=kind, ids=[pk]))
    elif sender is Authorship:
        _reindex(Kind.PUBLICATION, [instance.publication_id])
    elif sender is Membership:
        _reindex(Kind.PERSON, [instance.person_id])


# The many-to-many links that documents read: through model -> (kind of the forward side).
_LINKS = {
    Publication.groups.through: Kind.PUBLICATION,
    Publication.topics.through: Kind.PUBLICATION,
    Event.organisers.through: Kind.EVENT,
}


def _linked(sender, instance, action, reverse, pk_set, **kwargs):
    kind = _LINKS.get(sender)
    if kind is None or action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        _reindex(kind, [instance.pk])
    elif action == "pre_clear":
        # A cleared reverse link (group.publications.clear()): remember who had it.
        column = "topic_id" if sender is Publication.topics.through else "group_id"
        field = "publication_id" if kind == Kind.PUBLICATION else "event_id"
        linked = sender.objects.filter(**{column: instance.pk}).values_list(field, flat=True)
        _reindex(kind, list(linked))
    elif pk_set:
        _reindex(kind, list(pk_set))


def _status_changed(sender, pks, **kwargs):
    source = source_for_model(sender)
    if source is not None:
        _reindex(source.kind, pks)


def connect():
    status_changed.connect(_status_changed, dispatch_uid="search-index-status")
    post_save.connect(_saved, dispatch_uid="search-index-save")
    post_delete.connect(_deleted, dispatch_uid="search-index-delete")
    m2m_changed.connect(_linked, dispatch_uid="search-index-links")
