"""The JLI site's benchmark: two database scales, gunicorn in production mode, wrk.

    .venv/bin/python bench/run.py            # small and large scale (make bench)
    .venv/bin/python bench/run.py --quick    # a fast smoke run (make bench-quick)

Loopback only (127.0.0.1), bounded in time (a global deadline; each load run lasts a
fixed few seconds). Writes bench/results/<date>-<mode>.json and .md. See bench/README.md.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"
FLOOR = ("floor", "/healthz (floor)", "/healthz")
# Requests made one at a time before each load run: their median is the latency "alone".
ALONE_REQUESTS = 5

# Sample data per scale: each key is a `seed_sample` option. "publications" is the
# scale's name; people, events, publications and funders grow 10-100 times. Two things are
# the same at both scales on purpose, so that each page compares the same page:
# - groups: the groups index lists every group, and the JLI has a handful (not one per so
#   many publications); growing them would measure a longer list, not a larger archive.
# - recent_events: events dated in the calendar feed's window (the last year and the next
#   months), enough to fill its cap (CALENDAR_MAX_EVENTS, 100) at both scales. The feed
#   is bounded by design; with only the scattered dates of --events, the small scale's
#   feed held 14 events and the large one's 100: two different files.
# Funders grow (20 to 200) but what each supported does not (funders/sample.py SUPPORTED):
# a funder's page is the same page at both scales, while the acknowledgements page
# (/funders/), which lists every public funder, is ten times as long at the large one.
SCALES = {
    "full": {
        "small": {
            "publications": 1_000,
            "people": 1_000,
            "events": 200,
            "recent_events": 120,
            "groups": 10,
            "funders": 20,
        },
        "large": {
            "publications": 100_000,
            "people": 20_000,
            "events": 5_000,
            "recent_events": 120,
            "groups": 10,
            "funders": 20,
        },
    },
    "quick": {
        "small": {
            "publications": 200,
            "people": 200,
            "events": 50,
            "recent_events": 120,
            "groups": 10,
            "funders": 10,
        },
        "large": {
            "publications": 5_000,
            "people": 1_000,
            "events": 250,
            "recent_events": 120,
            "groups": 10,
            "funders": 10,
        },
    },
}
# Environment variables the benchmark sets itself: never inherited (pytest sets some).
OWN_ENV = [
    "DATABASE_URL", "REDIS_URL", "PAGE_CACHE_SECONDS", "STATICFILES_BACKEND", "DEBUG",
    "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "DJANGO_SETTINGS_MODULE",
    "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_ACCESSLOG", "GUNICORN_TIMEOUT",
    "CONN_MAX_AGE", "AWS_STORAGE_BUCKET_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE",
    "COUNT_CACHE_SECONDS", "SITE_URL", "TRUSTED_PROXIES", "MEDIA_ACCEL_REDIRECT",
    "API_RATE_LIMIT",
]  # fmt: skip
TARGET_MEDIAN_RATIO = 1.5
TARGET_WARM_FLOOR = 0.5
TARGET_RSS_MB = 150
# Server CPU per request, cold page cache, as a multiple of the floor's (issue 13).
TARGET_CPU_DETAIL = 6
TARGET_CPU_LIST = 15
# ... and the detail pages' median latency under load as a multiple of the floor's.
TARGET_P50_DETAIL = 6
# The detail pages; every other page type (lists, their filters, the group page, the feeds)
# is held to the lists' target.
DETAIL_PAGES = {"person", "publication", "event", "funder", "story",
                "api-publication", "api-person", "api-event"}  # fmt: skip
# The bulk open-data export (issue 17) streams: its process's peak RSS stays under this.
TARGET_EXPORT_RSS_MB = 150
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class OutOfTime(Exception):
    pass


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def timeout(self, cap):
        left = self.left()
        if left <= 1:
            raise OutOfTime("the benchmark's deadline has passed")
        return min(cap, left)


def log(message):
    print(message, flush=True)


def base_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in OWN_ENV}
    env.update({"DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "PYTHONWARNINGS": "ignore"})
    # Required when DEBUG is off; plain http is allowed with SECURE_SSL_REDIRECT off.
    env["SITE_URL"] = "http://127.0.0.1:8000"
    env.update(extra)
    return env


class Failed(Exception):
    """A step that failed or overran its time cap: the run goes on without what needed it."""


def run(cmd, env, deadline, cap=600):
    timeout = deadline.timeout(cap)
    try:
        result = subprocess.run(  # noqa: S603 (fixed commands of this project)
            cmd,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        # subprocess.run has killed the command.
        what = " ".join(str(part) for part in cmd[1:4])
        if deadline.left() <= 1:
            raise OutOfTime(f"the benchmark's deadline passed during {what}") from exc
        raise Failed(f"{what} did not finish within its {round(timeout)} s cap") from exc
    if result.returncode:
        raise Failed(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result.stdout


def manage(args, env, deadline, cap=900):
    return run([PYTHON, "manage.py", *args], env, deadline, cap)


# --- Prerequisites -------------------------------------------------------------


def missing_prerequisites(redis_db):
    """What is missing to run the benchmark (empty when everything is there)."""
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk (apt-get install -y wrk)")
    try:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", connect_timeout=3):
            pass
    except Exception as exc:
        missing.append(f"PostgreSQL at {PG} ({type(exc).__name__})")
    try:
        import redis

        redis.Redis.from_url(f"{REDIS}/{redis_db}", socket_connect_timeout=2).ping()
    except Exception as exc:
        missing.append(f"Redis at {REDIS} ({type(exc).__name__})")
    return missing


# --- Databases -------------------------------------------------------------------


def recreate_database(name):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def analyze(name):
    import psycopg

    with psycopg.connect(f"{PG}/{name}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def seed_arguments(sizes):
    """The `seed_sample` command line of one scale: every size is an option of its name."""
    args = ["seed_sample"]
    for option, count in sizes.items():
        args += [f"--{option.replace('_', '-')}", str(count)]
    return args


# A complete build says so in its database's comment, with the sizes it seeded: --reuse
# only keeps a database whose build finished (one cut short by a cap or a failure is
# rebuilt, not measured half-seeded).
BUILT = "jli-bench build complete: "


def mark_built(name, sizes):
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(BUILT + json.dumps(sizes, sort_keys=True))
            )
        )


def built_sizes(name):
    """The sizes a complete build of this database seeded; None when there is no such
    database or its build did not finish."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    comment = (row and row[0]) or ""
    return json.loads(comment.removeprefix(BUILT)) if comment.startswith(BUILT) else None


