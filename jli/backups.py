"""Backups of the database and the uploaded files, and the drill that proves a restore.

A backup is a folder holding `database.dump` (pg_dump's custom format on PostgreSQL, a
SQLite copy on SQLite), `media.tar.gz`, and `manifest.json` (row counts per table and
the SHA-256 of every media file) so that a restore can be checked.
"""

import hashlib
import json
import shutil
import sqlite3

# pg_dump and pg_restore run with argument lists, never through a shell.
import subprocess  # nosec B404
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

TOOLS_TIMEOUT = 3600


def _database(alias="default"):
    return settings.DATABASES[alias]


def _is_postgres(alias):
    # By the backend's vendor, not its ENGINE's name: core/backends/postgresql is one.
    return connections[alias].vendor == "postgresql"


def _pg_env(db):
    return {"PGPASSWORD": db.get("PASSWORD") or ""}


def _pg_args(db):
    args = ["-h", db.get("HOST") or "127.0.0.1", "-U", db.get("USER") or "postgres"]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    return args


def _tool(name):
    """The absolute path of a PostgreSQL client program."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def row_counts(alias="default"):
    """Rows in every table of the database, by table name."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            # Table names come from introspection and are quoted: no user input.
            query = f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}"  # noqa: S608  # nosec B608
            cursor.execute(query)
            counts[table] = cursor.fetchone()[0]
    return counts


def media_hashes(root):
    """SHA-256 of every file under the media folder, by relative path."""
    root = Path(root)
    hashes = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def backup(destination, *, alias="default", media_root=None):
    """Write a backup of the database and the media into `destination` (a new folder)."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=False)
    db = _database(alias)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    dump = destination / "database.dump"
    if _is_postgres(alias):
        subprocess.run(  # noqa: S603  # nosec B603
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(dump),
                *_pg_args(db),
                db["NAME"],
            ],
            env=_pg_env(db),
            check=True,
            timeout=TOOLS_TIMEOUT,
        )
    else:
        connections[alias].close()
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(dump) as target:
            source.backup(target)
    with tarfile.open(destination / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {"rows": row_counts(alias), "media": media_hashes(media_root)}
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(source, *, alias="default", media_root=None):
    """Restore a backup folder into the database `alias` and the media folder."""
    source = Path(source)
    db = _database(alias)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    dump = source / "database.dump"
    connections[alias].close()
    if _is_postgres(alias):
        subprocess.run(  # noqa: S603  # nosec B603
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--dbname", db["NAME"], *_pg_args(db), str(dump)],
            env=_pg_env(db),
            check=True,
            timeout=TOOLS_TIMEOUT,
        )  # fmt: skip
    else:
        with sqlite3.connect(dump) as backup_db, sqlite3.connect(db["NAME"]) as target:
            backup_db.backup(target)
    if media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media")]
        for member in members:
            member.name = member.name[len("media") :].lstrip("/")
        archive.extractall(media_root, members=[m for m in members if m.name], filter="data")


def verify(source, *, alias="default", media_root=None):
    """Compare the restored database and media with the backup's manifest.

    Returns a list of differences (empty when the restore is exact).
    """
    manifest = json.loads((Path(source) / "manifest.json").read_text())
    differences = []
    rows = row_counts(alias)
    for table, count in manifest["rows"].items():
        if rows.get(table) != count:
            differences.append(f"table {table}: {count} rows backed up, {rows.get(table)} restored")
    hashes = media_hashes(media_root or settings.MEDIA_ROOT)
    for name, digest in manifest["media"].items():
        if hashes.get(name) != digest:
            differences.append(f"file {name}: differs or missing after restore")
    return differences


def drill(workdir, *, alias="default"):
    """Back up, restore into a scratch database and media folder, and compare.

    Returns (manifest, differences). The live database and media are only read.
    """
    import copy

    workdir = Path(workdir)
    db = _database(alias)
    manifest = backup(workdir / "backup", alias=alias)
    scratch = copy.deepcopy(connections.settings[alias])
    if _is_postgres(alias):
        scratch["NAME"] = f"{db['NAME']}_restore_drill"
        for program in ([_tool("dropdb"), "--if-exists"], [_tool("createdb")]):
            subprocess.run(  # noqa: S603  # nosec B603
                [*program, *_pg_args(db), scratch["NAME"]],
                env=_pg_env(db),
                check=True,
                timeout=TOOLS_TIMEOUT,
            )
    else:
        scratch["NAME"] = str(workdir / "restored.sqlite3")
    connections.settings["restore_drill"] = scratch
    try:
        media = workdir / "restored-media"
        restore(workdir / "backup", alias="restore_drill", media_root=media)
        differences = verify(workdir / "backup", alias="restore_drill", media_root=media)
    finally:
        connections["restore_drill"].close()
        del connections.settings["restore_drill"]
        if _is_postgres(alias):
            subprocess.run(  # noqa: S603  # nosec B603
                [_tool("dropdb"), "--if-exists", *_pg_args(db), scratch["NAME"]],
                env=_pg_env(db),
                check=False,
                timeout=TOOLS_TIMEOUT,
            )
    return manifest, differences
