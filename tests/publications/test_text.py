"""The text of publications' PDFs: read by a task in a child process, stored for search."""

import logging
import sys

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks.signals import task_enqueued

from publications import extract, services
from publications.models import Publication, TextStatus
from tests.factories import (
    PublicationFactory,
    UserFactory,
    pdf_bytes,
    pdf_with_image_only,
    pdf_with_text,
)
from tests.publications.test_admin import _form

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:publications_publication_changelist")
ADD = reverse("admin:publications_publication_add")
PHRASE = "Midwife migration from Ghana in 2003"
CORRUPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage"


@pytest.fixture
def enqueued():
    """The publication ids of the text extractions queued during the test."""
    ids = []

    def receiver(task_result, **kwargs):
        if task_result.task.name == "extract_publication_text":
            ids.append(task_result.kwargs["publication_id"])

    task_enqueued.connect(receiver)
    yield ids
    task_enqueued.disconnect(receiver)


def _run(callbacks):
    """What a commit does: run the callbacks it was holding (tasks are enqueued then)."""
    for callback in callbacks:
        callback()


def _upload(data, name="paper.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _change_url(publication):
    return reverse("admin:publications_publication_change", args=[publication.pk])


def _with_file(data, capture, *, execute=True, **fields):
    """A publication whose PDF was just set, as the admin's save does; the task run or not."""
    publication = PublicationFactory(file=_upload(data), **fields)
    with capture(execute=execute) as callbacks:
        services.publication_file_changed(publication=publication)
    publication.refresh_from_db()
    return publication, callbacks


# --- What the worker stores ----------------------------------------------------------


def test_pdf_with_a_text_layer_gives_its_text(django_capture_on_commit_callbacks):
    publication, _ = _with_file(
        pdf_with_text(PHRASE, "Health workforce (second page)"), django_capture_on_commit_callbacks
    )

    assert publication.text_status == TextStatus.EXTRACTED
    assert publication.text == f"{PHRASE}\n\nHealth workforce (second page)"


def test_pdf_with_only_an_image_has_no_text(django_capture_on_commit_callbacks):
    publication, _ = _with_file(pdf_with_image_only(), django_capture_on_commit_callbacks)

    assert (publication.text_status, publication.text) == (TextStatus.NO_TEXT, "")


def test_pdf_of_blank_pages_has_no_text(django_capture_on_commit_callbacks):
    publication, _ = _with_file(pdf_bytes(pages=2), django_capture_on_commit_callbacks)

    assert publication.text_status == TextStatus.NO_TEXT


def test_corrupt_pdf_fails_and_is_logged(django_capture_on_commit_callbacks, caplog):
    publication = PublicationFactory(file=_upload(CORRUPT), file_size=len(CORRUPT))

    with caplog.at_level(logging.WARNING, logger="publications.services"):
        status = services.publication_text_extract(
            publication_id=publication.pk,
            file_name=publication.file.name,
            file_size=publication.file_size,
        )

    publication.refresh_from_db()
    assert status == TextStatus.FAILED
    assert (publication.text_status, publication.text) == (TextStatus.FAILED, "")
    assert "PDF text extraction failed (exit status 2)" in caplog.text
    assert "PdfiumError" in caplog.text


def test_extraction_that_hangs_is_stopped_at_the_time_limit(
    django_capture_on_commit_callbacks, monkeypatch, settings, caplog
):
    settings.PDF_TEXT_TIMEOUT_SECONDS = 1
    monkeypatch.setattr(
        services, "EXTRACT_COMMAND", [sys.executable, "-c", "import time; time.sleep(60)"]
    )

    with caplog.at_level(logging.WARNING, logger="publications.services"):
        publication, _ = _with_file(pdf_with_text(PHRASE), django_capture_on_commit_callbacks)

    assert (publication.text_status, publication.text) == (TextStatus.FAILED, "")
    assert "PDF text extraction stopped after 1 seconds" in caplog.text


def test_extraction_over_its_memory_limit_fails(django_capture_on_commit_callbacks, settings):
    settings.PDF_TEXT_MEMORY_MB = 8  # less than Python itself needs to load PDFium

    publication, _ = _with_file(pdf_with_text(PHRASE), django_capture_on_commit_callbacks)

    assert publication.text_status == TextStatus.FAILED


def test_text_is_cut_at_the_limit(django_capture_on_commit_callbacks, settings):
    settings.PDF_TEXT_MAX_CHARS = 12

    publication, _ = _with_file(pdf_with_text(PHRASE), django_capture_on_commit_callbacks)

    assert publication.text == "Midwife migr"


def test_text_is_normalised_without_nul_or_broken_words():
    raw = "Health\x00 work\x02\r\nforce\t\tplanning\r\n\r\n\ufeffin  2003 \x07"
    assert extract.normalise(raw) == "Health workforce planning in 2003"


# --- When the task is queued ---------------------------------------------------------


def test_setting_a_pdf_marks_it_pending_and_queues_the_task_after_commit(
    django_capture_on_commit_callbacks, enqueued
):
    publication, callbacks = _with_file(
        pdf_with_text(PHRASE), django_capture_on_commit_callbacks, execute=False
    )

    assert (publication.text_status, publication.text) == (TextStatus.PENDING, "")
    assert enqueued == []
    _run(callbacks)  # the commit: the (immediate) backend runs the task
    assert enqueued == [publication.pk]
    publication.refresh_from_db()
    assert PHRASE in publication.text


def test_editor_uploads_a_pdf_and_its_text_is_read(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(ADD, _form(file=_upload(pdf_with_text(PHRASE))))

    assert response.status_code == 302
    publication = Publication.objects.get(slug="migration")
    assert (publication.text_status, publication.text) == (TextStatus.EXTRACTED, PHRASE)


def test_replacing_the_pdf_reads_the_new_text(
    editor_client, django_capture_on_commit_callbacks, enqueued
):
    publication, _ = _with_file(
        pdf_with_text("Old words"), django_capture_on_commit_callbacks, slug="migration"
    )

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            _change_url(publication), _form(file=_upload(pdf_with_text("New words")))
        )

    publication.refresh_from_db()
    assert enqueued == [publication.pk, publication.pk]
    assert (publication.text_status, publication.text) == (TextStatus.EXTRACTED, "New words")


def test_saving_without_touching_the_pdf_queues_nothing_and_keeps_the_text(
    editor_client, django_capture_on_commit_callbacks, enqueued
):
    publication, _ = _with_file(
        pdf_with_text(PHRASE), django_capture_on_commit_callbacks, slug="migration"
    )

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(_change_url(publication), _form(title="Renamed"))

    publication.refresh_from_db()
    assert enqueued == [publication.pk]  # the upload's, none for the save
    assert (publication.title, publication.text) == ("Renamed", PHRASE)


def test_removing_the_pdf_clears_its_text(
    editor_client, django_capture_on_commit_callbacks, enqueued
):
    publication, _ = _with_file(
        pdf_with_text(PHRASE), django_capture_on_commit_callbacks, slug="migration"
    )

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(_change_url(publication), _form(**{"file-clear": "on"}))

    publication.refresh_from_db()
    assert enqueued == [publication.pk]  # the upload's only
    assert (publication.file.name, publication.text_status, publication.text) == (
        "",
        TextStatus.NONE,
        "",
    )


def test_stored_text_reaches_post_save_receivers_and_queues_nothing_again(
    django_capture_on_commit_callbacks, enqueued
):
    publication, _ = _with_file(
        pdf_with_text(PHRASE), django_capture_on_commit_callbacks, execute=False
    )
    seen = []

    def receiver(instance, update_fields, **kwargs):
        seen.append((instance.text, sorted(update_fields)))

    post_save.connect(receiver, sender=Publication)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.publication_text_extract(
                publication_id=publication.pk,
                file_name=publication.file.name,
                file_size=publication.file_size,
            )
    finally:
        post_save.disconnect(receiver, sender=Publication)

    assert seen == [(PHRASE, ["text", "text_status", "updated_at"])]
    assert enqueued == []


# --- A task for a file that is no longer there ---------------------------------------


def test_task_for_a_replaced_pdf_stores_nothing(django_capture_on_commit_callbacks):
    publication, old_task = _with_file(
        pdf_with_text("Old words"), django_capture_on_commit_callbacks, execute=False
    )
    publication.file = _upload(pdf_with_text("New words, longer than the old"))
    publication.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_file_changed(publication=publication)

    _run(old_task)  # the old file's task runs late

    publication.refresh_from_db()
    assert publication.text == "New words, longer than the old"


def test_pdf_replaced_while_its_text_is_read_is_not_overwritten(
    django_capture_on_commit_callbacks, monkeypatch
):
    publication, _ = _with_file(
        pdf_with_text(PHRASE), django_capture_on_commit_callbacks, execute=False
    )
    read_text = services._read_text

    def read_while_an_editor_replaces_the_file(path):
        result = read_text(path)
        Publication.objects.filter(pk=publication.pk).update(
            file="publications/newer.pdf", text_status=TextStatus.PENDING
        )
        return result

    monkeypatch.setattr(services, "_read_text", read_while_an_editor_replaces_the_file)

    status = services.publication_text_extract(
        publication_id=publication.pk,
        file_name=publication.file.name,
        file_size=publication.file_size,
    )

    publication.refresh_from_db()
    assert status == "stale"
    assert (publication.text_status, publication.text) == (TextStatus.PENDING, "")


def test_task_for_a_deleted_publication_does_nothing(django_capture_on_commit_callbacks):
    publication, task = _with_file(
        pdf_with_text(PHRASE), django_capture_on_commit_callbacks, execute=False
    )
    publication.delete()

    _run(task)

    assert not Publication.objects.exists()


# --- The admin -----------------------------------------------------------------------


def test_admin_flags_a_pdf_without_text_and_filters_by_it(
    editor_client, django_capture_on_commit_callbacks
):
    scan, _ = _with_file(pdf_with_image_only(), django_capture_on_commit_callbacks)
    readable, _ = _with_file(pdf_with_text(PHRASE), django_capture_on_commit_callbacks)

    change = editor_client.get(_change_url(scan))
    assert "No searchable text: this PDF has no text layer (a scan?)" in change.text
    assert (
        "36 characters of text read from the PDF" in editor_client.get(_change_url(readable)).text
    )

    changelist = editor_client.get(CHANGELIST, {"text_status__exact": "no_text"})
    assert list(changelist.context["cl"].result_list) == [scan]
    assert "no searchable text (a scan?)" in changelist.text


def test_admin_says_why_a_failed_pdf_has_no_text(editor_client):
    publication = PublicationFactory(file=_upload(CORRUPT), text_status=TextStatus.FAILED)

    response = editor_client.get(_change_url(publication))

    assert "Text extraction failed: the PDF could not be read" in response.text


def test_action_extracts_text_again(editor_client, django_capture_on_commit_callbacks):
    failed = PublicationFactory(file=_upload(pdf_with_text(PHRASE)), text_status=TextStatus.FAILED)
    failed.file_size = failed.file.size
    failed.save()
    without_file = PublicationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST,
            {
                "action": "extract_text_again",
                "_selected_action": [str(failed.pk), str(without_file.pk)],
            },
            follow=True,
        )

    assert "The text of 1 PDF will be read again by the background worker." in response.text
    failed.refresh_from_db()
    without_file.refresh_from_db()
    assert (failed.text_status, failed.text) == (TextStatus.EXTRACTED, PHRASE)
    assert without_file.text_status == TextStatus.NONE


