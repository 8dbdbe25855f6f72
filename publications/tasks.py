"""Background work on publications, run by a worker (`manage.py db_worker`), never a request."""

from django_tasks import task

from publications import services


@task()
def extract_publication_text(publication_id: int, file_name: str, file_size: int | None) -> str:
    """Read the text of the publication's PDF (when it is still that file) and store it."""
    return services.publication_text_extract(
        publication_id=publication_id, file_name=file_name, file_size=file_size
    )


@task()
def refresh_citations(publication_ids: list[int]) -> int:
    """Store the formatted citations of many publications (after an import)."""
    return services.publication_citations_refresh(publication_ids=publication_ids)
