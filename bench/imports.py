"""Time the bulk imports: a 10,000-row people file and a 5,000-entry BibTeX file.

    .venv/bin/python bench/imports.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jli_importer .venv/bin/python bench/imports.py

Builds an empty site (migrate; the database named by DATABASE_URL is emptied first:
never point it at one that matters), writes the sample files, then times the preview
(a dry run) and the confirmed import of each, as the admin's views call them. Prints
the seconds and the peak memory of this process. Sample data only.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="jli-bench-imports-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/db.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jli.settings")
os.environ.setdefault("SECRET_KEY", "bench-imports-only")
os.environ.setdefault("MEDIA_ROOT", TMP)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from sample_files import bibtex, people_csv  # noqa: E402 (bench/, the script's folder)

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 10_000))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", 5_000))


def timed(label, function):
    # Memory tracing slows Python code several times: only when asked for.
    trace = os.environ.get("BENCH_MEMORY") == "1"
    if trace:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    memory = ""
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f"   peak {peak / 2**20:6.0f} MB"
    # CPU time of this process too: on a shared machine the wall time says more about the
    # load than about the import (on SQLite the database's work is in this process).
    print(f"{label:<38} {seconds:7.1f} s wall {cpu:7.1f} s CPU{memory}", flush=True)
    return result


def main():
    from groups.models import Group
    from imports import services
    from imports.models import ImportKind

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    for n in range(7):
        Group.objects.create(name=f"Sample group {n}", slug=f"sample-group-{n}")
    print(f"database: {django.db.connection.vendor}")
    record = services.record_upload(
        kind=ImportKind.PEOPLE, user=None, file_name="people.csv", data=people_csv(PEOPLE)
    )
    report = timed(
        f"people preview ({PEOPLE:,} rows)", lambda: services.people_preview(record=record)
    )
    if report.counts["create"] != PEOPLE:
        sys.exit(f"unexpected preview: {report.counts}")
    timed(f"people import ({PEOPLE:,} rows)", lambda: services.people_import(record=record))
    record = services.record_upload(
        kind=ImportKind.PUBLICATIONS, user=None, file_name="refs.bib", data=bibtex(ENTRIES)
    )
    report = timed(
        f"BibTeX preview ({ENTRIES:,} entries)",
        lambda: services.publications_preview(record=record),
    )
    if report.counts["create"] != ENTRIES:
        sys.exit(f"unexpected preview: {report.counts}")
    timed(
        f"BibTeX import ({ENTRIES:,} entries)",
        lambda: services.publications_import(record=record, choices={}),
    )


if __name__ == "__main__":
    main()
