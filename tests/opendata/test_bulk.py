"""Bulk open data at /data/: the files, their data package, the page, the regeneration."""

import csv
import io
import json
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from opendata import bulk, selectors, tasks
from tests.factories import (
    GroupFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

FRICTIONLESS_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "year"}


def _read(name):
    with default_storage.open(f"{bulk.FOLDER}/{name}", "rb") as handle:
        return handle.read().decode()


def _table(name):
    return list(csv.DictReader(io.StringIO(_read(name))))


def test_export_writes_every_file_with_public_records_only(record):
    bulk.export()
    everything = "".join(_read(name) for name in bulk.FILE_NAMES)
    assert "secret-" not in everything  # the slugs of what must stay out
    assert [row["slug"] for row in _table("publications.csv")] == ["hrh"]
    assert _table("publications.csv")[0]["title"] == 'Overcoming the Crisis, "quoted"\nline'
    assert _table("publications.csv")[0]["topics"] == "Migration"
    first_author = record.authorships.get(position=1).display_name
    assert [(r["position"], r["name"], r["person"]) for r in _table("authorships.csv")] == [
        ("1", first_author, "chen"),
        ("2", "JLI", ""),
    ]
    [membership] = _table("memberships.csv")
    assert membership.pop("updated_at").endswith("Z")
    assert membership == {"person": "chen", "group": "wg", "role": "co_chair",
                          "start_date": "", "end_date": ""}  # fmt: skip
    assert _table("funding.csv") == [
        {"funder": "rockefeller", "kind": "publication", "supported": "hrh"}]  # fmt: skip
    assert sorted((r["relation"], r["target"]) for r in _table("event_links.csv")) == [
        ("organiser", "wg"), ("publication", "hrh")]  # fmt: skip
    data = json.loads(_read("jli.json"))
    assert [p["slug"] for p in data["publications"]] == ["hrh"]
    assert [p["slug"] for p in data["people"]] == ["chen"]
    assert set(data) == {"generated_at", "groups", "people", "memberships", "publications",
                         "events", "funders"}  # fmt: skip


def test_pages_and_the_exports_longer_chunks_share_one_statement_per_link(record, client):
    """A link query's keys are one parameter (core.lookups `__among`): the export's chunks
    and an API page of another length run the same compiled statement."""
    # The authors, and the groups, topics and funders (both read them alike).
    queries = [selectors._AUTHORS, selectors._PUBLICATION_LINKS[False, True]]
    for query in queries:
        query.prepared._plans.clear()  # (other tests' languages)
    bulk.export()
    assert client.get("/api/v1/publications/?page_size=1").status_code == 200
    for query in queries:
        assert len(query.prepared._plans) == 1
    assert "hrh" in _read("publications.csv")


def _check_value(value, kind):
    if value == "":
        return
    patterns = {
        "integer": r"-?\d+",
        "boolean": r"true|false",
        "date": r"\d{4}-\d{2}-\d{2}",
        "datetime": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z",
    }
    if kind in patterns:
        assert re.fullmatch(patterns[kind], value), (value, kind)


def test_the_data_package_describes_the_files_exactly(record):
    """What a Frictionless validator checks of a tabular data package: the descriptor's
    required properties, each resource's fields against its CSV header, the values
    against their types, unique primary keys and resolvable foreign keys."""
    bulk.export()
    package = json.loads(_read("datapackage.json"))
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["citation"].startswith("Joint Learning Initiative")
    tables = {}
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
        assert resource["bytes"] == len(_read(resource["path"]).encode())
        if resource["format"] != "csv":
            continue
        schema = resource["schema"]
        names = [field["name"] for field in schema["fields"]]
        assert all(field["type"] in FRICTIONLESS_TYPES for field in schema["fields"])
        text = _read(resource["path"])
        assert next(csv.reader(io.StringIO(text))) == names
        rows = _table(resource["path"])
        for row in rows:
            for field in schema["fields"]:
                _check_value(row[field["name"]], field["type"])
        if key := schema.get("primaryKey"):
            assert set(key) <= set(names)
            keys = [tuple(row[name] for name in key) for row in rows]
            assert len(keys) == len(set(keys)), resource["name"]
        tables[resource["name"]] = (schema, rows)
    for schema, rows in tables.values():
        for foreign in schema.get("foreignKeys", []):
            _schema, target_rows = tables[foreign["reference"]["resource"]]
            targets = {tuple(r[n] for n in foreign["reference"]["fields"]) for r in target_rows}
            for row in rows:
                assert tuple(row[n] for n in foreign["fields"]) in targets


