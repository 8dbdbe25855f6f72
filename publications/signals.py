"""Keep the stored formatted citations in step with what they are made from.

A citation reads the publication, its authorships in order and the names of the people
among its authors: a change to any of them, wherever it is made (the admin, a service,
a shell), refreshes the citations after commit (services.publication_citations_changed).
"""

from django.db.models.signals import post_delete, post_save

from groups.models import Person
from publications.models import Authorship, Publication
from publications.services import publication_citations_changed


def _publication_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        publication_citations_changed(publication_ids=[instance.pk])


def _authorship_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        publication_citations_changed(publication_ids=[instance.publication_id])


def _person_saved(sender, instance, raw=False, created=False, **kwargs):
    # A new person is nobody's author yet.
    if not raw and not created:
        publication_citations_changed(
            publication_ids=Authorship.objects.filter(person=instance).values_list(
                "publication_id", flat=True
            )
        )


def connect():
    post_save.connect(_publication_saved, sender=Publication, dispatch_uid="citations-pub")
    post_save.connect(_authorship_changed, sender=Authorship, dispatch_uid="citations-author")
    post_delete.connect(_authorship_changed, sender=Authorship, dispatch_uid="citations-author-del")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="citations-person")
