from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app's real content, in dependency order. Every loader creates what is missing
# and never changes what exists, so running this again is harmless.
CONTENT_LOADERS = [
    "jli.content.load",
    "groups.content.load",
    "funders.content.load",
    "publications.content.load",
]


class Command(BaseCommand):
    help = "Load the JLI's real content (from its own text). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        created = []
        for dotted in CONTENT_LOADERS:
            created += import_string(dotted)()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(created)} new records:"))
            for item in created:
                self.stdout.write(f"  {item}")
        else:
            self.stdout.write("JLI content already loaded; nothing changed.")
