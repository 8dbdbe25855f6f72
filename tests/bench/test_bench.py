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


@pytest.mark.parametrize("exists", [True, False])
def test_reuse_keeps_an_existing_database_and_only_migrates_it(monkeypatch, exists):
    bench = load_run_module()
    calls = []
    monkeypatch.setattr(bench, "database_exists", lambda name: exists)
    monkeypatch.setattr(bench, "recreate_database", lambda name: calls.append("recreate"))
    monkeypatch.setattr(bench, "analyze", lambda name: calls.append("analyze"))
    monkeypatch.setattr(
        bench, "manage", lambda args, env, deadline, cap=900: calls.append(args[0]) or ""
    )

    built = bench.build_database("jli_x_large", {"publications": 5}, bench.Deadline(60), True)

    if exists:
        assert calls == ["migrate", "analyze"]
        assert built["reused"] is True
    else:
        assert calls == ["recreate", "migrate", "load_jli", "seed_sample", "analyze"]
        assert "reused" not in built
