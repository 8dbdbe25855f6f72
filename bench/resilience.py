"""Resilience checks of the JLI site, on loopback, bounded in time (make resilience).

    .venv/bin/python bench/resilience.py load        # 50 clients for 60 s: no errors
    .venv/bin/python bench/resilience.py pg-restart  # PostgreSQL stopped and started
                                                     # under load: errors only while down,
                                                     # no acknowledged write lost

Both build (or reuse, with --reuse) the database `jli_bench_resilience` with a small
sample (seed_sample), serve it with gunicorn in production mode (gunicorn.conf.py, as
bench/run.py does) and print one JSON summary; exit status 0 when the check passes, 1
when it fails, 2 when a prerequisite is missing. tests/resilience/ runs them
(`pytest -m resilience`). See bench/README.md.

pg-restart stops the machine's own PostgreSQL cluster (15/main on 127.0.0.1:5432) for a
few seconds: every other client of that server sees errors meanwhile. Whatever happens,
the script starts the cluster again before it exits.
"""

import argparse
import atexit
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run as bench  # noqa: E402 (bench/run.py: databases, gunicorn, wrk)

DATABASE = "jli_bench_resilience"
SIZES = {"publications": 500, "people": 300, "events": 100, "groups": 10}
PG_CLUSTER = ["15", "main"]
# Pages the load test rotates through: every public page type, a few filters and pages.
PATHS = [
    "/", "/groups/", "/groups/sample-group-1/", "/people/", "/people/?page=3",
    "/people/?group=sample-group-1", "/people/sample-person-1/", "/publications/",
    "/publications/?page=5", "/publications/?sort=title", "/publications/feed/",
    "/events/", "/events/?page=2", "/events/sample-event-1/", "/events/calendar.ics",
    "/funders/", "/healthz", "/readyz",
]  # fmt: skip


def log(message):
    print(message, file=sys.stderr, flush=True)


def prepare(args, deadline):
    missing = bench.missing_prerequisites(args.redis_db)
    if missing:
        print(json.dumps({"ok": False, "missing": missing}))
        sys.exit(2)
    env = bench.base_env(SECRET_KEY=secrets.token_urlsafe(50))
    if not args.reuse:
        log("collectstatic; building " + DATABASE)
        bench.manage(["collectstatic", "--noinput", "-v0"], env, deadline)
        bench.build_database(DATABASE, SIZES, deadline)
    bench.flush_redis(args.redis_db)


def serve(args, deadline, *, page_cache_seconds, logdir):
    server = bench.Server(
        DATABASE,
        page_cache_seconds=page_cache_seconds,
        redis_db=args.redis_db,
        workers=args.workers,
        logdir=logdir,
    )
    server.wait_ready(deadline)
    return server


# --- 50 clients for 60 seconds ------------------------------------------------------------


def load_check(args, deadline, logdir):
    """wrk, `connections` clients for `duration` s, rotating over every page type."""
    server = serve(args, deadline, page_cache_seconds=300, logdir=logdir)
    try:
        out = bench.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "30s",
             "-s", str(BENCH / "rotate.lua"), server.base],
            os.environ | {"JLI_PATHS": ",".join(PATHS)}, deadline, args.duration + 60,
        )  # fmt: skip
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    raw = json.loads(next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))[11:])
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    result = {
        "check": "load",
        "connections": args.connections,
        "seconds": args.duration,
        "paths": len(PATHS),
        "requests": int(raw["requests"]),
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "non_2xx_3xx": int(raw["status"]),
        "socket_errors": int(socket_errors),
        "worker_rss_mb": rss,
    }
    result["ok"] = result["requests"] > 0 and not result["non_2xx_3xx"] and not socket_errors
    return result


# --- PostgreSQL restarted under load --------------------------------------------------------


def pg_ctl(action):
    subprocess.run(  # noqa: S603 (a fixed command)
        ["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, action],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=60,
    )


def pg_accepts():
    import psycopg

    try:
        with psycopg.connect(f"{bench.PG}/postgres", connect_timeout=1):
            return True
    except psycopg.Error:
        return False


def ensure_pg_running():
    """Start the cluster if it is not answering (the exit path of every run)."""
    if pg_accepts():
        return
    try:
        pg_ctl("start")
    except (subprocess.SubprocessError, OSError) as exc:
        log(f"could not start PostgreSQL: {exc}")
    for _ in range(60):
        if pg_accepts():
            return
        time.sleep(0.5)


class Readers:
    """Threads that GET database-backed pages in a loop, recording every outcome."""

    def __init__(self, base, threads):
        self.base, self.stop, self.outcomes = base, threading.Event(), []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(threads)
        ]

    def _loop(self, n):
        # Pages that read the database on every request (the page cache is off).
        paths = ["/people/", "/publications/", "/events/", "/groups/sample-group-1/", "/readyz"]
        i = n
        while not self.stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            started = time.monotonic()
            request = urllib.request.Request(self.base + path)  # noqa: S310 (loopback)
            try:
                with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310  # nosec B310
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError as exc:
                status = type(exc).__name__
            with self.lock:
                self.outcomes.append((started, time.monotonic(), path, status))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


