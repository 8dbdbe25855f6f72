"""How far a running import task is, readable by the status page while the task works.

The task works inside one transaction (the dry run's, rolled back; the import's, committed
at the end): what it writes there is seen by no other connection until it ends. So the
progress is written beside it:

- on PostgreSQL, through a second connection of the worker's own, in autocommit (the
  status page reads `ImportRecord.progress_done`); the task's transaction never writes the
  record's row before its last progress, so the two never wait on each other;
- always, in the cache too (shared by the web and the workers with `REDIS_URL`). On SQLite
  a second connection would wait for the task's write lock: there the cache is the only
  channel (with the local-memory cache of development, the page shows the total and the
  phase, not the live count).
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

# Written every this many rows (and at the end): a few dozen writes for 10,000 rows.
EVERY = 250
CACHE_SECONDS = 6 * 3600


def _key(record_id):
    return f"imports:progress:{record_id}"


class Progress:
    """Count rows done for one import record; `step()` after each row."""

    def __init__(self, record_id, total=0):
        self.record_id = record_id
        self.total = total
        self.done = 0
        self._connection = None

    def start(self, total):
        self.total, self.done = total, 0
        self._write()

    def step(self, count=1):
        self.done += count
        if self.done % EVERY == 0 or self.done == self.total:
            self._write()

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _write(self):
        cache.set(_key(self.record_id), (self.done, self.total), CACHE_SECONDS)
        if connections["default"].vendor == "sqlite":
            return
        try:
            if self._connection is None:
                self._connection = connections.create_connection("default")
            with self._connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE imports_importrecord SET progress_done = %s, progress_total = %s "
                    "WHERE id = %s",
                    [self.done, self.total, self.record_id],
                )
        except DatabaseError:
            # Progress is a courtesy: the import goes on without it.
            logger.warning("Import %s: progress not written", self.record_id, exc_info=True)


def read(record):
    """(rows done, rows in all) of the record's running task, as far as known."""
    cached = cache.get(_key(record.pk))
    if cached is not None and cached[0] >= record.progress_done:
        return tuple(cached)
    return record.progress_done, record.progress_total
