"""The apps' layers hold, and the check that holds them can fail.

`lint-imports` (import-linter, configured in pyproject.toml, run by `make lint`) keeps
every import pointing down the layers of docs/design.md. Here it runs on the tree as it
is, then on a copy with one deliberate upward import, which it must name.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = [
    "core",
    "groups",
    "funders",
    "publications",
    "events",
    "members",
    "search",
    "opendata",
    "imports",
    "jli",
]

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter missing")


def _lint_imports(root):
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_the_tree_keeps_its_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("core/upward.py", "import groups.models\n"),  # the ground naming an app
        ("groups/upward.py", "from events import selectors\n"),  # a lower app, a higher one
        ("members/upward.py", "from jli import views\n"),  # an app importing the shell
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(upward)

    result = _lint_imports(tmp_path)

    assert result.returncode == 1
    assert "0 kept, 1 broken" in result.stdout
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> " in result.stdout
