"""The bulk files validate as a Frictionless data package, with the frictionless library
itself (the reference implementation CI runs), offline."""

import csv
import json
import socket

import pytest
from django.core.files.storage import default_storage
from frictionless import Package, system

from opendata import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline(monkeypatch):
    """No connection may be opened while validating: the descriptor's profile and the
    table schemas are inline or bundled with the library, never fetched. (Connections
    already open, such as the test database's, are untouched.)"""

    def refuse(*args, **kwargs):
        raise AssertionError(f"the validation tried to reach the network: {args}")

    def block():
        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)

    return block


def _validate():
    descriptor = default_storage.path(f"{bulk.FOLDER}/{bulk.PACKAGE_NAME}")
    # Trusted: our own files in a temporary folder (frictionless refuses paths that are
    # absolute or outside the descriptor's folder otherwise).
    with system.use_context(trusted=True):
        return Package(descriptor).validate()


def _errors(report):
    return [(error.type, error.note) for task in report.tasks for error in task.errors] + [
        (error.type, error.note) for error in report.errors
    ]


def test_the_export_validates_with_frictionless(record, offline):
    bulk.export()
    offline()
    report = _validate()
    assert _errors(report) == []
    assert report.valid
    checked = {task.name for task in report.tasks}
    assert checked >= set(bulk.TABLES)
    assert {task.name: task.stats["rows"] for task in report.tasks if task.name in bulk.TABLES}[
        "publications"
    ] == 1


def _rewrite(table, change):
    path = default_storage.path(f"{bulk.FOLDER}/{table}.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("table", "change", "error"),
    [
        ("events", lambda rows: [row | {"start_date": "31/05/2004"} for row in rows], "type-error"),
        ("publications", lambda rows: rows + rows, "primary-key"),
        ("memberships", lambda rows: [row | {"group": "nowhere"} for row in rows], "foreign-key"),
        ("groups", lambda rows: [{"slug": row["slug"]} for row in rows], "missing-label"),
    ],
)  # fmt: skip
def test_a_broken_package_fails(record, offline, table, change, error):
    bulk.export()
    _rewrite(table, change)
    # Sizes are checked too: keep them true, so only the change above is at fault.
    path = default_storage.path(f"{bulk.FOLDER}/{bulk.PACKAGE_NAME}")
    with open(path, encoding="utf-8") as handle:
        descriptor = json.load(handle)
    for resource in descriptor["resources"]:
        resource["bytes"] = default_storage.size(f"{bulk.FOLDER}/{resource['path']}")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(descriptor, handle)
    offline()
    report = _validate()
    assert not report.valid
    assert error in {error_type for error_type, _note in _errors(report)}