def reuse_database(name, sizes, deadline):
    """An existing database of this scale, brought up to the code's migrations: measuring
    a change to queries needs no rebuild (20-40 minutes on a shared machine). What it
    holds is whatever its build seeded, so the report says it was reused."""
    env = base_env(DATABASE_URL=f"{PG}/{name}", SECRET_KEY=secrets.token_urlsafe(50))
    started = time.monotonic()
    manage(["migrate", "--noinput", "-v0"], env, deadline)
    analyze(name)
    return {
        "database": name,
        "seeded": sizes,
        "reused": True,
        "seconds": round(time.monotonic() - started, 1),
        "reindex_seconds": None,
    }


def build_database(name, sizes, deadline, reuse=False, cap=1800):
    if reuse:
        built = built_sizes(name)
        if built == sizes:
            return reuse_database(name, sizes, deadline)
        log(
            f"  {name}: no complete build of these sizes to reuse "
            f"({'built with ' + str(built) if built else 'absent or unfinished'}): building"
        )
    env = base_env(DATABASE_URL=f"{PG}/{name}", SECRET_KEY=secrets.token_urlsafe(50))
    started = time.monotonic()
    recreate_database(name)
    manage(["migrate", "--noinput", "-v0"], env, deadline)
    manage(["load_jli"], env, deadline)
    seeded = manage(seed_arguments(sizes), env, deadline, cap)
    analyze(name)
    mark_built(name, sizes)
    reindex = re.search(r"search index rebuilt in ([0-9.]+) s", seeded or "")
    return {
        "database": name,
        "seeded": sizes,
        "seconds": round(time.monotonic() - started, 1),
        "reindex_seconds": float(reindex.group(1)) if reindex else None,
    }


