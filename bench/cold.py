"""Where a cold page's time goes: every public page type rendered in-process.

    .venv/bin/python bench/cold.py                    # ms of CPU per page type
    .venv/bin/python bench/cold.py --top publication  # and cProfile's top functions

Builds (once; `--rebuild` to start again) a SQLite database of sample data in a temporary
directory (`migrate`, `load_jli`, `seed_sample` at the quick small scale of bench/run.py),
then requests each page type of bench/probe.py with Django's test client, page cache off
and the count cache on (as `make bench` serves its cold pages: the first request fills it;
`--no-count-cache` to turn it off too), DEBUG off, and prints the median (and the fastest)
process CPU time per request, and the Python function calls of one request (exact
whatever the load: compare versions by it on a busy machine). The cache is Django's
in-process memory cache (`--redis URL` for Redis). No server, no network: the figures
are the Python work of a render, the part a cold page pays on every request whatever
serves it.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATABASE = Path(tempfile.gettempdir()) / "jli-profile.sqlite3"
SEED = ["--publications", "200", "--people", "200", "--events", "50", "--recent-events", "120",
        "--groups", "10", "--funders", "10"]  # fmt: skip


def environment(count_cache=True, redis=""):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{DATABASE}",
        DEBUG="false",
        SECRET_KEY="profile-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        SITE_URL="https://testserver",
        PAGE_CACHE_SECONDS="0",
        COUNT_CACHE_SECONDS="300" if count_cache else "0",
        REDIS_URL=redis,
        SECURE_SSL_REDIRECT="false",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        PYTHONWARNINGS="ignore",
        # One client requests each API page dozens of times: as bench/run.py, no 429.
        API_RATE_LIMIT="1000000/min",
    )
    return env


def manage(*args):
    subprocess.run(  # noqa: S603 (fixed commands of this project)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(),
        check=True,
        capture_output=True,
    )


def build():
    DATABASE.unlink(missing_ok=True)
    for args in (["migrate", "--noinput", "-v0"], ["load_jli"], ["seed_sample", *SEED]):
        manage(*args)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--repeats", type=int, default=30, help="requests per page type")
    parser.add_argument("--top", action="append", default=[], help="profile this page type")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (tottime, ...)")
    parser.add_argument("--lines", type=int, default=60, help="functions the profile prints")
    parser.add_argument("--callers", help="print the callers of functions matching this")
    parser.add_argument("--only", action="append", default=[], help="only these page types")
    parser.add_argument("--no-count-cache", action="store_true", help="count cache off too")
    parser.add_argument("--redis", default="", help="a Redis URL for the cache (a spare db)")
    args = parser.parse_args(argv)
    if args.rebuild or not DATABASE.exists():
        build()
    else:
        manage("migrate", "--noinput", "-v0")
    os.environ.update(environment(not args.no_count_cache, args.redis))
    sys.argv = [sys.argv[0], "pages"]
    import probe
    from django.test import Client

    client = Client()
    pages = [{"key": "floor", "path": "/healthz"}] + probe.find_pages()["pages"]
    rows = []
    for page in pages:
        if args.only and page["key"] not in args.only:
            continue
        client.get(page["path"])
        times = []
        for _ in range(args.repeats):
            started = time.process_time()
            client.get(page["path"])
            times.append((time.process_time() - started) * 1000)
        # Python function calls of one request: the same on a busy machine as on an idle
        # one, so two versions of the code compare exactly where CPU times are noisy.
        counter = cProfile.Profile()
        counter.runcall(client.get, page["path"])
        calls = pstats.Stats(counter).total_calls
        rows.append((page["key"], statistics.median(times), min(times), calls, page["path"]))
        if page["key"] in args.top:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeats):
                client.get(page["path"])
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(args.sort)
            stats.print_stats(args.lines)
            if args.callers:
                stats.print_callers(args.callers)
    floor = rows[0][1] if rows and rows[0][0] == "floor" else None
    floor_min = rows[0][2] if floor else None
    # The fastest request too: on a busy machine, other processes slow the median down.
    header = f"{'page':<24} {'CPU ms':>8} {'x floor':>8} {'min ms':>8} {'x floor':>8} {'calls':>8}"
    print(f"{header}  path")
    for key, ms, fastest, calls, path in rows:
        ratio = f"{ms / floor:8.1f}" if floor else "       –"
        ratio_min = f"{fastest / floor_min:8.1f}" if floor else "       –"
        print(f"{key:<24} {ms:8.2f} {ratio} {fastest:8.2f} {ratio_min} {calls:8d}  {path}")


if __name__ == "__main__":
    sys.exit(main())
