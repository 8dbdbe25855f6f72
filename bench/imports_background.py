"""A 10,000-row people import (or a 5,000-entry BibTeX file) end to end, as an editor does
it: through the admin's pages, with the preview and the import run by a real worker
(`manage.py db_worker`).

    .venv/bin/python bench/imports_background.py          # SQLite in a temporary folder
    .venv/bin/python bench/imports_background.py --kind bibtex   # BENCH_ENTRIES entries
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jli_bench \
        .venv/bin/python bench/imports_background.py

Builds an empty site (the database named by DATABASE_URL is emptied first: never point it
at one that matters), starts one worker, uploads the sample file, reloads the status page
every second until the preview is ready, opens it, confirms, reloads until imported,
then opens the revert page and reverts (also a task), reloading the record's page.
Prints the wall time of each phase, the CPU time the worker spent on each task (on
PostgreSQL the database server's own CPU is not in it), the worker's peak memory during
each task (VmHWM, reset before each: /proc/<pid>/clear_refs), and the slowest of the web
requests made meanwhile. After a BibTeX import the worker also stores the new
publications' citations and indexes them for search (tasks of their own, timed together
before the revert). Sample data only.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="jli-bench-imports-bg-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/db.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jli.settings")
os.environ.setdefault("SECRET_KEY", "bench-imports-only")
os.environ.setdefault("MEDIA_ROOT", TMP)
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from sample_files import bibtex, people_csv  # noqa: E402 (bench/, the script's folder)

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 10_000))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", 5_000))
TICKS = os.sysconf("SC_CLK_TCK")


# What each kind uploads: (label, page, file name, sample file maker, rows).
KINDS = {
    "people": ("people rows", "people", "people.csv", people_csv, PEOPLE),
    "bibtex": ("BibTeX entries", "publications", "refs.bib", bibtex, ENTRIES),
}


def cpu_of(pid):
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_of(pid, field="VmHWM"):
    """The process's peak (VmHWM) or current (VmRSS) resident memory, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak(pid):
    """Start the peak (VmHWM) again from the current size; False where the kernel refuses."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Worker:
    """The worker's CPU and peak memory over one task."""

    def __init__(self, pid):
        self.pid = pid

    def start(self):
        self.reset = reset_peak(self.pid)
        self.cpu, self.wall = cpu_of(self.pid), time.perf_counter()

    def line(self, label):
        wall, cpu = time.perf_counter() - self.wall, cpu_of(self.pid) - self.cpu
        peak = f"peak {memory_of(self.pid):5.0f} MB" + ("" if self.reset else " (since start)")
        print(f"{label:<15}{wall:7.1f} s wall {cpu:7.1f} s worker CPU  {peak}", flush=True)


def wait_tasks(url, browser):
    """Reload `url` every second until the worker has no task due (those an import queues
    once it has committed: the citations, the search index; not the open-data export,
    which waits 2 minutes for more changes)."""
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects
    while tasks.ready().exists() or tasks.running().exists():
        browser("get", url)
        time.sleep(1)


class Browser:
    """The editor's requests, each timed."""

    def __init__(self, client):
        self.client = client
        self.times = []

    def __call__(self, method, url, data=None):
        start = time.perf_counter()
        response = getattr(self.client, method)(url, data or {})
        self.times.append((time.perf_counter() - start, method.upper(), url))
        if response.status_code >= 400:
            sys.exit(f"{method} {url}: {response.status_code}")
        return response


def wait(browser, url, record, statuses):
    """Reload the status page every second until the record leaves `statuses`."""
    start = time.perf_counter()
    while True:
        browser("get", url)
        record.refresh_from_db()
        if record.status not in statuses:
            return time.perf_counter() - start
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=KINDS, default="people")
    label, page_name, file_name, sample, rows = KINDS[parser.parse_args().kind]

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from groups.models import Group
    from imports.models import ImportRecord

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    for n in range(7):
        Group.objects.create(name=f"Sample group {n}", slug=f"sample-group-{n}")
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    print(f"database: {django.db.connection.vendor}; {rows:,} {label}", flush=True)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        browser = Browser(client)
        data = sample(rows)
        work = Worker(worker.pid)
        time.sleep(2)  # the worker has started: its idle size
        print(f"worker idle    {memory_of(worker.pid, 'VmRSS'):7.0f} MB resident", flush=True)
        work.start()
        response = browser(
            "post",
            f"/admin/imports/importrecord/{page_name}/",
            {"file": SimpleUploadedFile(file_name, data)},
        )
        url = response["Location"]
        record = ImportRecord.objects.latest("pk")
        wait(browser, url, record, {"previewing"})
        work.line("preview task")
        page = browser("get", url)
        if record.created_count != rows:
            sys.exit(f"unexpected preview: {record.status} {record.failure}")
        print(f"preview page   {browser.times[-1][0]:7.2f} s ({len(page.content) // 1024} kB)")
        work.start()
        browser("post", url)
        wait(browser, url, record, {"importing"})
        if record.status != "done":
            sys.exit(f"import ended {record.status}: {record.failure}")
        work.line("import task")
        change_url = f"/admin/imports/importrecord/{record.pk}/change/"
        if page_name == "publications":
            # Queued as the import's transaction commits, run before the revert.
            work.start()
            wait_tasks(change_url, browser)
            work.line("follow-on tasks")
        revert_url = f"/admin/imports/importrecord/{record.pk}/revert/"
        browser("get", revert_url)
        print(f"revert page    {browser.times[-1][0]:7.2f} s (asks)")
        work.start()
        browser("post", revert_url)
        wait(browser, change_url, record, {"reverting"})
        if record.status != "reverted":
            sys.exit(f"revert ended {record.status}: {record.failure}")
        work.line("revert task")
        status_pages = [t for t, method, u in browser.times if method == "GET"]
        print(
            f"page loads     {len(status_pages)}, slowest {max(status_pages):.2f} s, "
            f"median {sorted(status_pages)[len(status_pages) // 2]:.2f} s"
        )
        upload = browser.times[0][0]
        print(f"upload request {upload:7.2f} s (stores the file, queues the preview)")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    main()
