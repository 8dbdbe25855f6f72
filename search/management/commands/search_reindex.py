"""Rebuild the search index from every public-facing record.

Run after restoring a backup, an upgrade that changes what is indexed, or loading data
without signals (`loaddata`, bulk imports). Safe to run at any time: the site keeps
answering searches meanwhile.
"""

import time

from django.core.management.base import BaseCommand

from search.services import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index (every publication, person, group, event, funder, page)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Records per transaction.")

    def handle(self, *args, batch, **options):
        started = time.monotonic()
        tty = self.stdout.isatty() and options["verbosity"] >= 1

        def progress(kind, done, total):
            if tty:
                width = 30
                filled = width * done // max(total, 1)
                bar = "#" * filled + "-" * (width - filled)
                self.stdout.write(f"\r{kind:<12} [{bar}] {done}/{total}", ending="")
                if done >= total:
                    self.stdout.write("")
                self.stdout.flush()

        counts = reindex_all(batch=batch, progress=progress)
        seconds = time.monotonic() - started
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"Indexed {sum(counts.values())} records in {seconds:.1f} s")
                + f" ({summary})."
            )
