"""Imports as background tasks: the upload queues the preview, a page shows the progress,
the stored preview is what the confirmed import writes (or it says the site changed),
failures end in a clear report, and a finished import can be reverted as one change.

The test settings run tasks at once (ImmediateBackend, pyproject.toml): each request that
queues a task has run it when it answers.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.signals import task_enqueued

from groups.models import Membership, Person
from imports import progress, services
from imports.models import ImportKind, ImportRecord, ImportStatus
from publications.models import Publication
from tests.factories import GroupFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "Given name,Family name,Affiliation,Country,E-mail,ORCID,Group,Role,Start date,End date\n"
PEOPLE_URL = "/admin/imports/importrecord/people/"
PUBLICATIONS_URL = "/admin/imports/importrecord/publications/"


def _upload(client, text, name="people.csv", url=PEOPLE_URL):
    response = client.post(url, {"file": SimpleUploadedFile(name, text.encode())})
    assert response.status_code == 302
    return response["Location"], ImportRecord.objects.latest("pk")


@pytest.fixture
def enqueued():
    """The names of the tasks queued during the test."""
    names = []

    def listen(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(listen)
    yield names
    task_enqueued.disconnect(listen)


# --- Upload, preview, confirm: tasks, never the request ----------------------------------


def test_upload_queues_the_preview_and_its_page_shows_the_stored_rows(
    editor_client, enqueued, monkeypatch
):
    url, record = _upload(editor_client, HEADER + "Ada,Sample,,,,,,,,\nBea,Sample,,,,,,,,\n")
    assert enqueued == ["preview_import"]
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    assert [row["label"] for row in record.preview["rows"]] == ["Ada Sample", "Bea Sample"]
    assert Person.objects.count() == 0

    # The page reads the stored preview: the file is not read again.
    def refuse(**kwargs):
        raise AssertionError("recomputed")

    monkeypatch.setattr(services, "people_preview", refuse)
    page = editor_client.get(url)
    assert "This import will create 2, update 0" in page.text
    assert "<td>Bea Sample</td>" in page.text
    assert 'value="Confirm the import"' in page.text


def test_the_progress_page_shows_rows_done_and_refreshes_itself(editor_client, editor_user):
    record = services.record_upload(
        kind=ImportKind.PEOPLE, user=editor_user, file_name="big.csv", data=b"x"
    )
    counter = progress.Progress(record.pk)
    counter.start(10_000)
    counter.step(2_500)
    page = editor_client.get(f"/admin/imports/importrecord/{record.pk}/preview/")
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert 'role="status" aria-live="polite"' in page.text
    assert "2500 of 10000 rows done" in page.text
    assert f'<a href="/admin/imports/importrecord/{record.pk}/preview/">Refresh</a>' in page.text
    assert "Nothing is written" in page.text


def test_a_queued_preview_says_it_waits_for_a_worker(editor_client, editor_user):
    record = services.record_upload(
        kind=ImportKind.PEOPLE, user=editor_user, file_name="big.csv", data=b"x"
    )
    page = editor_client.get(f"/admin/imports/importrecord/{record.pk}/preview/")
    assert "Waiting for a worker to start." in page.text
    # Started, with no count reported yet (SQLite without a shared cache never reports).
    record.started_at = timezone.make_aware(datetime.datetime(2026, 1, 5, 10, 30, 15))
    record.status = ImportStatus.IMPORTING
    record.save()
    page = editor_client.get(f"/admin/imports/importrecord/{record.pk}/preview/")
    assert "Importing: a worker writes what the preview showed" in page.text
    assert "Started at 10:30:15; working." in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_the_progress_page_costs_a_fixed_number_of_queries(editor_client, editor_user, count):
    for _n in range(count):
        record = services.record_upload(
            kind=ImportKind.PEOPLE, user=editor_user, file_name="big.csv", data=b"x"
        )
    editor_client.get("/admin/")  # the session and the permissions, read once
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(f"/admin/imports/importrecord/{record.pk}/preview/")
    # The session, the user, their groups' and own permissions, the record.
    assert len(queries) == 5, [q["sql"][:60] for q in queries]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_stored_preview_page_costs_a_fixed_number_of_queries(editor_client, rows):
    text = HEADER + "".join(f"Ada{n},Sample,,,,,,,,\n" for n in range(rows))
    url, _record = _upload(editor_client, text)
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(url)
    assert page.text.count('<tr class="import-create">') == rows
    assert len(queries) == 5, [q["sql"][:60] for q in queries]


def test_confirm_queues_the_import_once_and_writes_what_the_preview_showed(
    editor_client, editor_user, enqueued
):
    group = GroupFactory(name="Sample working group")
    PersonFactory(given_name="Ada", family_name="Sample", affiliation="Old place")
    url, record = _upload(
        editor_client,
        HEADER
        + "Ada,Sample,New place,,,,,,,\n"
        + "Bea,Sample,Uni,KE,,,Sample working group,Member,2003-01-15,\n",
    )
    done = editor_client.post(url)
    assert done["Location"] == url
    assert enqueued == ["preview_import", "run_import"]
    again = editor_client.post(url)  # a second click: already imported, nothing queued
    assert again.status_code == 302
    assert enqueued == ["preview_import", "run_import"]
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE
    assert (record.created_count, record.updated_count) == (1, 1)
    assert Person.objects.get(given_name="Ada").affiliation == "New place"
    bea = Person.objects.get(given_name="Bea")
    assert Membership.objects.get().group == group
    # History names the editor, though a worker saved them.
    assert bea.history.get().history_user == editor_user
    page = editor_client.get(url, follow=True)
    assert "Bea Sample" in page.text
    assert "Imported: 1 created, 1 updated, 0 skipped, 0 left out with errors." in page.text


def test_a_person_added_since_the_preview_stops_the_import_and_asks_for_a_new_preview(
    editor_client,
):
    url, record = _upload(editor_client, HEADER + "Ada,Sample,Uni,,,,,,,\n")
    PersonFactory(given_name="Ada", family_name="Sample", affiliation="Elsewhere")
    editor_client.post(url)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert Person.objects.count() == 1
    page = editor_client.get(url)
    assert "The site changed since the preview (row 2 would not be imported as shown)" in (
        page.text
    )
    assert 'name="again" value="Preview again"' in page.text
    editor_client.post(url, {"again": "1"})
    page = editor_client.get(url)
    assert "This import will create 0, update 1" in page.text


def test_a_failure_halfway_leaves_nothing_written_and_says_so(editor_client, monkeypatch):
    GroupFactory(name="Sample working group")
    text = HEADER + "".join(
        f"P{n},Sample,,,,,Sample working group,Member,2003-01-15,\n" for n in range(5)
    )
    url, record = _upload(editor_client, text)
    saved = []
    original = Membership.save

    def fail_on_the_third(self, *args, **kwargs):
        saved.append(self)
        if len(saved) == 3:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Membership, "save", fail_on_the_third)
    editor_client.post(url)
    assert (Person.objects.count(), Membership.objects.count()) == (0, 0)
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "A row could not be saved; nothing was imported." in page.text
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert bytes(record.source)  # kept: the editor may preview again


def test_an_unexpected_error_at_the_end_leaves_nothing_written(editor_client, monkeypatch):
    url, _record = _upload(editor_client, HEADER + "Ada,Sample,,,,,,,,\n")

    def broken(record, report):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_finish", broken)
    editor_client.post(url)
    assert Person.objects.count() == 0
    page = editor_client.get(url)
    assert "The import stopped on an unexpected error; nothing was written." in page.text


def test_an_upload_previewed_before_previews_were_stored_is_previewed_again(
    editor_client, editor_user
):
    record = services.record_upload(
        kind=ImportKind.PEOPLE,
        user=editor_user,
        file_name="old.csv",
        data=(HEADER + "Ada,Sample,,,,,,,,\n").encode(),
    )
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.PREVIEWED)
    url = f"/admin/imports/importrecord/{record.pk}/preview/"
    page = editor_client.get(url, follow=True)
    assert "This import will create 1, update 0" in page.text
    assert Person.objects.count() == 0


def test_an_unreadable_file_ends_in_a_report_not_a_500(editor_client):
    url, _record = _upload(editor_client, "\x00\x01\x02")
    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'class="errornote" role="alert"' in page.text
    assert "Upload another file" in page.text


def test_publication_choices_are_kept_at_confirmation_and_applied(editor_client):
    ada = PersonFactory(given_name="Ada", family_name="Sample")
    other = PersonFactory(given_name="Ann", family_name="Sample")
    ris = "TY  - RPRT\nTI  - A sample report\nAU  - Sample, Ada\nPY  - 2003\nER  - \n"
    url, _record = _upload(editor_client, ris, name="refs.ris", url=PUBLICATIONS_URL)
    page = editor_client.get(url)
    assert f'<option value="{ada.pk}" selected>' in page.text
    editor_client.post(url, {"author-1-0": str(other.pk)})
    publication = Publication.objects.get()
    assert publication.authorships.get().person == other


def test_a_chosen_author_deleted_since_stops_the_import(editor_client):
    PersonFactory(given_name="Ada", family_name="Sample")
    other = PersonFactory(given_name="Ann", family_name="Sample")
    ris = "TY  - RPRT\nTI  - A sample report\nAU  - Sample, Ada\nPY  - 2003\nER  - \n"
    _url, record = _upload(editor_client, ris, name="refs.ris", url=PUBLICATIONS_URL)
    # The choice is kept as the editor confirms; the person goes before the worker runs.
    ImportRecord.objects.filter(pk=record.pk).update(
        status=ImportStatus.IMPORTING, choices={"1-0": other.pk}
    )
    other.delete()
    services.import_run(record_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert "A person chosen as an author was deleted since the preview" in record.failure
    assert Publication.objects.count() == 0


# --- Revert -------------------------------------------------------------------------------


def _imported(editor_client):
    group = GroupFactory(name="Sample working group")
    ada = PersonFactory(given_name="Ada", family_name="Sample", affiliation="Old place")
    url, record = _upload(
        editor_client,
        HEADER
        + "Ada,Sample,New place,,,,Sample working group,Member,2003-01-15,\n"
        + "Bea,Sample,Uni,,,,,,,\n",
    )
    editor_client.post(url)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE
    return record, ada, group


def test_an_editor_reverts_an_import_as_one_change(editor_client, editor_user):
    record, ada, _group = _imported(editor_client)
    url = f"/admin/imports/importrecord/{record.pk}/revert/"
    record_page = editor_client.get(f"/admin/imports/importrecord/{record.pk}/change/")
    assert f'<a href="{url}">Revert this import</a>' in record_page.text
    ask = editor_client.get(url)
    assert "Reverting deletes the 1 records this import created, puts the 1 people" in ask.text
    assert Person.objects.count() == 2  # asking changes nothing
    done = editor_client.post(url, follow=True)
    assert "The import of people.csv was reverted." in done.text
    assert list(Person.objects.all()) == [ada]
    ada.refresh_from_db()
    assert ada.affiliation == "Old place"
    assert Membership.objects.count() == 0
    latest = ada.history.latest()
    assert latest.history_user == editor_user
    deleted = Person.history.get(given_name="Bea", history_type="-")
    assert deleted.history_user == editor_user
    record.refresh_from_db()
    assert (record.status, record.reverted_by) == (ImportStatus.REVERTED, editor_user)
    again = editor_client.get(url)
    assert "Only a finished import can be reverted." in again.text


def test_revert_is_refused_when_a_record_was_edited_since(editor_client, superuser):
    record, _ada, _group = _imported(editor_client)
    bea = Person.objects.get(given_name="Bea")
    bea.affiliation = "Edited by hand"
    bea._history_user = superuser
    bea.save()
    url = f"/admin/imports/importrecord/{record.pk}/revert/"
    page = editor_client.post(url)
    assert page.status_code == 200
    assert "These records were edited since the import: Bea Sample." in page.text
    assert "Yes, revert the import" not in page.text
    assert Person.objects.count() == 2


def test_revert_of_publications_deletes_the_drafts(editor_client):
    ris = "TY  - RPRT\nTI  - A sample report\nPY  - 2003\nER  - \n"
    url, record = _upload(editor_client, ris, name="refs.ris", url=PUBLICATIONS_URL)
    editor_client.post(url)
    publication = Publication.objects.get()
    # A worker's save after the import (its PDF's text, say) names no user: not an edit.
    publication.text = "Read by a worker"
    publication.save()
    editor_client.post(f"/admin/imports/importrecord/{record.pk}/revert/")
    assert Publication.objects.count() == 0


def test_revert_is_refused_when_a_created_person_is_now_an_author(editor_client):
    from publications.models import Authorship
    from tests.factories import PublicationFactory

    record, _ada, _group = _imported(editor_client)
    bea = Person.objects.get(given_name="Bea")
    Authorship.objects.create(publication=PublicationFactory(), person=bea, position=1)
    page = editor_client.post(f"/admin/imports/importrecord/{record.pk}/revert/", follow=True)
    assert "Records made since the import need what it created (Bea Sample)" in page.text
    assert Person.objects.filter(given_name="Bea").exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE


def test_a_duplicate_publication_added_since_the_preview_stops_the_import(editor_client):
    from tests.factories import PublicationFactory

    ris = "TY  - RPRT\nTI  - A sample report\nPY  - 2003\nDO  - 10.5555/sample\nER  - \n"
    url, _record = _upload(editor_client, ris, name="refs.ris", url=PUBLICATIONS_URL)
    existing = PublicationFactory(title="Another title", doi="10.5555/sample")
    editor_client.post(url)
    assert list(Publication.objects.all()) == [existing]
    page = editor_client.get(url)
    assert "The site changed since the preview (row 1 would not be imported as shown)" in (
        page.text
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("member", 302),
        ("bare_staff", 403),
        ("editor", 302),
        ("superuser", 302),
    ],
)
def test_who_may_revert(
    client, editor_client, persona, expected, member_user, bare_staff_user, superuser
):
    record, _ada, _group = _imported(editor_client)
    url = f"/admin/imports/importrecord/{record.pk}/revert/"
    users = {
        "anonymous": None,
        "member": member_user,
        "bare_staff": bare_staff_user,
        "superuser": superuser,
    }
    if persona != "editor":
        client.logout()
        if users[persona]:
            client.force_login(users[persona])
    before = Person.objects.count()
    response = client.post(url)
    assert response.status_code == expected
    reverted = persona in ("editor", "superuser")
    assert Person.objects.count() == before - (1 if reverted else 0)


def test_staff_who_may_import_but_not_delete_may_not_revert(editor_client):
    from django.contrib.auth.models import Permission

    record, _ada, _group = _imported(editor_client)
    user = UserFactory(username="adder", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_person", "add_membership"])
    )
    editor_client.force_login(user)
    url = f"/admin/imports/importrecord/{record.pk}/revert/"
    assert editor_client.post(url).status_code == 403
    record_page = editor_client.get(f"/admin/imports/importrecord/{record.pk}/change/")
    assert "Revert this import" not in record_page.text


# --- Progress, beside the task's transaction ----------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second connection: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_while_the_task_holds_its_transaction():
    record = ImportRecord.objects.create(kind="people", file_name="big.csv", source=b"x")
    counter = progress.Progress(record.pk)
    with transaction.atomic():
        PersonFactory()  # the import's own writes, not yet committed
        counter.start(1_000)
        counter.step(progress.EVERY)
        # Committed by the second connection: seen at once, inside this transaction too.
        assert ImportRecord.objects.get(pk=record.pk).progress_done == progress.EVERY
    counter.close()


# --- Through the real queue ---------------------------------------------------------------


# The worker closes and reopens database connections: a test of its own transactions.
@pytest.mark.django_db(transaction=True)
def test_through_the_database_queue_the_request_only_queues(settings, client):
    from django.contrib.auth.models import Group as PermissionGroup
    from django.core.management import call_command

    from core.roles import EDITORS_GROUP

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory(username="queued-editor", is_staff=True)
    user.groups.add(PermissionGroup.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    url, record = _upload(client, HEADER + "Ada,Sample,,,,,,,,\n")
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWING  # queued, not run by the request
    assert "Waiting for a worker to start." in client.get(url).text

    def work():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    work()
    assert "This import will create 1, update 0" in client.get(url).text
    client.post(url)
    assert Person.objects.count() == 0  # queued again
    work()
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE
    assert Person.objects.get().history.get().history_user == user


@pytest.mark.parametrize("rows", [1, 3])
def test_the_revert_page_costs_a_fixed_number_of_queries(editor_client, rows):
    GroupFactory(name="Sample working group")
    text = HEADER + "".join(
        f"Ada{n},Sample,Uni,,,,Sample working group,Member,2003-01-15,\n" for n in range(rows)
    )
    url, record = _upload(editor_client, text)
    editor_client.post(url)
    revert = f"/admin/imports/importrecord/{record.pk}/revert/"
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(revert)
    assert f"Reverting deletes the {rows} records this import created" in page.text
    # The same for one row or three: the check for later edits reads all rows at once.
    assert len(queries) == 10, [q["sql"][:70] for q in queries]
