from django.core.management.base import BaseCommand, CommandError

from jli import backups


class Command(BaseCommand):
    help = "Restore a backup folder over the database and the uploaded files, then check it."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A folder written by backup_site.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: this replaces the current data."
        )

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError("This replaces the database and media; add --yes to confirm.")
        backups.restore(source)
        differences = backups.verify(source)
        if differences:
            raise CommandError(
                "Restored, but it differs from the backup:\n" + "\n".join(differences)
            )
        self.stdout.write(self.style.SUCCESS("Restored; row counts and file hashes match."))