def probe(name, command, deadline, *extra, cap=600, **env_extra):
    env = base_env(
        **env_extra,
        DATABASE_URL=f"{PG}/{name}",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        PAGE_CACHE_SECONDS="0",
        # Every query a render can run is counted and EXPLAINed, the lists' COUNT(*) too.
        COUNT_CACHE_SECONDS="0",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    out = run([PYTHON, str(BENCH / "probe.py"), command, *extra], env, deadline, cap)
    return json.loads(out)


# --- Serving ---------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, timeout=5):
    # Only ever http://127.0.0.1:<port>/... built by this script.
    request = urllib.request.Request(url, headers={"User-Agent": "jli-bench"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)
    except OSError:
        return None, {}


class Server:
    """gunicorn with the checked-in configuration, in production mode, on loopback."""

    def __init__(self, database, *, page_cache_seconds, redis_db, workers, logdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(logdir) / f"gunicorn-{database}-{page_cache_seconds}.log", "w")  # noqa: SIM115
        env = base_env(
            DATABASE_URL=f"{PG}/{database}",
            REDIS_URL=f"{REDIS}/{redis_db}",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            PAGE_CACHE_SECONDS=str(page_cache_seconds),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_ACCESSLOG="/dev/null",
            # SITE_URL stays the build's (base_env), not this server's address: the
            # publications' stored citations name the site's address, and a page whose
            # stored citations do not match it looks them up in the cache on every
            # view (publications.citations), which production, refreshed after a new
            # SITE_URL (`refresh_citations`), does not. No page's link is followed.
            # wrk is one client address: the API's per-client limit would answer 429s
            # (cheap, and counted as errors) after its first 120 requests a minute.
            API_RATE_LIMIT="1000000/min",
        )
        if workers:
            env["GUNICORN_WORKERS"] = str(workers)
        # No recycling during the run (gunicorn.conf.py sets max_requests): the memory
        # measured after the run is what a worker grew to, not a fresh replacement's.
        self.process = subprocess.Popen(  # noqa: S603
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py",
             "--max-requests", "0", "jli.wsgi"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, deadline, seconds=60):
        end = time.monotonic() + min(seconds, deadline.timeout(seconds))
        while time.monotonic() < end:
            if self.process.poll() is not None:
                break
            if get(self.base + "/readyz", timeout=2)[0] == 200:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not get ready; see {self.log.name}")

    def workers(self):
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def cpu_seconds(self):
        """The CPU time (user + system) the workers have used so far, in seconds.

        Read from /proc/<pid>/stat (utime and stime, in clock ticks): what the server spent
        on the requests, whatever else runs on the machine (wrk, PostgreSQL, other users),
        unlike latency, which counts the time a worker waits for a core.
        """
        ticks = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])
        return ticks / CLOCK_TICKS

    def worker_rss_mb(self):
        sizes = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kb = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            sizes.append(round(kb / 1024, 1))
        return sizes

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def flush_redis(redis_db):
    import redis

    redis.Redis.from_url(f"{REDIS}/{redis_db}").flushdb()


def wrk(url, *, duration, connections, deadline):
    out = run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
         "-s", str(BENCH / "report.lua"), url],
        os.environ, deadline, duration + 30,
    )  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    done = raw["requests"] > 0  # no latency to report when no request completed
    return {
        "p50_ms": round(raw["p50_us"] / 1000, 2) if done else None,
        "p95_ms": round(raw["p95_us"] / 1000, 2) if done else None,
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "requests": int(raw["requests"]),
        "non_2xx_3xx": int(raw["status"]),
        "socket_errors": int(errors),
    }


def measure(server, path, *, args, deadline):
    """One load run of `path` on `server`: the latency alone, then wrk."""
    if deadline.left() < args.duration + 10:
        raise OutOfTime(f"no time left to load {path}")
    # One request first: it waits until the workers have finished the previous run's
    # backlog, so that no run pays for the one before it.
    get(server.base + path, timeout=60)
    # Then ALONE_REQUESTS, one at a time on the otherwise idle server: the latency without
    # load, their median (one request's latency was mostly the machine's other load).
    alone = []
    for _ in range(ALONE_REQUESTS):
        started = time.monotonic()
        get(server.base + path, timeout=60)
        alone.append((time.monotonic() - started) * 1000)
    alone_ms = round(median(alone), 2)
    cpu_before = server.cpu_seconds()
    figures = wrk(
        server.base + path, duration=args.duration, connections=args.connections,
        deadline=deadline,
    )  # fmt: skip
    cpu = server.cpu_seconds() - cpu_before
    figures["alone_ms"] = alone_ms
    # The workers' CPU over the run per completed request (a request wrk cut off at the
    # end counts in the CPU but not in the requests: a few ms over thousands of requests).
    figures["cpu_ms"] = round(cpu * 1000 / figures["requests"], 3) if figures["requests"] else None
    return figures


def median(values):
    if any(v is None for v in values):
        return None  # a run in which no request completed: no latency to report
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return round((ordered[middle - 1] + ordered[middle]) / 2, 2)


def combine(runs):
    """The repeats of one page on one server: medians of the figures, sums of the counts."""
    figures = {
        f: median([r[f] for r in runs]) for f in ("alone_ms", "p50_ms", "p95_ms", "rps", "cpu_ms")
    }
    for f in ("requests", "non_2xx_3xx", "socket_errors"):
        figures[f] = sum(r[f] for r in runs)
    figures["p50_runs"] = [r["p50_ms"] for r in runs]
    figures["rps_runs"] = [r["rps"] for r in runs]
    figures["cpu_runs"] = [r["cpu_ms"] for r in runs]
    return figures


