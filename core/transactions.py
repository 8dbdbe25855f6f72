"""Work after commit, gathered: one call per transaction, however many rows changed."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_gathering = ContextVar("gathering_on_commit", default=None)


@contextmanager
def gathered_on_commit():
    """Within this block, after-commit work asked for through `on_commit_gathered` is
    gathered, and registered once per kind of work when the block ends.

    A bulk import saves thousands of rows in one transaction; each save asking for its
    own after-commit work (a search reindex, a citation refresh) would run thousands of
    small transactions after it. Gathered, the work runs once, in batches. Outside such
    a block nothing changes: each call registers its own work, as before.
    """
    work = {}
    token = _gathering.set(work)
    try:
        yield
    finally:
        _gathering.reset(token)
    for callback, ids in work.values():
        gathered = sorted(ids)
        # Robust: the records are committed; work that fails after (an unreachable queue)
        # is logged, and `search_reindex` or `refresh_citations` catch up.
        transaction.on_commit(
            lambda callback=callback, gathered=gathered: callback(gathered), robust=True
        )


def on_commit_gathered(key, ids, callback):
    """Call `callback(ids)` after the current transaction commits (at once outside one);
    inside `gathered_on_commit()`, once for every id given under `key` in the block."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return
    work = _gathering.get()
    if work is None:
        transaction.on_commit(lambda: callback(sorted(ids)))
        return
    work.setdefault(key, (callback, set()))[1].update(ids)