def test_action_needs_the_change_permission(client, django_capture_on_commit_callbacks, enqueued):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(viewer)
    failed = PublicationFactory(file=_upload(pdf_with_text(PHRASE)), text_status=TextStatus.FAILED)

    assert "extract_text_again" not in client.get(CHANGELIST).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST, {"action": "extract_text_again", "_selected_action": [str(failed.pk)]}
        )

    failed.refresh_from_db()
    assert enqueued == []
    assert failed.text_status == TextStatus.FAILED


# --- The backfill command ------------------------------------------------------------


def _waiting(status, text="Some words"):
    publication = PublicationFactory(file=_upload(pdf_with_text(text)), text_status=status)
    publication.file_size = publication.file.size
    publication.save()
    return publication


def test_command_reads_pending_and_failed_pdfs(capsys):
    pending = _waiting(TextStatus.PENDING, "Pending words")
    failed = _waiting(TextStatus.FAILED, "Failed words")
    done = _waiting(TextStatus.EXTRACTED)
    PublicationFactory()  # no PDF: nothing to read

    call_command("extract_pdf_text")

    summary = capsys.readouterr().out
    assert "2 PDFs read in" in summary
    assert "2 extracted, 0 without text (scans?), 0 failed, 0 changed meanwhile." in summary
    for publication, text in [(pending, "Pending words"), (failed, "Failed words"), (done, "")]:
        publication.refresh_from_db()
        assert publication.text == text


