import sys
import time
from collections import Counter

from django.core.management.base import BaseCommand
from tqdm import tqdm

from publications import services
from publications.models import Publication, TextStatus


class Command(BaseCommand):
    help = (
        "Read the text of publications' PDFs now, one after the other, in the foreground "
        "(a backfill after an upgrade, or after failures): those waiting or failed, or --all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Every publication with a PDF, its text read again (not only those waiting "
            "or failed).",
        )

    def handle(self, *args, **options):
        publications = Publication.objects.exclude(file="").order_by("pk")
        if not options["all"]:
            publications = publications.exclude(
                text_status__in=[TextStatus.EXTRACTED, TextStatus.NO_TEXT]
            )
        # Only what the task needs: the texts themselves stay in the database.
        work = list(publications.values_list("pk", "file", "file_size"))
        outcomes = Counter()
        started = time.monotonic()
        # A bar on a terminal; nothing but the summary in a log (cron, CI).
        for pk, name, size in tqdm(
            work, unit="PDF", file=sys.stderr, disable=not sys.stderr.isatty()
        ):
            outcomes[
                services.publication_text_extract(publication_id=pk, file_name=name, file_size=size)
            ] += 1
        seconds = time.monotonic() - started
        summary = ", ".join(
            f"{outcomes[status]} {label}"
            for status, label in [
                (TextStatus.EXTRACTED, "extracted"),
                (TextStatus.NO_TEXT, "without text (scans?)"),
                (TextStatus.FAILED, "failed"),
                ("stale", "changed meanwhile"),
            ]
        )
        pdfs = "PDF" if len(work) == 1 else "PDFs"
        self.stdout.write(f"{len(work)} {pdfs} read in {seconds:.1f} s: {summary}.")
        if outcomes[TextStatus.FAILED]:
            self.stdout.write(
                self.style.WARNING(
                    "Failed PDFs are listed in the admin (filter 'searchable text': "
                    "'extraction failed'); the log says why."
                )
            )