def load_interleaved(servers, pages, *, warm, args, deadline):
    """wrk against the floor and every page type on every server, interleaved.

    `servers` and `pages` are keyed by scale; every scale's server runs at the same time.
    For each page type, each repeat loads it on every scale in turn (the order alternating
    between repeats: small, large, then large, small, ...), so that every scale's figures
    are taken under the same machine conditions, minutes (not a quarter of an hour)
    apart; the figures are the medians of the repeats. Ratios to the floor of the same
    server, measured the same way.
    """
    scales = list(servers)
    keys = ["floor"] + [p["key"] for p in pages[scales[0]]]
    paths = {
        scale: {"floor": FLOOR[2]} | {p["key"]: p["path"] for p in pages[scale]} for scale in scales
    }
    cache = {scale: {} for scale in scales}
    if warm:
        for scale, server in servers.items():
            for key in keys[1:]:
                get(server.base + paths[scale][key], timeout=30)
                response = get(server.base + paths[scale][key], timeout=30)
                cache[scale][key] = response[1].get("X-Page-Cache", "none")
    runs = {scale: {key: [] for key in keys} for scale in scales}
    turn = 0
    stopped = None
    try:
        for key in keys:
            for _ in range(args.repeats):
                order = scales if turn % 2 == 0 else scales[::-1]
                turn += 1
                for scale in order:
                    figures = measure(
                        servers[scale], paths[scale][key], args=args, deadline=deadline
                    )
                    runs[scale][key].append(figures)
                    log(f"  {scale:<5} {key:<22} alone {figures['alone_ms']:>8} ms  p50 "
                        f"{fmt(figures['p50_ms']):>8} ms  p95 {fmt(figures['p95_ms']):>8} ms  "
                        f"{fmt(figures['rps']):>8} req/s  "
                        f"CPU {fmt(figures['cpu_ms']):>7} ms/req")  # fmt: skip
    except (OutOfTime, Failed) as exc:
        # The page types measured so far on every scale are kept (the caller stops).
        stopped = exc
    results = {}
    for scale in scales:
        done = [k for k in keys if all(runs[other][k] for other in scales)]
        results[scale] = combined = {key: combine(runs[scale][key]) for key in done}
        floor = combined.get("floor")
        if floor is None:
            continue
        for figures in combined.values():
            figures["p50_x_floor"] = ratio(figures["p50_ms"], floor["p50_ms"])
            figures["p95_x_floor"] = ratio(figures["p95_ms"], floor["p95_ms"])
            figures["rps_x_floor"] = ratio(figures["rps"], floor["rps"])
            figures["cpu_x_floor"] = ratio(figures["cpu_ms"], floor["cpu_ms"])
    return results, cache, stopped


def _ceiling(target, figures, keys, figure, limit):
    """The `target` row: `figure` (a ratio to the floor) of each page of `keys` (some) in
    `figures` at most `limit`; its detail names those over it, else the highest."""
    over = [
        f"{k} {figures[k][figure]}"
        for k in keys
        if figures[k][figure] is None or figures[k][figure] > limit
    ]
    worst = max(keys, key=lambda k: figures[k][figure] or 0)
    return {
        "target": target,
        "met": not over,
        "detail": "over: " + ", ".join(over)
        if over
        else f"highest {worst} {figures[worst][figure]}",
    }


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


# --- Scales ---------------------------------------------------------------------------


def build_scale(scale, sizes, *, args, deadline, prefix, result):
    """Build one scale and count its pages, filling `result` step by step: what was
    measured before a step failed stays in the report."""
    name = f"{prefix}_{scale}"
    log(f"[{scale}] building {name}: {sizes}")
    result["build"] = build_database(
        name, sizes, deadline, reuse=args.reuse, cap=args.build_timeout
    )
    build = result["build"]
    log(
        f"[{scale}] reused, migrated in {build['seconds']} s; counting queries"
        if build.get("reused")
        else f"[{scale}] built in {build['seconds']} s (search reindex "
        f"{build['reindex_seconds']} s); counting queries"
    )
    found = probe(name, "pages", deadline)
    result["pages"] = found["pages"]
    bad = [p["path"] for p in found["pages"] if p["status"] != 200]
    if bad:
        raise Failed(f"pages not answering 200: {bad}")
    with tempfile.TemporaryDirectory(prefix="jli-bench-media-") as media:
        log(f"[{scale}] bulk open-data export")
        # 100,000 publications take several minutes, more on a busy machine.
        result["export"] = probe(name, "export", deadline, cap=1800, MEDIA_ROOT=media)
    log(f"[{scale}] export: {result['export']['seconds']} s "
        f"({result['export'].get('cpu_seconds')} s of CPU), "
        f"peak RSS {result['export']['peak_rss_mb']} MB")  # fmt: skip
    if scale == "large":
        log(f"[{scale}] EXPLAIN of the list queries")
        result["explain"] = probe(name, "explain", deadline, str(args.large_table_rows))
    return result


