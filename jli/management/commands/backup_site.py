from django.core.management.base import BaseCommand

from jli import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="A folder that does not exist yet.")

    def handle(self, *args, destination, **options):
        manifest = backups.backup(destination)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(manifest['rows'].values())} rows in {len(manifest['rows'])} "
                f"tables and {len(manifest['media'])} files to {destination}"
            )
        )
