"""Resilience under load, end to end (bench/resilience.py): `make resilience`.

Not in the default suite (the `resilience` marker is deselected by addopts): each check
builds a small PostgreSQL database, serves it with gunicorn and loads it for a minute;
the restart check stops the machine's PostgreSQL for a few seconds (and always starts it
again). Skips when PostgreSQL, Redis or wrk is missing.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.resilience


def _check(*args):
    result = subprocess.run(  # this project's own script
        [sys.executable, str(ROOT / "bench" / "resilience.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode == 2:
        pytest.skip(f"prerequisite missing: {result.stdout.strip()}")
    try:
        summary = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"no summary (exit {result.returncode}):\n{result.stderr[-3000:]}")
    print(json.dumps(summary, indent=1))  # kept in the report with -rA / -s
    return result.returncode, summary


def test_fifty_clients_for_a_minute_get_no_error_response():
    status, summary = _check("load", "--connections", "50", "--duration", "60")
    assert summary["requests"] > 0
    assert (summary["non_2xx_3xx"], summary["socket_errors"]) == (0, 0)
    assert status == 0


def test_postgresql_restart_under_load_fails_only_while_down_and_loses_no_write():
    status, summary = _check("pg-restart")
    # Errors only while PostgreSQL was down: none before the stop, none starting more
    # than two seconds after it accepted connections again (and pages answered then).
    assert summary["errors_before_stop"] == 0
    assert summary["errors_later_than_grace"] == 0, summary["late_errors_sample"]
    assert summary["successes_after_grace"] > 0
    # Every write whose commit returned is in the database afterwards.
    assert summary["writes_acknowledged"] > 0
    assert summary["writes_lost"] == 0
    assert status == 0