def loadable(data):
    """A scale is loaded when it was built and every page of it answered (a later step
    that failed, the export or EXPLAIN, is reported but does not keep it from loading)."""
    pages = data.get("pages")
    return bool(pages) and all(page["status"] == 200 for page in pages)


def load_scales(report, *, args, deadline, logdir, prefix):
    """Serve every scale at once (one gunicorn each) and load them interleaved."""
    scales = {scale: data for scale, data in report["scales"].items() if loadable(data)}
    if not scales:
        return
    loaded = {
        scale: [
            p for p in data["pages"] if p["load"] and (not args.pages or p["key"] in args.pages)
        ]
        for scale, data in scales.items()
    }
    for data in scales.values():
        data["load"], data["rss_mb"], data["cache"] = {}, {}, {}
    for state, seconds in (("cold", 0), ("warm", 300)):
        if state not in args.states:
            continue
        servers = {}
        try:
            for scale in scales:
                flush_redis(args.redis_dbs[scale])
                servers[scale] = Server(
                    f"{prefix}_{scale}",
                    page_cache_seconds=seconds,
                    redis_db=args.redis_dbs[scale],
                    workers=args.workers,
                    logdir=logdir,
                )
            for server in servers.values():
                server.wait_ready(deadline)
            runs = (len(next(iter(loaded.values()))) + 1) * args.repeats * len(servers)
            log(f"[{state} cache] {runs} load runs of {args.duration} s, scales interleaved")
            results, cache, stopped = load_interleaved(
                servers, loaded, warm=state == "warm", args=args, deadline=deadline
            )
            for scale, server in servers.items():
                scales[scale]["load"][state] = results[scale]
                scales[scale]["rss_mb"][state] = server.worker_rss_mb()
                if cache[scale]:
                    scales[scale]["cache"] = cache[scale]
            if stopped:
                raise stopped
        finally:
            for server in servers.values():
                server.stop()


# --- Targets and report --------------------------------------------------------------


def targets(report):
    small, large = report["scales"].get("small"), report["scales"].get("large")
    found = []
    if small and large and small.get("pages") and large.get("pages"):
        queries_small = {p["key"]: p["queries"] for p in small["pages"]}
        queries_large = {p["key"]: p["queries"] for p in large["pages"]}
        differ = sorted(
            k for k in queries_small if queries_small[k] != queries_large.get(k, "missing")
        )
        found.append(
            {
                "target": "SQL queries per page identical at both scales",
                "met": not differ,
                "detail": "differ: " + ", ".join(differ) if differ else "all equal",
            }
        )
        for state in ("cold", "warm"):
            if state not in small.get("load", {}) or state not in large.get("load", {}):
                continue
            over = []
            for key, figures in small["load"][state].items():
                other = large["load"][state].get(key)
                if other is None:
                    continue
                if figures["p50_ms"] is None or other["p50_ms"] is None:
                    over.append(f"{key} (no request completed)")
                elif other["p50_ms"] > TARGET_MEDIAN_RATIO * figures["p50_ms"]:
                    over.append(f"{key} {ratio(other['p50_ms'], figures['p50_ms'])}x")
            found.append(
                {
                    "target": f"median latency large within {TARGET_MEDIAN_RATIO}x of small "
                    f"({state} cache)",
                    "met": not over,
                    "detail": "over: " + ", ".join(over) if over else "every page type",
                }
            )
    for scale, data in report["scales"].items():
        warm = data.get("load", {}).get("warm")
        if warm:
            under = [
                f"{k} {v['rps_x_floor']}"
                for k, v in warm.items()
                if k != "floor" and (v["rps_x_floor"] or 0) < TARGET_WARM_FLOOR
            ]
            found.append(
                {
                    "target": f"warm-cache pages >= {TARGET_WARM_FLOOR} x the floor's "
                    f"requests/s ({scale})",
                    "met": not under,
                    "detail": "under: " + ", ".join(under) if under else "every page type",
                }
            )
    for scale, data in report["scales"].items():
        cold = data.get("load", {}).get("cold")
        if not cold:
            continue
        for kind, limit, keys in (
            ("detail pages", TARGET_CPU_DETAIL, [k for k in cold if k in DETAIL_PAGES]),
            ("lists and other pages", TARGET_CPU_LIST,
             [k for k in cold if k not in DETAIL_PAGES and k != "floor"]),
        ):  # fmt: skip
            if keys:  # none of these page types loaded (--pages): no target met or missed
                target = f"cold {kind}: server CPU per request <= {limit} x the floor's ({scale})"
                found.append(_ceiling(target, cold, keys, "cpu_x_floor", limit))
        # Issue 13 holds the detail pages to the floor's latency too: p50 under load.
        if details := [k for k in cold if k in DETAIL_PAGES]:
            target = f"cold detail pages: p50 <= {TARGET_P50_DETAIL} x the floor's p50 ({scale})"
            found.append(_ceiling(target, cold, details, "p50_x_floor", TARGET_P50_DETAIL))
    for scale, data in report["scales"].items():
        if export := data.get("export"):
            found.append(
                {
                    "target": f"bulk export peak RSS < {TARGET_EXPORT_RSS_MB} MB ({scale})",
                    "met": export["peak_rss_mb"] < TARGET_EXPORT_RSS_MB,
                    "detail": f"{export['peak_rss_mb']} MB, {export['seconds']} s",
                }
            )
    sizes = [
        mb for d in report["scales"].values() for v in d.get("rss_mb", {}).values() for mb in v
    ]
    if sizes:
        found.append(
            {
                "target": f"gunicorn worker RSS after the run < {TARGET_RSS_MB} MB",
                "met": max(sizes) < TARGET_RSS_MB,
                "detail": f"largest {max(sizes)} MB of {len(sizes)} workers",
            }
        )
    errors = [
        f"{scale}/{state}/{key}"
        for scale, d in report["scales"].items()
        for state, runs in d.get("load", {}).items()
        for key, v in runs.items()
        if v["non_2xx_3xx"] or v["socket_errors"] or not v["requests"]
    ]
    found.append(
        {
            "target": "no error responses (and at least one completed request) under load",
            "met": not errors,
            "detail": ", ".join(errors) if errors else "none",
        }
    )
    return found


