import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from events import sample as events_sample
from funders import sample as funders_sample
from groups import sample as groups_sample
from publications import sample as publications_sample


class Command(BaseCommand):
    help = (
        "Generate SAMPLE data for development and benchmarks (marked 'sample'). "
        "Never part of the JLI's real record; `make run` does not run it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=200)
        parser.add_argument("--groups", type=int, default=10)
        parser.add_argument("--events", type=int, default=100)
        parser.add_argument(
            "--recent-events",
            type=int,
            default=0,
            help="More events dated within a few months of today (the calendar's window).",
        )
        parser.add_argument("--publications", type=int, default=500)
        parser.add_argument(
            "--funders",
            type=int,
            default=0,
            help="Sample funders across the tiers, each linked to sample publications and "
            "events it supported.",
        )
        parser.add_argument(
            "--seed", type=int, default=2002, help="Random seed, for repeatable data."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        rng = random.Random(options["seed"])  # noqa: S311 (sample data, not security)
        self.stdout.write(self.style.WARNING("Generating SAMPLE data (not the JLI's record)..."))
        made = groups_sample.generate(people=options["people"], groups=options["groups"], rng=rng)
        made |= events_sample.generate(
            events=options["events"], recent=options["recent_events"], rng=rng
        )
        made |= publications_sample.generate(publications=options["publications"], rng=rng)
        # Last: funders are linked to the publications and events made above.
        funders = funders_sample.generate(funders=options["funders"], rng=rng)
        publications_sample.link_funders(funders, rng=rng)
        events_sample.link_funders(funders, rng=rng)
        made["funders"] = len(funders)
        for name, count in made.items():
            self.stdout.write(f"  {count} sample {name}")
        # Sample data is written in bulk, without the signals that index each record.
        started = time.monotonic()
        call_command("search_reindex", verbosity=0)
        self.stdout.write(f"  search index rebuilt in {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Sample data ready."))
