"""Background work of the open-data app: regenerating the bulk files after changes."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from core.cache import next_scheduled_change
from opendata import bulk

# Changes within this time are gathered into one regeneration.
DEBOUNCE = datetime.timedelta(minutes=2)
PENDING_KEY = "opendata:export-pending"


@task()
def export_open_data():
    """Write the bulk files; come back at the next scheduled go-live or expiry."""
    cache.delete(PENDING_KEY)
    now = timezone.now()
    bulk.export(now)
    # A go-live or an expiry changes the public record without a save.
    moment = next_scheduled_change(now)
    if moment is not None and default_task_backend.supports_defer:
        export_open_data.using(run_after=moment + datetime.timedelta(seconds=1)).enqueue()


def _enqueue(*, at):
    # Only a queue that can wait (the database backend of development and production):
    # the immediate backend of the tests would export inside every committing save.
    if default_task_backend.supports_defer:
        export_open_data.using(run_after=at).enqueue()


def export_after_change():
    """Ask for a regeneration after the current transaction commits, at most one per
    DEBOUNCE: the first change queues it DEBOUNCE later, the next ones join it."""

    def queue():
        if cache.add(PENDING_KEY, True, timeout=DEBOUNCE.total_seconds() * 2):
            _enqueue(at=timezone.now() + DEBOUNCE)

    transaction.on_commit(queue)