def fmt(value):
    return "–" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def markdown(report):
    lines = [
        f"# JLI benchmark, {report['date']} ({report['mode']})",
        "",
        f"{report['machine']['cpus']} CPUs (load average {report['machine']['loadavg']} at "
        f"start, {report['machine'].get('loadavg_end', '?')} at the end), "
        f"{report['settings']['connections']} connections, "
        f"{report['settings']['duration']} s per load run, "
        f"{report['settings'].get('repeats', 1)} run(s) per page and scale (median kept), "
        f"gunicorn workers per scale: {report['settings']['workers']}; both scales served at "
        "once and loaded in turn, page by page. Latencies in ms; `alone` = the median of "
        f"{ALONE_REQUESTS} requests made one at a time, the server otherwise idle, "
        "p50/p95/req/s under load; `CPU ms/req` = the gunicorn "
        "workers' CPU time (user + system, from /proc) over the load run per request, "
        "robust to other load on the machine; `xF` = ratio to the floor "
        "(`/healthz`) measured on the same server in the same interleaved way.",
        "",
    ]
    if report.get("incomplete"):
        lines += [f"**INCOMPLETE**: {report['incomplete']}", ""]
    lines += ["## Targets", "", "| target | met | detail |", "|---|---|---|"]
    lines += [
        f"| {t['target']} | {'yes' if t['met'] else '**no**'} | {t['detail']} |"
        for t in report["targets"]
    ]
    scales = report["scales"]
    lines += ["", "## Data", ""]
    for scale, data in scales.items():
        build = data["build"]
        how = (
            "not built"
            if "seconds" not in build
            else f"reused, not rebuilt (--reuse), migrated in {build['seconds']} s"
            if build.get("reused")
            else f"{build['seconds']} s to build, of which search reindex "
            f"{build.get('reindex_seconds')} s"
        )
        lines.append(f"- {scale}: {build['seeded']} ({how})")
        if failed := data.get("failed"):
            lines.append(f"- {scale}: **FAILED**: {failed.splitlines()[0]}")
        if export := data.get("export"):
            lines.append(
                f"- {scale}: bulk open-data export in {export['seconds']} s "
                f"({export.get('cpu_seconds', '?')} s of CPU), peak RSS "
                f"{export['peak_rss_mb']} MB, {sum(export['bytes'].values()):,} bytes written"
            )
    keys = []
    for data in scales.values():
        keys += [p["key"] for p in data.get("pages", []) if p["key"] not in keys]
    lines += ["", "## SQL queries per request", "", "| page | path | "]
    lines[-1] += " | ".join(scales) + " |"
    lines.append("|---|---|" + "---|" * len(scales))
    for key in keys:
        cells, path = [], ""
        for data in scales.values():
            page = next((p for p in data.get("pages", []) if p["key"] == key), None)
            cells.append(fmt(page and page["queries"]))
            path = path or (page and page["path"]) or ""
        lines.append(f"| {key} | `{path}` | " + " | ".join(cells) + " |")
    for state in ("cold", "warm"):
        lines += ["", f"## Load, {state} page cache", ""]
        header = "| page |"
        for scale in scales:
            header += (
                f" {scale} alone | p50 | p95 | req/s | CPU ms/req | p50 xF | p95 xF | req/s xF "
                "| CPU xF |"
            )
        if len(scales) == 2:
            header += " p50 large/small |"
        lines += [header, "|---|" + "---|" * (header.count("|") - 2)]
        for key in ["floor", *keys]:
            row, present = f"| {key} |", False
            for data in scales.values():
                v = data.get("load", {}).get(state, {}).get(key)
                present = present or v is not None
                v = v or {}
                row += " " + " | ".join(
                    fmt(v.get(f))
                    for f in (
                        "alone_ms",
                        "p50_ms",
                        "p95_ms",
                        "rps",
                        "cpu_ms",
                        "p50_x_floor",
                        "p95_x_floor",
                        "rps_x_floor",
                        "cpu_x_floor",
                    )
                )
                row += " |"
            if len(scales) == 2:
                a, b = (d.get("load", {}).get(state, {}).get(key) for d in scales.values())
                row += f" {fmt(ratio(b['p50_ms'], a['p50_ms']) if a and b else None)} |"
            if present:
                lines.append(row)
    lines += ["", "## Memory (RSS of each gunicorn worker after the run, MB)", ""]
    for scale, data in scales.items():
        for state, sizes in data.get("rss_mb", {}).items():
            lines.append(f"- {scale}, {state}: {', '.join(map(str, sizes))}")
    cache = {k: v for d in scales.values() for k, v in d.get("cache", {}).items() if v != "hit"}
    if cache:
        lines += ["", f"Warm pages not served from the cache after priming: {cache}"]
    explain = scales.get("large", {}).get("explain")
    if explain:
        lines += [
            "",
            "## EXPLAIN of the public list queries (large scale)",
            "",
            f"Seq Scan flagged on tables of >= {explain['large_table_rows']} rows.",
            "",
            "| page | query | plan nodes | indexes | flagged Seq Scan |",
            "|---|---|---|---|---|",
        ]
        for q in explain["queries"]:
            flagged = ", ".join(q["large_seq_scans"])
            flagged = f"**{flagged}**" if flagged else "–"
            lines.append(
                f"| {q['page']} | {q['query']} | {', '.join(q['nodes'])} | "
                f"{', '.join(q['indexes']) or '–'} | {flagged} |"
            )
    return "\n".join(lines) + "\n"


