"""Undo a confirmed import as one change: what it created is deleted, what it updated goes
back to the version before it (core.history), in one transaction, recorded in history by
the user who reverts.

Refused, with the records named, when any of them was edited since the import (or a row
of theirs was: a person's role, a publication's author) or is now needed elsewhere (a
created person named as an author since): undoing the import would undo that work too.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from groups.models import Membership, Person
from imports.models import ImportKind, ImportRecord, ImportStatus
from imports.services import as_user
from publications.models import Publication

logger = logging.getLogger(__name__)

# How many of the records edited since a refusal names.
NAMED = 5


class RevertRefused(Exception):
    """The import cannot be reverted; the message says why, in words."""


def may_revert(user, record) -> bool:
    """Staff who may delete what the import created and change what it updated."""
    if record.kind == ImportKind.PEOPLE:
        wanted = ["groups.delete_person", "groups.change_person", "groups.delete_membership"]
    else:
        wanted = ["publications.delete_publication"]
    return user.is_active and user.is_staff and user.has_perms(wanted)


def _written(record, *, status=ImportStatus.DONE):
    written = (record.preview or {}).get("written")
    if record.status == ImportStatus.REVERTING and status != ImportStatus.REVERTING:
        raise RevertRefused(_("A worker is reverting this import; reload the page."))
    if record.status != status:
        raise RevertRefused(_("Only a finished import can be reverted."))
    if written is None or record.started_at is None:
        raise RevertRefused(
            _("This import was made before imports could be reverted; undo it by hand.")
        )
    return written


def _touched(record, written):
    """[(model, ids)] of what the import wrote."""
    if record.kind == ImportKind.PEOPLE:
        return [
            (Person, written["created"] + written["updated"]),
            (Membership, written.get("memberships", [])),
        ]
    return [(Publication, written["created"])]


def edited_since(record, written) -> list[str]:
    """Names of the import's records edited (or whose rows were) since it finished."""
    names = []
    for model, ids in _touched(record, written):
        if not ids:
            continue
        # Edits by people: a worker's bookkeeping (a PDF's text read after the import,
        # saved without a user) undoes no one's work.
        later = history.versions_of(model).filter(
            history_date__gt=record.imported_at, history_user__isnull=False
        )
        changed = set(
            later.filter(**{f"{model._meta.pk.attname}__in": ids}).values_list(
                model._meta.pk.attname, flat=True
            )
        )
        for child_history, fk in history._children(model):
            changed |= set(
                child_history.objects.filter(
                    history_date__gt=record.imported_at,
                    history_user__isnull=False,
                    **{f"{fk.attname}__in": ids},
                ).values_list(fk.attname, flat=True)
            )
        names += [history.record_name(obj) for obj in model._base_manager.filter(pk__in=changed)]
    return names


def plan(record, *, status=ImportStatus.DONE) -> dict:
    """What a revert would do: {"delete": n, "restore": n, "roles": n}; RevertRefused."""
    written = _written(record, status=status)
    blocked = edited_since(record, written)
    if blocked:
        raise RevertRefused(_refusal(blocked))
    return {
        "delete": len(written["created"]),
        "restore": len(written["updated"]),
        "roles": len(written.get("memberships", [])),
    }


def _refusal(names):
    shown = ", ".join(names[:NAMED])
    if len(names) > NAMED:
        shown += " " + _("and %(count)d more") % {"count": len(names) - NAMED}
    return _(
        "These records were edited since the import: %(names)s. Reverting would undo that "
        "work too; change them by hand instead."
    ) % {"names": shown}


def ask(*, record, user) -> bool:
    """Mark the import to be reverted by `user` (once); the task `revert_import` does it."""
    plan(record)
    return bool(
        ImportRecord.objects.filter(pk=record.pk, status=ImportStatus.DONE).update(
            status=ImportStatus.REVERTING, reverted_by=user, failure=""
        )
    )


def revert_run(*, record_id):
    """The task's work: revert, or say why not on the record (back to done)."""
    record = ImportRecord.objects.get(pk=record_id)
    if record.status != ImportStatus.REVERTING:
        return
    try:
        revert(record_id=record_id, user=record.reverted_by)
    except RevertRefused as refused:
        message = str(refused)
    except Exception:
        logger.exception("Import %s: the revert failed", record_id)
        message = _("The revert stopped on an unexpected error; nothing was changed.")
    else:
        return
    ImportRecord.objects.filter(pk=record_id).update(
        status=ImportStatus.DONE, failure=message, reverted_by=None
    )


def revert(*, record_id, user) -> dict:
    """Undo the import in one transaction, by `user`; what was done (as `plan`).

    Many records at once: deleted as querysets (in batches, each deletion still a
    version in the history, by `user`).
    """
    with transaction.atomic(), as_user(user):
        record = ImportRecord.objects.select_for_update().get(pk=record_id)
        done = plan(record, status=ImportStatus.REVERTING)
        written = _written(record, status=ImportStatus.REVERTING)
        model = Person if record.kind == ImportKind.PEOPLE else Publication
        try:
            # The roles the import added first, then the people it updated back to their
            # version before it, then what it created.
            Membership.objects.filter(pk__in=written.get("memberships", [])).delete()
            for pk in written["updated"]:
                before = (
                    history.versions_of(Person)
                    .filter(id=pk, history_date__lt=record.started_at)
                    .order_by("-history_date", "-history_id")
                    .first()
                )
                if before is not None:
                    history.version_revert(record=before, user=user)
            model.objects.filter(pk__in=written["created"]).delete()
        except ValidationError as error:
            raise RevertRefused(
                _("A record cannot go back to its version before the import: %(error)s")
                % {"error": " ".join(error.messages)}
            ) from error
        except ProtectedError as error:
            names = sorted({history.record_name(obj) for obj in error.protected_objects})
            raise RevertRefused(
                _(
                    "Records made since the import need what it created (%(names)s); "
                    "nothing was reverted."
                )
                % {"names": ", ".join(names[:NAMED])}
            ) from error
        record.status = ImportStatus.REVERTED
        record.reverted_at = timezone.now()
        record.reverted_by = user
        record.save(update_fields=["status", "reverted_at", "reverted_by"])
    return done
