from django.core.management.base import BaseCommand
from django.db import transaction

from funders import content as funders_content
from groups import content as groups_content
from jli import content as site_content
from publications import content as publications_content

# Each app's real content, in dependency order. Every loader creates what is missing
# and never changes what exists, so running this again is harmless.
CONTENT_LOADERS = [
    site_content.load,
    groups_content.load,
    funders_content.load,
    publications_content.load,
]


class Command(BaseCommand):
    help = "Load the JLI's real content (from its own text). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        created = []
        for load in CONTENT_LOADERS:
            created += load()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(created)} new records:"))
            for item in created:
                self.stdout.write(f"  {item}")
        else:
            self.stdout.write("JLI content already loaded; nothing changed.")
