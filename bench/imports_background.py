"""A 10,000-row people import end to end, as an editor does it: through the admin's pages,
with the preview and the import run by a real worker (`manage.py db_worker`).

    .venv/bin/python bench/imports_background.py          # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jli_bench \
        .venv/bin/python bench/imports_background.py

Builds an empty site (the database named by DATABASE_URL is emptied first: never point it
at one that matters), starts one worker, uploads the sample file, reloads the status page
every second until the preview is ready, opens it, confirms, reloads until imported,
then opens the revert page and reverts (also a task), reloading the record's page.
Prints the wall time of each phase, the CPU time the worker spent on each task (on
PostgreSQL the database server's own CPU is not in it), and the slowest of the web
requests made meanwhile. Sample data only.
"""

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

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 10_000))
TICKS = os.sysconf("SC_CLK_TCK")


def people_csv():
    lines = ["Given name,Family name,Affiliation,Country,E-mail,Group,Role,Start date"]
    for n in range(PEOPLE):
        lines.append(
            f"Sample{n},Person{n},Sample University {n % 50},KE,sample{n}@example.org,"
            f"Sample group {n % 7},Member,15/01/2003"
        )
    return ("\n".join(lines) + "\n").encode()


def cpu_of(pid):
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


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
    print(f"database: {django.db.connection.vendor}; {PEOPLE:,} rows", flush=True)
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
        data = people_csv()
        cpu = cpu_of(worker.pid)
        start = time.perf_counter()
        response = browser(
            "post",
            "/admin/imports/importrecord/people/",
            {"file": SimpleUploadedFile("people.csv", data)},
        )
        url = response["Location"]
        record = ImportRecord.objects.latest("pk")
        wait(browser, url, record, {"previewing"})
        preview_wall, preview_cpu = time.perf_counter() - start, cpu_of(worker.pid) - cpu
        print(
            f"preview task   {preview_wall:7.1f} s wall {preview_cpu:7.1f} s worker CPU",
            flush=True,
        )
        page = browser("get", url)
        if record.created_count != PEOPLE:
            sys.exit(f"unexpected preview: {record.status} {record.failure}")
        print(f"preview page   {browser.times[-1][0]:7.2f} s ({len(page.content) // 1024} kB)")
        cpu, start = cpu_of(worker.pid), time.perf_counter()
        browser("post", url)
        wait(browser, url, record, {"importing"})
        import_wall, import_cpu = time.perf_counter() - start, cpu_of(worker.pid) - cpu
        if record.status != "done":
            sys.exit(f"import ended {record.status}: {record.failure}")
        print(f"import task    {import_wall:7.1f} s wall {import_cpu:7.1f} s worker CPU")
        revert_url = f"/admin/imports/importrecord/{record.pk}/revert/"
        browser("get", revert_url)
        print(f"revert page    {browser.times[-1][0]:7.2f} s (asks)")
        cpu, start = cpu_of(worker.pid), time.perf_counter()
        browser("post", revert_url)
        change_url = f"/admin/imports/importrecord/{record.pk}/change/"
        wait(browser, change_url, record, {"reverting"})
        revert_wall, revert_cpu = time.perf_counter() - start, cpu_of(worker.pid) - cpu
        if record.status != "reverted":
            sys.exit(f"revert ended {record.status}: {record.failure}")
        print(f"revert task    {revert_wall:7.1f} s wall {revert_cpu:7.1f} s worker CPU")
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
