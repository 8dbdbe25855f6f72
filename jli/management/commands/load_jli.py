from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from core.content import LoadReport
from funders import content as funders_content
from groups import content as groups_content
from jli import content as site_content
from publications import content as publications_content

# Each app's real content, in dependency order. Every loader creates what is missing and
# brings a field up to the text only where it still holds what a load wrote
# (core/content.py), so running this again is harmless and the secretariat's edits stay.
CONTENT_LOADERS = [
    site_content.load,
    groups_content.load,
    funders_content.load,
    publications_content.load,
]


class Command(BaseCommand):
    help = (
        "Load the JLI's real content (from its own text), or bring a site that loaded it "
        "earlier up to the text. Fields the secretariat edited stay. Safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        report = LoadReport()
        # The loaders write the English text: the default language's columns.
        with translation.override(settings.LANGUAGE_CODE):
            for load in CONTENT_LOADERS:
                report.extend(load())
        sections = [
            ("Loaded {} new records:", report.created),
            ("Brought {} fields up to the JLI's text:", report.updated),
            ("Kept {} fields the secretariat edited (not changed):", report.kept),
        ]
        for heading, items in sections:
            if items:
                self.stdout.write(self.style.SUCCESS(heading.format(len(items))))
                for item in items:
                    self.stdout.write(f"  {item}")
        if not (report.created or report.updated):
            self.stdout.write("JLI content already up to date; nothing changed.")
