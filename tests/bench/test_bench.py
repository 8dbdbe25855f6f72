"""The quick benchmark, end to end: two PostgreSQL scales, gunicorn, wrk (bench/run.py).

Skips when PostgreSQL, Redis or wrk is not on this machine. Asserts no timing (the
machine is shared): only that the run produced a results file covering every public
page type of this tree, with the same number of SQL queries per page at both scales.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.bench

# Page types every tree has, and those that come with an app's URLs (DESIGN.md paths).
ALWAYS = {
    "floor", "home", "groups", "group", "people", "people_filtered", "person",
    "events", "events_filtered", "event", "calendar",
}  # fmt: skip
WITH_PATH = {
    "/publications/": {"publications", "publications_filtered", "publication"},
    "/publications/feed/": {"feed"},
    "/funders/": {"funders", "funder"},
}


def load_run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def resolves(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def expected_page_types():
    expected = set(ALWAYS)
    for path, keys in WITH_PATH.items():
        if resolves(path):
            expected |= keys
    return expected


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
        assert loaded == expected_page_types(), scale
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