class Writer:
    """One thread writing through the app's models and settings (a topic per write),
    recording each write whose commit returned: those must all be there afterwards."""

    def __init__(self):
        self.stop, self.acknowledged, self.failed = threading.Event(), [], 0
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        from django.db import close_old_connections, transaction

        from publications.models import Topic

        run_id = secrets.token_hex(4)
        n = 0
        while not self.stop.is_set():
            n += 1
            slug = f"resilience-{run_id}-{n}"
            close_old_connections()  # a request's start: drop a connection found broken
            try:
                with transaction.atomic():
                    Topic.objects.create(name=f"Resilience check {n}", slug=slug)
            except Exception:  # any failure: the write is not acknowledged
                self.failed += 1
                time.sleep(0.05)
                continue
            self.acknowledged.append(slug)
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)


def setup_django():
    os.environ.update(
        bench.base_env(
            DATABASE_URL=f"{bench.PG}/{DATABASE}",
            SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_SETTINGS_MODULE="jli.settings",
        )
    )
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()


def pg_restart_check(args, deadline, logdir):
    setup_django()
    server = serve(args, deadline, page_cache_seconds=0, logdir=logdir)
    try:
        with Readers(server.base, args.readers) as readers, Writer() as writer:
            time.sleep(args.before)
            down_at = time.monotonic()
            log("stopping PostgreSQL")
            pg_ctl("stop")
            time.sleep(args.down)
            log("starting PostgreSQL")
            pg_ctl("start")
            while not pg_accepts():
                time.sleep(0.1)
            up_at = time.monotonic()
            time.sleep(args.after)
    finally:
        ensure_pg_running()
        server.stop()
    from publications.models import Topic

    stored = set(
        Topic.objects.filter(slug__startswith="resilience-").values_list("slug", flat=True)
    )
    lost = [slug for slug in writer.acknowledged if slug not in stored]
    grace = up_at + args.grace
    errors = [o for o in readers.outcomes if o[3] != 200]
    before = [o for o in errors if o[1] < down_at]
    late = [o for o in errors if o[0] > grace]
    after_ok = [o for o in readers.outcomes if o[0] > grace and o[3] == 200]
    result = {
        "check": "pg-restart",
        "down_seconds": round(up_at - down_at, 2),
        "requests": len(readers.outcomes),
        "errors": len(errors),
        "errors_before_stop": len(before),
        "errors_later_than_grace": len(late),
        "grace_seconds": args.grace,
        "successes_after_grace": len(after_ok),
        "error_kinds": sorted({str(o[3]) for o in errors}),
        "late_errors_sample": [
            {"after_up_s": round(o[0] - up_at, 2), "path": o[2], "status": str(o[3])}
            for o in late[:5]
        ],
        "writes_acknowledged": len(writer.acknowledged),
        "writes_failed": writer.failed,
        "writes_lost": len(lost),
    }
    result["ok"] = (
        not before and not late and not lost and after_ok != [] and writer.acknowledged != []
    )
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=["load", "pg-restart"])
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    parser.add_argument("--connections", type=int, default=50, help="load: clients (50)")
    parser.add_argument("--duration", type=int, default=60, help="load: seconds (60)")
    parser.add_argument("--readers", type=int, default=8, help="pg-restart: reader threads")
    parser.add_argument("--before", type=float, default=8, help="pg-restart: s before stop")
    parser.add_argument("--down", type=float, default=3, help="pg-restart: s stopped")
    parser.add_argument("--after", type=float, default=10, help="pg-restart: s after start")
    parser.add_argument("--grace", type=float, default=2, help="pg-restart: s to recover")
    parser.add_argument("--workers", type=int, help="gunicorn workers (gunicorn.conf.py's)")
    parser.add_argument("--redis-db", type=int, default=12, help="Redis database, flushed")
    args = parser.parse_args(argv)
    deadline = bench.Deadline(900)
    atexit.register(ensure_pg_running)
    # A stopped run (Ctrl-C, SIGTERM from a test's timeout) still starts PostgreSQL again.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="jli-resilience-") as logdir:
        prepare(args, deadline)
        check = load_check if args.check == "load" else pg_restart_check
        try:
            result = check(args, deadline, logdir)
        except Exception:
            for logfile in Path(logdir).glob("*.log"):
                log(f"--- {logfile.name}\n{logfile.read_text()[-3000:]}")
            raise
    print(json.dumps(result, indent=1, sort_keys=True))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
