"""The preview and the confirmed import run here, by a worker (`manage.py db_worker`),
never in a web request: a 10,000-row file takes longer than a request may."""

from django.utils import translation
from django_tasks import task

from imports import revert, services


@task()
def preview_import(record_id: int, language: str) -> None:
    """The dry run of an upload, stored for its page (in the uploader's language)."""
    with translation.override(language):
        services.preview_run(record_id=record_id)


@task()
def run_import(record_id: int, language: str) -> None:
    """The confirmed import of what the preview showed, in one transaction."""
    with translation.override(language):
        services.import_run(record_id=record_id)


@task()
def revert_import(record_id: int, language: str) -> None:
    """Undo a finished import as one change, by the user who asked (imports/revert.py)."""
    with translation.override(language):
        revert.revert_run(record_id=record_id)