README = BENCH / "README.md"
LATEST = ("<!-- latest-full-run: written by bench/run.py -->", "<!-- /latest-full-run -->")


def update_readme(report, stem):
    """Put the latest full run's targets, computed, into bench/README.md."""
    text = README.read_text()
    start, end = (text.find(marker) for marker in LATEST)
    if start < 0 or end < 0:
        return
    lines = [
        LATEST[0],
        f"Latest full run: {report['date']}, [{stem.name}.md](results/{stem.name}.md) "
        f"(load average {report['machine']['loadavg']} at start, "
        f"{report['machine'].get('loadavg_end', '?')} at the end, on "
        f"{report['machine']['cpus']} shared CPUs; both scales served at once, loaded in "
        f"turn, {report['settings'].get('repeats', 1)} runs of "
        f"{report['settings']['duration']} s per page and scale, median kept).",
        "",
        "| target | met | detail |",
        "|---|---|---|",
    ]
    lines += [
        f"| {t['target']} | {'yes' if t['met'] else '**no**'} | {t['detail']} |"
        for t in report["targets"]
    ]
    README.write_text(text[:start] + "\n".join(lines) + "\n" + text[end:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scales: a smoke run")
    parser.add_argument("--duration", type=int, help="seconds per load run (3; quick: 2)")
    parser.add_argument(
        "--repeats", type=int, help="load runs per page and scale, median kept (3; quick: 1)"
    )
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers per scale's server (2)"
    )
    parser.add_argument("--deadline", type=int, help="seconds for the whole run (7200; quick: 300)")
    parser.add_argument(
        "--redis-db",
        type=int,
        help="Redis database of the small scale's server, flushed (13; quick: 14); the "
        "large scale's server uses another one, flushed too (15; quick: 11)",
    )
    parser.add_argument("--large-table-rows", type=int, default=1000)
    parser.add_argument(
        "--states", default="cold,warm", help="page cache states to load: cold,warm"
    )
    parser.add_argument(
        "--pages",
        type=lambda value: [key for key in value.split(",") if key],
        default=[],
        help="page types to load, comma-separated keys (e.g. search-rare,search-broad); "
        "every one when omitted (queries are counted for every one anyway)",
    )
    parser.add_argument(
        "--db-prefix",
        help="name prefix of the scales' PostgreSQL databases (jli_bench; quick: jli_bench_quick):"
        " two benchmarks on one machine need different ones, and different --redis-db",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a scale's database when its build completed with the same sizes "
        "(migrated, analysed, not rebuilt): "
        "to measure a change without rebuilding; the report says so",
    )
    parser.add_argument(
        "--build-timeout",
        type=int,
        default=2700,
        help="seconds for one scale's seed_sample (2700): a scale that overruns it is "
        "reported as failed, the others are still measured",
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)
    args.redis_db = args.redis_db if args.redis_db is not None else 14 if args.quick else 13
    # One Redis database per server: the page cache's keys are the same on both.
    args.redis_dbs = {"small": args.redis_db, "large": {13: 15, 14: 11}.get(args.redis_db)}
    if args.redis_dbs["large"] is None:
        args.redis_dbs["large"] = (args.redis_db + 1) % 16
    args.states = [s.strip() for s in args.states.split(",") if s.strip()]
    mode = "quick" if args.quick else "full"
    args.duration = args.duration or (2 if args.quick else 3)
    args.repeats = args.repeats or (1 if args.quick else 3)
    deadline = Deadline(args.deadline or (300 if args.quick else 7200))
    missing = [m for db in args.redis_dbs.values() for m in missing_prerequisites(db)]
    missing = list(dict.fromkeys(missing))
    if missing:
        log("Cannot run the benchmark; missing: " + "; ".join(missing))
        return 2
    prefix = args.db_prefix or ("jli_bench_quick" if args.quick else "jli_bench")
    workers = args.workers
    report = {
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "mode": mode,
        "machine": {"cpus": os.cpu_count(), "loadavg": round(os.getloadavg()[0], 2)},
        "settings": {
            "duration": args.duration,
            "connections": args.connections,
            "workers": workers,
            "repeats": args.repeats,
            "redis_dbs": args.redis_dbs,
            "states": args.states,
            "scales": SCALES[mode],
        },
        "scales": {},
    }
    problems = []
    with tempfile.TemporaryDirectory(prefix="jli-bench-") as logdir:
        try:
            env = base_env(SECRET_KEY=secrets.token_urlsafe(50))
            log("collectstatic (hashed, compressed: production storage)")
            manage(["collectstatic", "--noinput", "-v0"], env, deadline)
            for scale, sizes in SCALES[mode].items():
                result = report["scales"][scale] = {"build": {"seeded": sizes}}
                try:
                    build_scale(
                        scale, sizes, args=args, deadline=deadline, prefix=prefix, result=result
                    )
                except Failed as exc:
                    # The other scales are still built and loaded: a failure at the large
                    # scale does not lose the small one's figures.
                    result["failed"] = reason = f"{scale} scale: {exc}"
                    problems.append(reason.splitlines()[0])
                    log(f"FAILED: {reason}")
            load_scales(report, args=args, deadline=deadline, logdir=logdir, prefix=prefix)
        except OutOfTime as exc:
            problems.append(str(exc))
            log(f"STOPPED: {exc}")
        except Exception as exc:
            # Whatever else went wrong: the report is still written, with the reason.
            problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            log(f"FAILED: {type(exc).__name__}: {exc}")
            for logfile in Path(logdir).glob("*.log"):
                log(f"--- {logfile.name}\n{logfile.read_text()[-3000:]}")
    if problems:
        report["incomplete"] = "; ".join(problems)
    report["machine"]["loadavg_end"] = round(os.getloadavg()[0], 2)
    report["targets"] = targets(report)
    args.out.mkdir(parents=True, exist_ok=True)
    # A run of some page types or cache states only is no full run: its own file name, and
    # the README's "latest full run" stays.
    partial = bool(args.pages) or set(args.states) != {"cold", "warm"}
    report["settings"]["pages"] = args.pages
    # An incomplete run does not overwrite the day's complete one, nor the README's.
    stem = args.out / (
        f"{report['date']}-{mode}{'-partial' if partial else ''}"
        f"{'-incomplete' if report.get('incomplete') else ''}"
    )
    stem.with_suffix(".json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    table = markdown(report)
    stem.with_suffix(".md").write_text(table)
    log(table)
    log(f"Written: {stem}.json and {stem}.md")
    if (
        mode == "full"
        and not partial
        and not report.get("incomplete")
        and args.out.resolve() == (BENCH / "results").resolve()
    ):
        update_readme(report, stem)
    return 1 if report.get("incomplete") else 0


if __name__ == "__main__":
    sys.exit(main())
