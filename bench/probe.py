"""In-process half of the benchmark: run by bench/run.py inside the project's Django.

    python bench/probe.py pages             -> JSON: the public page types, with their SQL
                                               queries per request
    python bench/probe.py explain           -> JSON: EXPLAIN of the public list queries
    python bench/probe.py export            -> JSON: the bulk open-data export's duration
                                               and peak RSS (files under MEDIA_ROOT)

The database and settings come from the environment that run.py sets (PostgreSQL,
PAGE_CACHE_SECONDS=0), seeded by `seed_sample`. Every page type of docs/design.md's URL
map that has something to measure at scale is here; a detail page is the first sample
row that has every section of its page.
"""

import json
import os
import resource
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jli.settings")

import django  # noqa: E402 (the path and settings module come first)

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from events.models import Event  # noqa: E402
from funders.models import Funder  # noqa: E402
from groups.models import Group, Person  # noqa: E402
from jli.models import StoryPage  # noqa: E402
from opendata import bulk  # noqa: E402
from publications.models import Publication  # noqa: E402
from publications.services import publication_citations_refresh  # noqa: E402

# (key, label, path) of the list and machine pages (docs/design.md, URL map).
LIST_PAGES = [
    ("home", "home", "/"),
    ("groups", "groups", "/groups/"),
    ("people", "people", "/people/"),
    ("publications", "publications list", "/publications/"),
    ("events", "events", "/events/"),
    ("funders", "funders", "/funders/"),
    ("calendar", "calendar (all events, .ics)", "/events/calendar.ics"),
    ("feed", "feed (publications, Atom)", "/publications/feed/"),
    # Search: a rare word (a few records of the JLI's own text), a broad one, and one
    # that every sample record holds (the worst case: ranking and counting everything).
    ("search-rare", "search, a rare word", "/search/?q=workforce"),
    ("search-broad", "search, a broad word", "/search/?q=health"),
    ("search-all", "search, a word in every record", "/search/?q=sample"),
    # Open data (issue 17): the API's lists at their largest page, OAI-PMH's ListRecords
    # (100 records a page, oai_dc).
    ("api-publications", "API: publications, 100", "/api/v1/publications/?page_size=100"),
    ("api-people", "API: people, 100", "/api/v1/people/?page_size=100"),
    ("api-events", "API: events, 100", "/api/v1/events/?page_size=100"),
    ("api-memberships", "API: memberships, 100", "/api/v1/memberships/?page_size=100"),
    ("oai-listrecords", "OAI-PMH ListRecords (100)",
     "/oai/?verb=ListRecords&metadataPrefix=oai_dc"),
]  # fmt: skip

# (key, label, key of the detail page whose row it reads, API path) of the API's details.
API_DETAIL_PAGES = [
    ("api-publication", "API: a publication", "publication", "/api/v1/publications/{slug}/"),
    ("api-person", "API: a person", "person", "/api/v1/people/{slug}/"),
    ("api-event", "API: an event", "event", "/api/v1/events/{slug}/"),
]


def detail_pages():
    """(key, label, rows) of the detail pages: the first row of each is measured.

    Sample rows with every section of their page, so that each scale measures the same
    page: a person with roles, a publication with groups, topics and authors of whom one
    at least is a person of the site (without them its related-publications query, and
    the API's look-up of its authors' people, are skipped), an event with participants, a
    funder with the publications and events it supported.
    """
    return [
        ("group", "a group", Group.objects.published().filter(slug="sample-group-1")),
        (
            "person",
            "a person",
            Person.objects.public().filter(slug__startswith="sample-", memberships__isnull=False),
        ),
        (
            "publication",
            "a publication",
            Publication.objects.published().filter(
                slug__startswith="sample-",
                groups__isnull=False,
                topics__isnull=False,
                authorships__person__isnull=False,
            ),
        ),
        (
            "event",
            "an event",
            Event.objects.published().filter(
                slug__startswith="sample-", participations__isnull=False
            ),
        ),
        (
            "funder",
            "a funder",
            Funder.objects.public().filter(
                slug__startswith="sample-", publications__isnull=False, events__isnull=False
            ),
        ),
        # The JLI's own story pages (load_jli), the same at every scale.
        (
            "story",
            "a story page",
            StoryPage.objects.published().filter(is_home_intro=False),
        ),
    ]


# Lists whose filter form is benchmarked (the "with filters" page type).
FILTERED_LISTS = ["people", "publications", "events"]
# Preferred filter values: present at every scale (sample data).
PREFERRED = {"group": "sample-group-1", "role": "member", "sort": "title"}
SEARCH_WORD = "a"  # in most sample names: the search returns a full page


def detail_row(label, rows):
    obj = rows.distinct().order_by("pk").first()
    if obj is None:
        raise LookupError(f"no sample row for {label}: was the database seeded (seed_sample)?")
    return obj


def detail_path(label, rows):
    return detail_row(label, rows).get_absolute_url()


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
    pages = [
        {"key": key, "label": label, "path": path, "load": True} for key, label, path in LIST_PAGES
    ]
    pages += [
        {"key": key, "label": label, "path": detail_path(label, rows), "load": True}
        for key, label, rows in detail_pages()
    ]
    rows = {key: (label, found) for key, label, found in detail_pages()}
    # The measured publication's formatted citations stored, as the admin and the imports
    # store every publication's (publications.services) and `refresh_citations` after a
    # bulk load. seed_sample writes its rows in bulk and leaves them unstored (rendering
    # 100,000 would take an hour): without them the page would look its citations up in
    # the cache on every view, a round trip no production page makes.
    publication_citations_refresh(publication_ids=[detail_row(*rows["publication"]).pk])
    pages += [
        {"key": key, "label": label, "load": True,
         "path": path.format(slug=detail_row(*rows[source]).slug)}
        for key, label, source, path in API_DETAIL_PAGES
    ]  # fmt: skip
    for base in FILTERED_LISTS:
        page = next(p for p in pages if p["key"] == base)
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
    return {"pages": pages}


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


def export():
    """The bulk open-data export (/data/), timed, with this process's peak RSS: the
    process does nothing else, so its peak is the export's (Django loaded included),
    what a worker running the background task would reach."""
    started = time.monotonic()
    descriptor = bulk.export()
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = usage.ru_maxrss / 1024
    return {
        "seconds": round(seconds, 1),
        # This process's CPU (Django loading included): the wall time depends on the
        # machine's other load, this much less.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "bytes": {r["path"]: r["bytes"] for r in descriptor["resources"]},
    }


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "pages"
    if command == "export":
        result = export()
    elif command == "pages":
        result = find_pages()
        for page in result["pages"]:
            del page["sql"]
    elif command == "explain":
        result = explain(int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    else:
        sys.exit(f"unknown command {command!r}: pages, explain or export")
    json.dump(result, sys.stdout)