def test_the_task_regenerates_the_files():
    PublicationFactory(slug="new")
    tasks.export_open_data.enqueue()
    assert [row["slug"] for row in _table("publications.csv")] == ["new"]


def test_a_queue_that_can_wait_gets_the_export_later(monkeypatch):
    queued = []

    def using(**options):
        return SimpleNamespace(enqueue=lambda: queued.append(options))

    monkeypatch.setattr(tasks, "default_task_backend", SimpleNamespace(supports_defer=True))
    monkeypatch.setattr(tasks, "export_open_data", SimpleNamespace(using=using))
    at = timezone.now() + tasks.DEBOUNCE
    tasks._enqueue(at=at)
    assert queued == [{"run_after": at}]


def test_changes_close_together_queue_one_export(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks, "_enqueue", lambda *, at: queued.append(at))
    before = timezone.now()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            PublicationFactory()
    assert len(queued) == 1
    assert queued[0] >= before + tasks.DEBOUNCE
    # Nothing is queued before the change commits.
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False):
        GroupFactory()
    assert len(queued) == 1


def test_the_command_exports(capsys, record):
    call_command("export_open_data")
    assert "publications.csv" in capsys.readouterr().out
    assert [row["slug"] for row in _table("groups.csv")] == ["wg"]


def test_the_data_page_before_and_after_the_first_export(client, record):
    response = client.get("/data/")
    assert "being prepared" in response.content.decode()
    assert client.get("/data/groups.csv").status_code == 404
    bulk.export()
    response = client.get("/data/")
    html = response.content.decode()
    assert 'href="/data/publications.csv"' in html
    assert '"@type": "Dataset"' in html
    assert "Creative Commons Attribution 4.0 International" in html
    download = client.get("/data/groups.csv")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(download.streaming_content).decode().startswith("slug,name,kind")
    for name in ("other.csv", "..%2Fsecret", "datapackage.json.bak"):
        assert client.get(f"/data/{name}").status_code == 404


def test_cells_that_look_like_formulas_stay_text_in_the_csv_files(record):
    PersonFactory(slug="formula", affiliation='=HYPERLINK("http://evil.example","x")')
    PublicationFactory(slug="minus", title="-1 plus one")

    bulk.export()

    people = {row["slug"]: row for row in _table("people.csv")}
    assert people["formula"]["affiliation"] == '\'=HYPERLINK("http://evil.example","x")'
    titles = {row["slug"]: row["title"] for row in _table("publications.csv")}
    assert titles["minus"] == "'-1 plus one"
    # The JSON file keeps the values as they are: no spreadsheet opens it.
    assert '"=HYPERLINK' in _read(bulk.JSON_NAME)


def test_an_unconfirmed_licence_is_said_to_be_proposed(client, record, settings):
    """CC-BY-4.0 is the secretariat's to confirm: until then nothing states it as fact."""
    settings.OPEN_DATA_LICENCE_CONFIRMED = False
    package = bulk.export()
    html = client.get("/data/").content.decode()
    assert "The licence proposed for these data is the" in html
    assert "has not confirmed it yet" in html
    assert '"license"' not in html  # no licence in the schema.org Dataset
    assert "not yet confirmed" in package["description"]


def test_a_confirmed_licence_is_stated(client, record, settings):
    settings.OPEN_DATA_LICENCE_CONFIRMED = True
    package = bulk.export()
    html = client.get("/data/").content.decode()
    assert "The data are available under the" in html
    assert "proposed" not in html
    assert '"license": "https://creativecommons.org/licenses/by/4.0/"' in html
    assert "confirmed" not in package["description"]
