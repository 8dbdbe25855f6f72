"""Writes of the open-data app: remembering publications that stop being public."""

from django.db.models import Prefetch
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone

from core.apps import connect_to_content_changes
from core.services import status_will_change
from groups.models import Group
from opendata.models import DeletedPublication
from opendata.selectors import has_been_public
from publications.models import Publication


def deleted_publications_record(*, publication_pks, now) -> None:
    """Remember the publications among `publication_pks` that have been public, as of now.

    Called before each save, delete or bulk status change of publications: a row's
    datestamp is then the moment of the last such change, which is when the publication
    left the public record if that change took it out (OAI-PMH then reports it as
    deleted, with the published groups it belonged to as its sets). Rows of publications
    that stay public are ignored by the readers (opendata.selectors).
    """
    publications = Publication.objects.filter(has_been_public(now), pk__in=publication_pks)
    publications = publications.only("pk", "kind").prefetch_related(
        Prefetch("groups", queryset=Group.objects.published().only("slug"), to_attr="sets")
    )
    for publication in publications:
        slugs = " ".join(sorted(group.slug for group in publication.sets))
        DeletedPublication.objects.update_or_create(
            publication_pk=publication.pk,
            defaults={
                "datestamp": now,
                "kind": publication.kind,
                # Padded with spaces, so a set is found with `contains=" slug "`.
                "group_slugs": f" {slugs} " if slugs else "",
            },
        )


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    deleted_publications_record(publication_pks=[instance.pk], now=timezone.now())


def _before_delete(sender, instance, **kwargs):
    deleted_publications_record(publication_pks=[instance.pk], now=timezone.now())


def _before_bulk_status_change(sender, queryset, **kwargs):
    if sender is Publication:
        deleted_publications_record(publication_pks=queryset.values("pk"), now=timezone.now())


def _content_changed(sender, **kwargs):
    from opendata.tasks import export_after_change

    export_after_change()


def connect_signals():
    connect_to_content_changes(_content_changed, uid="opendata-export")
    status_will_change.connect(_content_changed, dispatch_uid="opendata-export-bulk-status")
    uid = "opendata-publication"
    pre_save.connect(_before_save, sender=Publication, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_before_delete, sender=Publication, dispatch_uid=f"{uid}-delete")
    status_will_change.connect(_before_bulk_status_change, dispatch_uid=f"{uid}-bulk")