def test_command_all_reads_every_pdf_again(capsys):
    done = _waiting(TextStatus.EXTRACTED, "Fresh words")

    call_command("extract_pdf_text", "--all")

    assert "1 PDF read in" in capsys.readouterr().out
    done.refresh_from_db()
    assert done.text == "Fresh words"


# --- Pages never carry the text ------------------------------------------------------


def test_public_pages_never_read_the_text_column(client, django_capture_on_commit_callbacks):
    publication, _ = _with_file(pdf_with_text(PHRASE), django_capture_on_commit_callbacks)
    urls = [
        "/",
        reverse("publications:publication_list"),
        publication.get_absolute_url(),
        reverse("publications:publication_feed"),
    ]

    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        columns = " ".join(query["sql"] for query in queries)
        assert '"publications_publication"."text"' not in columns, url


# --- Through the real queue ----------------------------------------------------------


# The worker closes and reopens database connections: a test of its own transactions.
@pytest.mark.django_db(transaction=True)
def test_database_queue_and_worker_read_the_text(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    publication = PublicationFactory(file=_upload(pdf_with_text(PHRASE)))
    services.publication_file_changed(publication=publication)  # commits: the task is queued
    publication.refresh_from_db()
    assert publication.text_status == TextStatus.PENDING  # waiting for a worker

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    publication.refresh_from_db()
    assert (publication.text_status, publication.text) == (TextStatus.EXTRACTED, PHRASE)
