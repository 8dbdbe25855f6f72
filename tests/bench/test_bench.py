"""The benchmark's own tests (bench/run.py, bench/probe.py).

The quick benchmark end to end (marker `bench`: two PostgreSQL scales, gunicorn, wrk;
skipped when PostgreSQL, Redis or wrk is missing) asserts no timing, the machine being
shared: only that the run produced a results file covering every public page type, with
the same number of SQL queries per page at both scales. The others run with the suite.
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from jli.management.commands.seed_sample import Command as SeedSample
from publications.citations import citations_source
from publications.models import Publication
from tests.factories import StoryPageFactory

ROOT = Path(__file__).resolve().parents[2]

# Every page type the benchmark loads (the floor is /healthz, for ratios).
PAGE_TYPES = {
    "home", "groups", "group", "people", "people_filtered", "person", "events",
    "events_filtered", "event", "calendar", "publications", "publications_filtered",
    "publication", "feed", "funders", "funder", "story", "search-rare", "search-broad",
    "search-all", "api-publications", "api-people", "api-events", "api-memberships",
    "api-publication", "api-person", "api-event", "oai-listrecords",
}  # fmt: skip


def load_module(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_run_module():
    return load_module("run")


def test_every_size_of_every_scale_is_a_seed_sample_option():
    bench = load_run_module()
    parser = SeedSample().create_parser("manage.py", "seed_sample")
    for mode, scales in bench.SCALES.items():
        for scale, sizes in scales.items():
            parsed = vars(parser.parse_args(bench.seed_arguments(sizes)[1:]))
            assert {key: parsed[key] for key in sizes} == sizes, (mode, scale)


def test_resilience_sizes_are_seed_sample_options():
    resilience = load_module("resilience")
    parser = SeedSample().create_parser("manage.py", "seed_sample")
    seed = load_run_module().seed_arguments(resilience.SIZES)
    parsed = vars(parser.parse_args(seed[1:]))
    assert {key: parsed[key] for key in resilience.SIZES} == resilience.SIZES


def test_readme_sizes_table_is_the_scales_run_py_seeds():
    bench = load_run_module()
    text = (ROOT / "bench" / "README.md").read_text()
    header = re.search(r"^ *\| \| publications \|.*$", text, flags=re.MULTILINE).group(0)
    columns = [c.strip().replace(" ", "_") for c in header.strip().strip("|").split("|")][1:]
    rows = {}
    for line in re.findall(r"^ *\| (?:small|large|quick) .*$", text, flags=re.MULTILINE):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = [c.replace(",", "") for c in cells[1:]]
    for mode, label in (("full", "{scale}"), ("quick", "quick small / large")):
        for index, scale in enumerate(("small", "large")):
            cells = rows[label.format(scale=scale)]
            if mode == "quick":
                cells = [c.split(" / ")[index] for c in cells]
            expected = bench.SCALES[mode][scale]
            assert dict(zip(columns, map(int, cells), strict=True)) == expected, (mode, scale)


@pytest.mark.django_db
def test_probe_finds_every_page_type_on_a_seeded_database():
    call_command(
        "seed_sample", people=30, groups=3, events=20, publications=40, funders=3, verbosity=0
    )
    StoryPageFactory(slug="goals")  # load_jli's story pages, in the benchmark
    probe = load_module("probe")

    pages = probe.find_pages()["pages"]

    assert {p["key"] for p in pages if p["load"]} == PAGE_TYPES
    assert {p["path"]: p["status"] for p in pages if p["status"] != 200} == {}
    funder = next(p for p in pages if p["key"] == "funder")
    assert funder["path"] == "/funders/sample-funder-1/"
    # The measured publication reads its stored citations, as production's pages do.
    measured = next(p for p in pages if p["key"] == "publication")["path"]
    publication = Publication.objects.get(slug=measured.strip("/").split("/")[-1])
    assert publication.citations["source"] == citations_source(publication)


@pytest.mark.django_db
def test_probe_export_reports_its_time_cpu_peak_memory_and_files():
    call_command(
        "seed_sample", people=5, groups=2, events=3, publications=4, funders=1, verbosity=0
    )
    probe = load_module("probe")

    result = probe.export()

    assert set(result) == {"seconds", "cpu_seconds", "peak_rss_mb", "bytes"}
    assert result["cpu_seconds"] > 0
    assert result["peak_rss_mb"] > 0
    assert result["bytes"]["publications.csv"] > 0


@pytest.mark.bench
def test_quick_benchmark_covers_every_page_type_with_equal_queries(tmp_path):
    bench = load_run_module()
    missing = bench.missing_prerequisites(redis_db=14)
    if missing:
        pytest.skip("benchmark needs " + "; ".join(missing))
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--duration", "1", "--deadline", "100",
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [results_file] = tmp_path.glob("*-quick.json")
    assert [p.name for p in tmp_path.glob("*-quick.md")] == [results_file.stem + ".md"]
    report = json.loads(results_file.read_text())

    assert set(report["scales"]) == {"small", "large"}
    queries = {}
    for scale, data in report["scales"].items():
        loaded = {p["key"] for p in data["pages"] if p["load"]} | {"floor"}
        assert loaded == PAGE_TYPES | {"floor"}, scale
        for state in ("cold", "warm"):
            assert set(data["load"][state]) == loaded, (scale, state)
            assert all(run["requests"] > 0 for run in data["load"][state].values())
        assert len(data["rss_mb"]["warm"]) == report["settings"]["workers"]
        assert all(p["status"] == 200 for p in data["pages"])
        queries[scale] = {p["key"]: p["queries"] for p in data["pages"]}
    assert queries["small"] == queries["large"]
    assert report["scales"]["large"]["explain"]["queries"]
    [query_target] = [t for t in report["targets"] if t["target"].startswith("SQL queries")]
    assert query_target == {
        "target": "SQL queries per page identical at both scales",
        "met": True,
        "detail": "all equal",
    }


@pytest.mark.parametrize(
    ("built", "reused"),
    [({"publications": 5}, True), (None, False), ({"publications": 4}, False)],
    ids=["complete-build", "absent-or-unfinished", "other-sizes"],
)
def test_reuse_keeps_only_a_complete_build_of_the_same_sizes(monkeypatch, built, reused):
    bench = load_run_module()
    calls = []
    monkeypatch.setattr(bench, "built_sizes", lambda name: built)
    monkeypatch.setattr(bench, "recreate_database", lambda name: calls.append("recreate"))
    monkeypatch.setattr(bench, "analyze", lambda name: calls.append("analyze"))
    monkeypatch.setattr(bench, "mark_built", lambda name, sizes: calls.append(("mark", sizes)))
    monkeypatch.setattr(
        bench, "manage", lambda args, env, deadline, cap=900: calls.append(args[0]) or ""
    )

    result = bench.build_database("jli_x_large", {"publications": 5}, bench.Deadline(60), True)

    if reused:
        assert calls == ["migrate", "analyze"]
        assert result["reused"] is True
    else:
        assert calls == [
            "recreate", "migrate", "load_jli", "seed_sample", "analyze",
            ("mark", {"publications": 5}),
        ]  # fmt: skip
        assert "reused" not in result


def test_a_command_over_its_cap_is_a_failure_that_names_the_cap():
    bench = load_run_module()
    sleeper = [sys.executable, "-c", "import time; time.sleep(30)"]

    with pytest.raises(bench.Failed, match="did not finish within its 1 s cap"):
        bench.run(sleeper, {}, bench.Deadline(60), cap=1)


def test_a_build_marked_complete_is_read_back_with_its_sizes():
    bench = load_run_module()
    if not _postgres(bench):
        pytest.skip("needs PostgreSQL")
    name = "jli_bench_test_marker"
    bench.recreate_database(name)
    try:
        assert bench.built_sizes(name) is None  # created, not (yet) completely built
        bench.mark_built(name, {"publications": 7, "people": 3})
        assert bench.built_sizes(name) == {"publications": 7, "people": 3}
    finally:
        import psycopg

        with psycopg.connect(f"{bench.PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert bench.built_sizes(name) is None


def _postgres(bench):
    try:
        import psycopg

        with psycopg.connect(f"{bench.PG}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


class FakeServer:
    base = "http://127.0.0.1:9"

    def __init__(self, database, **kwargs):
        self.database = database

    def wait_ready(self, deadline):
        pass

    def worker_rss_mb(self):
        return [80.0, 81.0]

    def stop(self):
        pass


def test_a_scale_that_fails_to_build_leaves_the_others_measured(monkeypatch, tmp_path):
    """The large build overruns its cap: the small scale is still counted, exported and
    loaded, the report says INCOMPLETE and why, and the run exits non-zero."""
    bench = load_run_module()
    monkeypatch.setattr(bench, "missing_prerequisites", lambda redis_db: [])
    monkeypatch.setattr(bench, "manage", lambda *args, **kwargs: "")  # collectstatic

    def build(name, sizes, deadline, reuse=False, cap=1800):
        if name.endswith("_large"):
            raise bench.Failed(f"manage.py seed_sample --publications did not finish within "
                               f"its {cap} s cap")  # fmt: skip
        return {"database": name, "seeded": sizes, "seconds": 12.0, "reindex_seconds": 3.0}

    def probe(name, command, deadline, *extra, **env):
        if command == "pages":
            return {"pages": [{"key": "home", "path": "/", "status": 200, "queries": 9,
                               "load": True}]}  # fmt: skip
        return {"seconds": 1.5, "peak_rss_mb": 90.0, "bytes": {"people.csv": 100}}

    def measure(server, path, *, args, deadline):
        return {"alone_ms": 2.0, "p50_ms": 5.0, "p95_ms": 9.0, "rps": 400.0, "cpu_ms": 1.0,
                "requests": 800, "non_2xx_3xx": 0, "socket_errors": 0}  # fmt: skip

    monkeypatch.setattr(bench, "build_database", build)
    monkeypatch.setattr(bench, "probe", probe)
    monkeypatch.setattr(bench, "measure", measure)
    monkeypatch.setattr(bench, "Server", FakeServer)
    monkeypatch.setattr(bench, "flush_redis", lambda db: None)
    monkeypatch.setattr(bench, "get", lambda url, timeout=5: (200, {"X-Page-Cache": "hit"}))

    status = bench.main(["--out", str(tmp_path), "--build-timeout", "60", "--repeats", "1"])

    assert status == 1
    [written] = tmp_path.glob("*-full-incomplete.json")
    report = json.loads(written.read_text())
    assert report["incomplete"] == (
        "large scale: manage.py seed_sample --publications did not finish within its 60 s cap"
    )
    small, large = report["scales"]["small"], report["scales"]["large"]
    assert set(small["load"]["cold"]) == set(small["load"]["warm"]) == {"floor", "home"}
    assert small["export"]["peak_rss_mb"] == 90.0
    assert "load" not in large
    assert "pages" not in large
    table = written.with_suffix(".md").read_text()
    assert "**INCOMPLETE**: large scale: manage.py seed_sample" in table
    assert "- large: {'publications': 100000, 'people': 20000, " in table
    assert "'funders': 20} (not built)\n- large: **FAILED**: large scale: manage.py" in table
    assert "| home | 2 | 5 | 9 | 400 |" in table


def test_a_run_of_the_floor_only_claims_no_cpu_target():
    bench = load_run_module()
    floor = {"p50_ms": 5.0, "rps": 400.0, "cpu_ms": 1.0, "cpu_x_floor": 1.0,
             "requests": 800, "non_2xx_3xx": 0, "socket_errors": 0}  # fmt: skip
    report = {"scales": {"small": {"pages": [], "load": {"cold": {"floor": floor}}}}}

    found = [t["target"] for t in bench.targets(report)]

    assert not [t for t in found if "CPU per request" in t]
    assert "no error responses (and at least one completed request) under load" in found


def test_detail_pages_are_held_to_the_floors_p50_too():
    bench = load_run_module()

    def figures(p50_x_floor, cpu_x_floor):
        return {"p50_ms": 5.0 * p50_x_floor, "rps": 400.0, "cpu_ms": cpu_x_floor,
                "cpu_x_floor": cpu_x_floor, "p50_x_floor": p50_x_floor, "requests": 800,
                "non_2xx_3xx": 0, "socket_errors": 0}  # fmt: skip

    cold = {"floor": figures(1, 1), "person": figures(5.5, 4), "publication": figures(7.2, 5.4),
            "home": figures(9, 8)}  # fmt: skip
    report = {"scales": {"small": {"pages": [], "load": {"cold": cold}}}}

    found = {t["target"]: t for t in bench.targets(report)}

    latency = found["cold detail pages: p50 <= 6 x the floor's p50 (small)"]
    assert not latency["met"]
    assert latency["detail"] == "over: publication 7.2"  # home is a list: not held to it
    assert found["cold detail pages: server CPU per request <= 6 x the floor's (small)"]["met"]


def test_a_scale_whose_export_fails_is_still_loaded():
    bench = load_run_module()
    pages = [{"key": "home", "path": "/", "status": 200, "queries": 9, "load": True}]

    assert bench.loadable({"build": {}, "pages": pages, "failed": "large scale: export ..."})
    assert not bench.loadable({"build": {}, "failed": "large scale: seed_sample ..."})
    assert not bench.loadable({"build": {}, "pages": [{**pages[0], "status": 500}]})
