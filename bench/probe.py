"""In-process half of the benchmark: run by bench/run.py inside the project's Django.

    python bench/probe.py pages             -> JSON: the public page types found, with
                                               their SQL queries per request
    python bench/probe.py explain           -> JSON: EXPLAIN of the public list queries

The database and settings come from the environment that run.py sets (PostgreSQL,
PAGE_CACHE_SECONDS=0). Page types are found from the paths the tree resolves and from
real rows in the database, so pages of apps that are not merged yet are skipped with a
note, and appear by themselves once they are.
"""

import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jli.settings")

import django  # noqa: E402 (the path and settings module come first)

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

# (key, label, path) of the list and machine pages, as in ../shared/DESIGN.md.
LIST_PAGES = [
    ("home", "home", "/"),
    ("groups", "groups", "/groups/"),
    ("people", "people", "/people/"),
    ("publications", "publications list", "/publications/"),
    ("events", "events", "/events/"),
    ("funders", "funders", "/funders/"),
    ("calendar", "calendar (all events, .ics)", "/events/calendar.ics"),
    ("feed", "feed (publications, Atom)", "/publications/feed/"),
]
# (key, label, app label, model name, extra filter) of the detail pages.
DETAIL_PAGES = [
    ("group", "a group", "groups", "Group", {"slug": "sample-group-1"}),
    ("person", "a person", "groups", "Person", {"memberships__isnull": False}),
    # With groups and topics: every section of the page (related publications) is there
    # at both scales (without either, the related query is skipped: one query less).
    (
        "publication",
        "a publication",
        "publications",
        "Publication",
        {"groups__isnull": False, "topics__isnull": False, "authorships__isnull": False},
    ),
    ("event", "an event", "events", "Event", {"participations__isnull": False}),
    ("funder", "a funder", "funders", "Funder", {}),
]
# Lists whose filter form is benchmarked (the "with filters" page type).
FILTERED_LISTS = ["people", "publications", "events"]
# Preferred filter values: present at every scale (sample data).
PREFERRED = {"group": "sample-group-1", "role": "member", "sort": "title"}
SEARCH_WORD = "a"  # in most sample names: the search returns a full page


def resolves(path):
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def visible(model):
    manager = model._default_manager
    if hasattr(manager, "published"):
        return manager.published()
    if hasattr(manager, "public"):
        return manager.public()
    return manager.all()


def detail_path(app_label, model_name, extra):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None, f"model {app_label}.{model_name} not in this tree"
    rows = visible(model)
    if any(f.name == "slug" for f in model._meta.fields):
        samples = rows.filter(slug__startswith="sample-")
        rows = samples if samples.exists() else rows
    for filters in (extra, {}):
        try:
            obj = rows.filter(**filters).distinct().order_by("pk").first()
        except Exception:  # noqa: S112 (an optional filter naming a field not in this tree)
            continue
        if obj is not None:
            break
    else:
        return None, f"no visible {model_name} in the database"
    try:
        path = obj.get_absolute_url()
    except Exception as exc:  # NoReverseMatch, AttributeError: the URLs are not merged yet
        return None, f"{model_name} has no public URL yet ({type(exc).__name__})"
    if not resolves(path):
        return None, f"{path} does not resolve"
    return path, ""


class FilterForm(HTMLParser):
    """The GET form of a list page: its select menus (with options) and text inputs."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.select = None
        self.selects = {}
        self.texts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.in_form = True
        elif not self.in_form:
            return
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.selects[self.select] = []
        elif tag == "option" and self.select and attrs.get("value"):
            self.selects[self.select].append(attrs["value"])
        elif (
            tag == "input" and attrs.get("type", "text") in ("text", "search") and attrs.get("name")
        ):
            self.texts.append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


def filter_variants(client, path):
    """One query string per filter of the list's form: {name: "?name=value"}."""
    form = FilterForm()
    form.feed(client.get(path).content.decode())
    variants = {}
    for name in form.texts:
        variants[name] = "?" + urlencode({name: SEARCH_WORD})
    for name, values in form.selects.items():
        if values:
            value = PREFERRED.get(name) if PREFERRED.get(name) in values else values[0]
            variants[name] = "?" + urlencode({name: value})
    return variants


def measure(client, path):
    """Status, size and the SQL of one anonymous GET (after a first one that warms up)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    body = b"".join(response) if response.streaming else response.content
    return {
        "status": response.status_code,
        "bytes": len(body),
        "queries": len(captured.captured_queries),
        "sql": [q["sql"] for q in captured.captured_queries],
    }


def find_pages():
    client = Client()
    pages, notes = [], []
    for key, label, path in LIST_PAGES:
        if resolves(path):
            pages.append({"key": key, "label": label, "path": path, "load": True})
        else:
            notes.append(f"skipped {label}: {path} is not in this tree yet")
    for key, label, app_label, model_name, extra in DETAIL_PAGES:
        path, why = detail_path(app_label, model_name, extra)
        if path:
            pages.append({"key": key, "label": label, "path": path, "load": True})
        else:
            notes.append(f"skipped {label}: {why}")
    for base in FILTERED_LISTS:
        page = next((p for p in pages if p["key"] == base), None)
        if page is None:
            continue
        variants = filter_variants(client, page["path"])
        # The load-tested "with filters" page: the group filter (a join), else the first.
        chosen = "group" if "group" in variants else next(iter(variants), None)
        for name, query in variants.items():
            pages.append(
                {
                    "key": f"{base}_filtered" if name == chosen else f"{base}[{name}]",
                    "label": f"{page['label']} filtered by {name}",
                    "path": page["path"] + query,
                    "load": name == chosen,
                    "list": base,
                }
            )
        page["list"] = base
    for page in pages:
        page.update(measure(client, page["path"]))
    return {"pages": pages, "notes": notes}


def plan_nodes(plan, out):
    out.append(plan)
    for child in plan.get("Plans", []):
        plan_nodes(child, out)
    return out


def explain(large_rows):
    """EXPLAIN every SELECT the public list pages (with and without filters) run."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        sizes = dict(cursor.fetchall())
    found = find_pages()
    lists = [p for p in found["pages"] if p.get("list")]
    results = []
    with connection.cursor() as cursor:
        for page in lists:
            for number, sql in enumerate(page["sql"], start=1):
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                raw = cursor.fetchone()[0]
                plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
                nodes = plan_nodes(plan, [])
                seq = [
                    {"table": n["Relation Name"], "rows": sizes.get(n["Relation Name"], 0)}
                    for n in nodes
                    if n["Node Type"] == "Seq Scan"
                ]
                results.append(
                    {
                        "page": page["key"],
                        "path": page["path"],
                        "query": number,
                        "sql": sql[:300],
                        "nodes": sorted({n["Node Type"] for n in nodes}),
                        "indexes": sorted({n["Index Name"] for n in nodes if "Index Name" in n}),
                        "seq_scans": seq,
                        "large_seq_scans": [s["table"] for s in seq if s["rows"] >= large_rows],
                    }
                )
    return {"large_table_rows": large_rows, "table_rows": sizes, "queries": results}


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "pages"
    if command == "pages":
        result = find_pages()
        for page in result["pages"]:
            del page["sql"]
    elif command == "explain":
        result = explain(int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    else:
        sys.exit(f"unknown command {command!r}: pages or explain")
    json.dump(result, sys.stdout)
