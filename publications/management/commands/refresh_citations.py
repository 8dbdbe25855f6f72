from django.core.management.base import BaseCommand

from publications.models import Publication
from publications.services import publication_citations_refresh

BATCH = 200


class Command(BaseCommand):
    help = (
        "Store the formatted citations of every publication whose stored ones are missing "
        "or out of date (after an upgrade, a bulk import or a new SITE_URL)."
    )

    def handle(self, *args, **options):
        ids = list(Publication.objects.order_by("pk").values_list("pk", flat=True))
        rendered = 0
        for start in range(0, len(ids), BATCH):
            rendered += publication_citations_refresh(publication_ids=ids[start : start + BATCH])
        self.stdout.write(f"Citations rendered for {rendered} of {len(ids)} publications.")
