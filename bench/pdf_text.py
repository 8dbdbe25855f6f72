"""How long reading a PDF's text takes, per page and per document (docs/operations.md).

    .venv/bin/python bench/pdf_text.py                 # a generated 40-page report
    .venv/bin/python bench/pdf_text.py some.pdf ...    # your own PDFs

For each PDF: the time the worker spends on it (a child process started, the PDF read
with pypdfium2, the text written back: `publications.extract`, what the task runs),
divided by its pages; and the same reading done in this process, which shows how much of
it is the child's start-up. Each figure is the median of --repeat runs, as wall time and
as CPU time (user + system; on a shared, busy machine the CPU time is the steadier
figure). Nothing touches a database.
"""

import argparse
import resource
import statistics
import subprocess  # nosec B404 - runs the project's own extractor
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publications import extract  # noqa: E402

WORDS = [
    "health",
    "workers",
    "migration",
    "midwives",
    "nurses",
    "doctors",
    "training",
    "retention",
    "district",
    "workforce",
    "planning",
    "ministry",
    "salaries",
    "rural",
    "incentives",
    "education",
    "policy",
    "crisis",
    "Africa",
    "Asia",
    "community",
    "financing",
    "productivity",
    "motivation",
    "management",
    "strategy",
]


def sample_pdf(pages=40, lines=45):
    """A report-like PDF: `pages` pages of `lines` lines of text each, written by hand."""
    streams = []
    for page in range(pages):
        rows = []
        for line in range(lines):
            words = [WORDS[(page * 7 + line * 3 + n) % len(WORDS)] for n in range(12)]
            rows.append(b"(%s) Tj 0 -15 Td" % " ".join(words).encode())
        streams.append(b"BT /F1 10 Tf 40 760 Td " + b" ".join(rows) + b" ET")
    kids = b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for n, stream in enumerate(streams):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * n)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


def _cpu():
    """CPU seconds used so far by this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median_seconds(function, repeat):
    """Median wall and CPU seconds of `function` over `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def measure(path, repeat):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    pages = len(document)
    document.close()
    command = [sys.executable, "-m", "publications.extract", str(path)]

    def in_child():
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)  # noqa: S603  # nosec B603

    child = median_seconds(in_child, repeat)
    here = median_seconds(lambda: extract.extract(str(path), max_chars=5_000_000), repeat)
    characters = len(extract.extract(str(path), max_chars=5_000_000))
    print(f"{Path(path).name}: {pages} pages, {characters:,} characters")
    for label, (wall, cpu) in [("worker (child process)", child), ("in process", here)]:
        print(
            f"  {label:<23} wall {wall * 1000:6.0f} ms = {wall / pages * 1000:5.1f} ms a page;"
            f"  CPU {cpu * 1000:6.0f} ms = {cpu / pages * 1000:5.1f} ms a page"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.pdfs:
        for path in args.pdfs:
            measure(path, args.repeat)
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as sample:
        sample.write(sample_pdf())
        sample.flush()
        measure(sample.name, args.repeat)


if __name__ == "__main__":
    main()
