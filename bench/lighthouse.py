"""Lighthouse (mobile) on every public page type, in English and French, into one table.

Against the site served as in production (`make serve`: DEBUG off, gunicorn, collected and
compressed static files) with the JLI's content and a little sample data for the page
types the real content lacks (a person, an event):

    manage.py load_jli
    manage.py seed_sample --people 60 --groups 2 --events 12 --publications 20 --funders 3 --seed 1

Lighthouse is a Node program, installed outside the repository (it is not part of the
project), and drives Debian's Chromium:

    mkdir -p ~/lh && cd ~/lh && npm install lighthouse
    CHROME_PATH=/usr/bin/chromium .venv/bin/python bench/lighthouse.py http://127.0.0.1:8000 \
        --lighthouse ~/lh/node_modules/.bin/lighthouse --summary docs/lighthouse.md

Pages run one after the other (one browser at a time). Accessibility, best practices and
SEO are deterministic; performance depends on the machine's load (throttled mobile
emulation multiplies every stall), so a figure taken on a shared machine is a floor.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync"

# (page type, path, or (list path, pattern of a detail link found on it), or (path, None)
# for where that path redirects).
PAGES = [
    ("home", "/"),
    ("groups", "/groups/"),
    ("group", ("/groups/", r"/groups/[a-z0-9-]+/")),
    ("people", "/people/"),
    ("person", ("/people/", r"/people/[a-z0-9-]+/")),
    ("publications", "/publications/"),
    ("publication", "/publications/human-resources-for-health-overcoming-the-crisis/"),
    ("events", "/events/"),
    ("event", ("/events/", r"/events/[a-z0-9-]+/")),
    ("funders", "/funders/"),
    ("funder", ("/funders/", r"/funders/[a-z0-9-]+/")),
    ("story page", "/about/goals-and-design/"),
    ("search", "/search/"),
    # Results are kept out of search engines on purpose (noindex): SEO's "is-crawlable"
    # fails by design on this one.
    ("search results", "/search/?q=health"),
    # Where /profile/ sends a reader who has not signed in.
    ("sign-in (profile)", ("/profile/", None)),
]
# One address for both languages (jli/urls.py): the data page follows the reader's language
# choice, not a /fr/ prefix.
UNPREFIXED = [("data", "/data/")]
LANGUAGES = [("en", ""), ("fr", "/fr")]


def detail_path(base, prefix, list_path, pattern):
    """The path (language prefix included) of a detail page linked from a list page, or,
    with no pattern, the path `list_path` redirects to."""
    with urllib.request.urlopen(base + prefix + list_path, timeout=30) as response:  # noqa: S310  # nosec B310
        if pattern is None:
            return response.url.removeprefix(base)
        html = response.read().decode()
    for found in re.findall(rf'href="({re.escape(prefix)}{pattern})"', html):
        if found != prefix + list_path:
            return found
    raise SystemExit(f"No link matching {pattern} on {prefix}{list_path}")


def run_lighthouse(lighthouse, url, report_path, language):
    command = [
        lighthouse,
        url,
        "--output=json",
        f"--output-path={report_path}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS} --lang={language}",
        "--quiet",
    ]
    # Under load, Chromium sometimes loses the page's trace (NO_NAVSTART): try again.
    for attempt in range(3):
        finished = subprocess.run(command, check=attempt == 2, timeout=300)  # noqa: S603  # nosec B603 (the given program)
        if finished.returncode == 0:
            break
    report = json.loads(Path(report_path).read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = sorted(
        audit_id
        for name in CATEGORIES[1:]
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] > 0
        and (audit_id := ref["id"])
        and report["audits"][audit_id]["score"] is not None
        and report["audits"][audit_id]["score"] < 1
    )
    metrics = report["audits"]
    timing = {
        "FCP": metrics["first-contentful-paint"]["displayValue"],
        "LCP": metrics["largest-contentful-paint"]["displayValue"],
        "TBT": metrics["total-blocking-time"]["displayValue"],
        "CLS": metrics["cumulative-layout-shift"]["displayValue"],
    }
    return scores, failing, timing


START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"


def write_summary(path, table, base):
    """Put the table between the file's markers, keeping the text around it."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"{START}\n<!-- bench/lighthouse.py, {stamp}, {base} -->\n{table}\n{END}"
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = f"{text}{block}\n"
    path.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the served site, e.g. http://127.0.0.1:8000")
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse program")
    parser.add_argument("--reports", default=None, help="folder for the JSON reports")
    parser.add_argument("--summary", default=None, help="write the Markdown table here")
    parser.add_argument("--only", default=None, help="run only these page types (comma list)")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    reports = Path(args.reports or tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CHROME_PATH", "/usr/bin/chromium")
    only = set(args.only.split(",")) if args.only else None

    rows = []
    for language, prefix in LANGUAGES:
        pages = [*PAGES, *UNPREFIXED]
        for kind, where in pages:
            if only and kind not in only:
                continue
            if (kind, where) in UNPREFIXED:
                path = where
            elif isinstance(where, tuple):
                path = detail_path(base, prefix, *where)
            else:
                path = prefix + where
            url = base + path
            name = re.sub(r"[^a-z0-9]+", "-", f"{language}-{kind}").strip("-")
            scores, failing, timing = run_lighthouse(
                args.lighthouse, url, reports / f"{name}.json", language
            )
            row = (language, kind, url.removeprefix(base), scores, failing, timing)
            rows.append(row)
            print(language, kind, scores, failing or "", timing, flush=True)

    lines = [
        "| Language | Page | Address | Performance | Accessibility | Best practices | SEO "
        "| FCP | LCP | TBT | CLS | Below 1 |",
        "|---|---|---|---:|---:|---:|---:|---|---|---|---|---|",
    ]
    for language, kind, path, scores, failing, timing in rows:
        cells = [language, kind, f"`{path}`", *(str(scores[c]) for c in CATEGORIES)]
        cells += [timing["FCP"], timing["LCP"], timing["TBT"], timing["CLS"]]
        cells.append(", ".join(failing) or "–")
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table)
    if args.summary:
        write_summary(Path(args.summary), table, base)
    print(f"JSON reports in {reports}", file=sys.stderr)


if __name__ == "__main__":
    main()
