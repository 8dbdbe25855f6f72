"""Backups and the restore drill, run as an operator would: commands on a real database.

The drill runs in a subprocess on its own database (a SQLite file, and a scratch
PostgreSQL database when the suite runs on PostgreSQL), since it opens connections the
test database guard forbids.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]

ADD_DATA = """
from django.core.files.base import ContentFile
from groups.models import Person
person = Person.objects.order_by("pk").first()
person.photo.save("face.png", ContentFile(b"not checked here, only hashed"), save=True)
"""


def _manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def _databases(tmp_path):
    urls = [f"sqlite:///{tmp_path / 'drill.sqlite3'}"]
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith("postgres"):
        base = environ.Env.db_url_config(configured)
        name = f"jli_drill_{uuid.uuid4().hex[:8]}"
        urls.append(configured.rsplit("/", 1)[0] + f"/{name}")
        subprocess.run(
            ["createdb", "-h", base["HOST"] or "127.0.0.1", "-U", base["USER"] or "postgres", name],
            check=True,
        )
    return urls


@pytest.fixture(params=["sqlite", "postgresql"])
def drill_env(request, tmp_path):
    urls = _databases(tmp_path)
    if request.param == "postgresql":
        if len(urls) < 2:
            pytest.skip(
                "the suite runs on SQLite; the PostgreSQL drill runs in CI's PostgreSQL pass"
            )
        url = urls[1]
    else:
        url = urls[0]
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "drill-" + "k" * 40,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    yield env
    if url.startswith("postgres"):
        config = environ.Env.db_url_config(url)
        subprocess.run(
            ["dropdb", "--if-exists", "-h", config["HOST"], "-U", config["USER"], config["NAME"]],
            check=False,
        )


def test_restore_drill_restores_rows_and_files_identically(drill_env):
    _manage(drill_env, "migrate", "--noinput", "-v0")
    _manage(drill_env, "load_jli", "-v0")
    _manage(drill_env, "seed_sample", "--people", "20", "--groups", "2")
    _manage(drill_env, "shell", "-c", ADD_DATA)

    result = _manage(drill_env, "restore_drill")

    assert "Restore drill passed" in result.stdout
    assert "1 files restored identically" in result.stdout


def test_backup_then_restore_brings_back_deleted_data(drill_env, tmp_path):
    _manage(drill_env, "migrate", "--noinput", "-v0")
    _manage(drill_env, "load_jli", "-v0")
    _manage(drill_env, "backup_site", str(tmp_path / "backup"))
    _manage(
        drill_env, "shell", "-c", "from groups.models import Group; Group.objects.all().delete()"
    )

    refused = _manage(drill_env, "restore_site", str(tmp_path / "backup"), check=False)
    assert refused.returncode != 0
    assert "add --yes to confirm" in refused.stderr

    result = _manage(drill_env, "restore_site", str(tmp_path / "backup"), "--yes")
    assert "row counts and file hashes match" in result.stdout
    count = _manage(
        drill_env,
        "shell",
        "-v",
        "0",
        "-c",
        "from groups.models import Group; print(Group.objects.count())",
    )
    assert count.stdout.strip() == "9"
