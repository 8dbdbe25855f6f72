"""The bulk open data under /data/: CSV files linked by slugs, one JSON file, and the
Frictionless `datapackage.json` that describes them.

Written by a background task after changes (opendata.tasks) and by
`manage.py export_open_data`, never on a request. Rows are read in chunks
(`iterator(chunk_size=...)`, prefetches included) and written as they come, so memory
stays bounded whatever the size of the archive. The files are built in a temporary
folder, then copied into the default storage under `opendata/`.
"""

import csv
import datetime
import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from core.spreadsheets import safe_cell
from opendata import records, selectors
from opendata.site import absolute_url

FOLDER = "opendata"
CHUNK = 500
JSON_NAME = "jli.json"
PACKAGE_NAME = "datapackage.json"


def _field(name, kind="string", description="", **extra):
    field = {"name": name, "type": kind}
    if description:
        field["description"] = description
    return field | extra


# Each CSV file: its fields, its primary key, its links to other files.
TABLES = {
    "groups": {
        "fields": [_field("slug"), _field("name"), _field("kind"), _field("theme"),
                   _field("description"), _field("active_from", "date"),
                   _field("active_until", "date"), _field("url"),
                   _field("updated_at", "datetime")],
        "primaryKey": ["slug"],
    },
    "people": {
        "fields": [_field("slug"), _field("honorific"), _field("given_name"),
                   _field("family_name"), _field("affiliation"), _field("position"),
                   _field("country", description="ISO 3166-1 alpha-2"), _field("bio"),
                   _field("website"), _field("orcid"), _field("email"), _field("url"),
                   _field("updated_at", "datetime")],
        "primaryKey": ["slug"],
    },
    "memberships": {
        "fields": [_field("person"), _field("group"), _field("role"),
                   _field("start_date", "date"), _field("end_date", "date"),
                   _field("updated_at", "datetime")],
        "foreignKeys": [
            {"fields": ["person"], "reference": {"resource": "people", "fields": ["slug"]}},
            {"fields": ["group"], "reference": {"resource": "groups", "fields": ["slug"]}},
        ],
    },
    "publications": {
        "fields": [_field("slug"), _field("title"), _field("subtitle"), _field("kind"),
                   _field("date", description="2004, 2004-05 or 2004-05-31"),
                   _field("language"), _field("abstract"), _field("summary"),
                   _field("publisher"), _field("place"), _field("series"), _field("number"),
                   _field("doi"), _field("isbn"), _field("licence"),
                   _field("topics", description="Topic names, separated by ' | '"),
                   _field("file_size", "integer", "Of the PDF, in bytes"),
                   _field("page_count", "integer"), _field("pdf_url"), _field("url"),
                   _field("updated_at", "datetime")],
        "primaryKey": ["slug"],
    },
    "authorships": {
        "fields": [_field("publication"), _field("position", "integer"), _field("name"),
                   _field("person", description="Slug when the profile is public"),
                   _field("organisation", "boolean")],
        "primaryKey": ["publication", "position"],
        "foreignKeys": [
            {"fields": ["publication"],
             "reference": {"resource": "publications", "fields": ["slug"]}},
        ],
    },
    "publication_groups": {
        "fields": [_field("publication"), _field("group")],
        "primaryKey": ["publication", "group"],
        "foreignKeys": [
            {"fields": ["publication"],
             "reference": {"resource": "publications", "fields": ["slug"]}},
            {"fields": ["group"], "reference": {"resource": "groups", "fields": ["slug"]}},
        ],
    },
    "events": {
        "fields": [_field("slug"), _field("title"), _field("kind"), _field("start_date", "date"),
                   _field("end_date", "date"), _field("starts_at", "datetime"),
                   _field("ends_at", "datetime"), _field("time_zone"), _field("venue"),
                   _field("city"), _field("country"), _field("is_online", "boolean"),
                   _field("summary"), _field("outcomes"), _field("url"),
                   _field("updated_at", "datetime")],
        "primaryKey": ["slug"],
    },
    "event_links": {
        "fields": [_field("event"), _field("relation", description="organiser or publication"),
                   _field("target", description="A group's or a publication's slug")],
        "primaryKey": ["event", "relation", "target"],
        "foreignKeys": [
            {"fields": ["event"], "reference": {"resource": "events", "fields": ["slug"]}},
        ],
    },
    "funders": {
        "fields": [_field("slug"), _field("name"), _field("acronym"),
                   _field("organisation_kind"), _field("country"), _field("website"),
                   _field("tier"), _field("support_kind"), _field("acknowledgement"),
                   _field("url"), _field("updated_at", "datetime")],
        "primaryKey": ["slug"],
    },
    "funding": {
        "fields": [_field("funder"), _field("kind", description="publication or event"),
                   _field("supported", description="The publication's or event's slug")],
        "primaryKey": ["funder", "kind", "supported"],
        "foreignKeys": [
            {"fields": ["funder"], "reference": {"resource": "funders", "fields": ["slug"]}},
        ],
    },
}  # fmt: skip


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _chunks(rows):
    """Lists of at most CHUNK rows: each chunk's links are read in one query each."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sections(now):
    """(key, items) of each part of the JSON file, items read in chunks."""

    def each(queryset, data, load=None):
        chunks = _chunks(queryset.iterator(chunk_size=CHUNK))
        if load is None:
            return (item for chunk in chunks for item in data(chunk))
        return (item for chunk in chunks for item in data(load(chunk, now)))

    return [
        ("groups", each(selectors.api_groups(now=now), records.groups_data)),
        ("people", each(selectors.api_people(now=now), records.people_data)),
        ("memberships", each(selectors.api_memberships(now=now).order_by("pk"),
                             records.memberships_data)),
        ("publications", each(selectors.api_publications(now=now), records.publications_data,
                              selectors.load_publications)),
        ("events", each(selectors.api_events(now=now), records.events_data,
                        selectors.load_events)),
        ("funders", each(selectors.api_funders(now=now), records.funders_data,
                         selectors.load_funders)),
    ]  # fmt: skip


def _csv_rows(table, item):
    """The rows an item of the JSON gives to the CSV files (its own, and its links)."""
    if table == "publications":
        yield "publications", item | {"topics": " | ".join(t["name"] for t in item["topics"])}
        for position, author in enumerate(item["authors"], start=1):
            yield "authorships", author | {"publication": item["slug"], "position": position}
        for group in item["groups"]:
            yield "publication_groups", {"publication": item["slug"], "group": group}
        for funder in item["funders"]:
            yield "funding", {"funder": funder, "kind": "publication", "supported": item["slug"]}
    elif table == "events":
        yield "events", item
        for group in item["organisers"]:
            yield "event_links", {"event": item["slug"], "relation": "organiser", "target": group}
        for slug in item["publications"]:
            yield "event_links", {"event": item["slug"], "relation": "publication", "target": slug}
        for funder in item["funders"]:
            yield "funding", {"funder": funder, "kind": "event", "supported": item["slug"]}
    else:
        yield table, item


def _json(item):
    return json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)


def _write_files(folder, now):
    """Write every file into `folder`; return {file name: rows written}."""
    handles, writers, counts = {}, {}, dict.fromkeys(TABLES, 0)
    try:
        for table, spec in TABLES.items():
            handles[table] = (folder / f"{table}.csv").open("w", newline="", encoding="utf-8")
            names = [field["name"] for field in spec["fields"]]
            writers[table] = csv.DictWriter(handles[table], names, extrasaction="ignore")
            writers[table].writeheader()
        with (folder / JSON_NAME).open("w", encoding="utf-8") as output:
            output.write(json.dumps({"generated_at": _cell(now)})[:-1])
            for key, items in _sections(now):
                output.write(f', "{key}": [')
                for number, item in enumerate(items):
                    output.write(("\n" if number == 0 else ",\n") + _json(item))
                    for table, row in _csv_rows(key, item):
                        writers[table].writerow({n: _cell(safe_cell(v)) for n, v in row.items()})
                        counts[table] += 1
                output.write("]")
            output.write("}")
    finally:
        for handle in handles.values():
            handle.close()
    return counts


# Said in the descriptor while the secretariat has not confirmed the licence (settings).
LICENCE_PROPOSED = (
    " The licence given is proposed and not yet confirmed by the JLI secretariat: "
    "contact it before reusing the data beyond quotation and citation."
)


def package_descriptor(now, files):
    """The Frictionless Data Package (v1) describing the files written."""
    site = absolute_url("")
    resources = []
    for table, spec in TABLES.items():
        resource = {
            "name": table,
            "path": f"{table}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": files[f"{table}.csv"],
            "schema": dict(spec),
        }
        resources.append(resource)
    resources.append({"name": "jli", "path": JSON_NAME, "format": "json",
                      "mediatype": "application/json", "encoding": "utf-8",
                      "bytes": files[JSON_NAME]})  # fmt: skip
    return {
        # A plain data package: a tabular one may hold only tables, and jli.json is not
        # one. Each CSV file is still a tabular data resource, with its schema.
        "profile": "data-package",
        "name": "jli-public-record",
        "title": "The public record of the Joint Learning Initiative on Human Resources for Health",
        "description": "Groups, people, memberships, publications, events and funders of "
        "the Joint Learning Initiative (2002-2004), as published on its web site."
        + ("" if settings.OPEN_DATA_LICENCE_CONFIRMED else LICENCE_PROPOSED),
        "homepage": absolute_url(reverse("opendata:data")),
        "version": now.strftime("%Y.%m.%d.%H%M%S"),
        "created": _cell(now),
        "licenses": [settings.OPEN_DATA_LICENCE],
        "citation": citation(now),
        "sources": [{"title": "JLI web site", "path": site + "/"}],
        "resources": resources,
    }


def citation(now):
    return (
        "Joint Learning Initiative on Human Resources for Health. The JLI public record "
        f"(data set), version of {now.date().isoformat()}. {absolute_url(reverse('opendata:data'))}"
    )


def export(now=None):
    """Write the bulk files into storage; return the data package descriptor."""
    now = now or timezone.now()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        _write_files(folder, now)
        sizes = {path.name: path.stat().st_size for path in folder.iterdir()}
        descriptor = package_descriptor(now, sizes)
        (folder / PACKAGE_NAME).write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
        # The descriptor last: readers take it as the list of what is there.
        for name in [*sorted(sizes), PACKAGE_NAME]:
            path = f"{FOLDER}/{name}"
            with (folder / name).open("rb") as handle:
                default_storage.delete(path)
                default_storage.save(path, File(handle, name=name))
    return descriptor


def current_package():
    """The descriptor of the files in storage, or None before the first export."""
    path = f"{FOLDER}/{PACKAGE_NAME}"
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return json.load(handle)


FILE_NAMES = {f"{table}.csv" for table in TABLES} | {JSON_NAME, PACKAGE_NAME}
