"""Background work of the index: reindexing the records a change cascades to."""

from django_tasks import task

from search.services import index_records

BATCH = 500


@task()
def reindex_records(kind: str, ids: list[int]):
    """Reindex records whose documents show another record's text (a renamed person's
    publications, a renamed group's events): possibly many, so never in the request."""
    for start in range(0, len(ids), BATCH):
        index_records(kind=kind, ids=ids[start : start + BATCH])
