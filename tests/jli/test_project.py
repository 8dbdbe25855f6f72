import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
# Folders holding no code of the site (tests and bench are looked at where it matters).
NOT_CODE = {".git", ".venv", "static", "staticfiles", "media", "locale", "templates"}


@pytest.mark.django_db
@pytest.mark.parametrize("upload_mb", [None, 7])
def test_makemigrations_finds_nothing_to_do(upload_mb, settings):
    # Whatever the upload limits: help texts that name them must not be model state.
    if upload_mb:
        settings.MAX_IMAGE_UPLOAD_MB = settings.MAX_DOCUMENT_UPLOAD_MB = upload_mb
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_deploy_check_passes_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-key-" + "x9Qz" * 12,
        "ALLOWED_HOSTS": "jli.example.org",
        "SITE_URL": "https://jli.example.org",
        # The documented proxy setup (docs/operations.md).
        "TRUSTED_PROXIES": "127.0.0.1",
        "MEDIA_ACCEL_REDIRECT": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_checks_refuse_production_settings_without_site_url(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-key-" + "x9Qz" * 12,
        "ALLOWED_HOSTS": "jli.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "SITE_URL must be set" in result.stderr


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):
    env = {"PATH": os.environ["PATH"], "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_bandit_finds_no_medium_or_high_issue():
    bandit = Path(sys.executable).with_name("bandit")
    if not bandit.exists():
        pytest.skip("bandit is not installed")
    result = subprocess.run(
        [str(bandit), "-q", "-c", "pyproject.toml", "-r", ".", "--severity-level", "medium"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_production_hashes_passwords_with_argon2():
    """The suite hashes with a fast hasher (tests/conftest.py); production must not."""
    from jli import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


# --- Configuration: every variable the code reads is in .env.example ------------------

# django-environ's readers (env.str(...), env.int(...), env(...)) and os.environ's.
ENV_READERS = {"str", "int", "bool", "list", "float", "path", "db", "db_url", "email_url",
               "cache_url", "url", "json", "dict", "tuple", "decimal", "bytes"}  # fmt: skip


def python_files(*, include_tests=False):
    skip = set(NOT_CODE) | ({"migrations"} if include_tests else {"tests", "bench", "migrations"})
    for path in sorted(ROOT.rglob("*.py")):
        if not skip.intersection(path.relative_to(ROOT).parts[:-1]):
            yield path


def variables_read(tree):
    """Names of environment variables a module reads: env.X("NAME"), os.environ.get("NAME"),
    os.getenv("NAME"), os.environ["NAME"]. os.environ.setdefault(...) writes one (manage.py
    names the settings module): not a setting a deployment chooses."""
    found = set()
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = ast.unparse(node.func)
            method = func.rsplit(".", 1)[-1]
            if (
                func == "env"
                or (func.startswith("env.") and method in ENV_READERS)
                or func in ("os.environ.get", "os.getenv")
            ):
                name = node.args[0].value
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            name = node.slice.value
        if isinstance(name, str):
            found.add(name)
    return found


def variables_listed():
    """Every NAME=... line of .env.example, commented out or not."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_variable_the_code_reads_and_nothing_else():
    read = {}
    for path in python_files():
        for name in variables_read(ast.parse(path.read_text(), filename=str(path))):
            read.setdefault(name, str(path.relative_to(ROOT)))
    # The parser must see the variables of both settings files, or it proves nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "GUNICORN_WORKERS", "TRUSTED_PROXIES"} <= set(read)
    listed = variables_listed()
    missing = {name: where for name, where in read.items() if name not in listed}
    assert not missing, f"read by the code but not in .env.example: {missing}"
    assert not listed - set(read), f"in .env.example but read by no code: {listed - set(read)}"


def test_the_variable_parser_finds_every_kind_of_read():
    tree = ast.parse(
        "a = env.int('A', default=1)\nb = env('B')\nc = os.environ.get('C')\n"
        "d = os.getenv('D')\ne = os.environ['E']\nos.environ.setdefault('F', 'x')\n"
        "os.environ['G'] = 'y'\n"
    )
    assert variables_read(tree) == {"A", "B", "C", "D", "E"}


# --- Dependencies: declared, pinned and locked ------------------------------------------

LOCK = ROOT / "requirements.lock"


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(requirements):
    """{canonical name: version} of a list of `name==version` requirement strings."""
    found = {}
    for line in requirements:
        requirement = Requirement(line)
        [specifier] = requirement.specifier  # exactly one specifier: an exact pin
        assert specifier.operator == "==", f"not pinned exactly: {line}"
        found[canonicalize_name(requirement.name)] = specifier.version
    return found


def locked():
    """{canonical name: (version, hashes)} of requirements.lock."""
    entries = {}
    for block in re.split(r"\n(?=[^\s#])", LOCK.read_text()):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", block)
        if match:
            name, version = match.groups()
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            entries[canonicalize_name(name)] = (version, hashes)
    return entries


def test_every_pin_of_pyproject_is_locked_at_the_same_version():
    project = pyproject()
    wanted = pins(project["dependencies"]) | pins(project["optional-dependencies"]["dev"])
    lock = locked()
    differ = {
        name: (version, lock.get(name, ("missing",))[0])
        for name, version in wanted.items()
        if lock.get(name, (None,))[0] != version
    }
    assert not differ, f"requirements.lock is behind pyproject.toml: run `make lock` ({differ})"


def test_every_locked_package_has_a_hash_and_is_what_is_installed():
    lock = locked()
    assert len(lock) > 50  # the whole resolved set, not only the direct dependencies
    assert not [name for name, (_, hashes) in lock.items() if not hashes]
    installed = {}
    for name in lock:
        try:
            installed[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed[name] = None
    differ = {name: (v, installed[name]) for name, (v, _) in lock.items() if installed[name] != v}
    assert not differ, f"this environment is not the locked set: run `make install` ({differ})"


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_every_third_party_package_imported_is_declared():
    project = pyproject()
    runtime = set(pins(project["dependencies"]))
    dev = set(pins(project["optional-dependencies"]["dev"]))
    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for path in python_files(include_tests=True):
        relative = path.relative_to(ROOT)
        # Tests and the docs' own tools (docs/screenshots/) may also import the dev tools;
        # the site and bench/ only what it runs on.
        allowed = runtime | dev if relative.parts[0] in {"tests", "docs"} else runtime
        for module in imported_modules(path):
            if module in sys.stdlib_module_names or module == "__future__":
                continue
            if (ROOT / module).is_dir() or (path.parent / f"{module}.py").exists():
                continue  # the project's own apps and modules
            names = {canonicalize_name(d) for d in distributions.get(module, [])}
            if not names & allowed:
                undeclared.setdefault(module, str(relative))
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_readme_names_every_make_target():
    makefile = (ROOT / "Makefile").read_text()
    targets = re.search(r"^\.PHONY:(.*)$", makefile, flags=re.MULTILINE).group(1).split()
    readme = (ROOT / "README.md").read_text()
    assert "lock" in targets
    assert [t for t in targets if f"make {t}" not in readme] == []


def test_make_run_writes_its_own_port_into_absolute_links():
    """`make run PORT=8401`: the server and the worker get SITE_URL on that port, so
    citations, feeds, calendars and e-mails link to the site that made them."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8401"],
        cwd=ROOT,
        # Even with another SITE_URL in the shell (as pytest-env sets for the suite).
        env={**os.environ, "SITE_URL": "http://127.0.0.1:8000"},
        capture_output=True,
        text=True,
        check=True,
    )
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    commands_with_url = ["runserver 127.0.0.1:8401", "db_worker", "local_admin", "load_jli"]
    for command in commands_with_url:
        [line] = [line for line in commands if command in line]
        assert "SITE_URL=http://127.0.0.1:8401" in line
