import time

from django.core.management.base import BaseCommand

from opendata import bulk


class Command(BaseCommand):
    help = "Write the bulk open data files (/data/): CSV, JSON and datapackage.json."

    def handle(self, *args, **options):
        started = time.monotonic()
        descriptor = bulk.export()
        sizes = ", ".join(f"{r['path']} {r['bytes']} B" for r in descriptor["resources"])
        self.stdout.write(f"Wrote {sizes} in {time.monotonic() - started:.1f} s.")
