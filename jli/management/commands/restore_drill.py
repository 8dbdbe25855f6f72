import tempfile

from django.core.management.base import BaseCommand, CommandError

from jli import backups


class Command(BaseCommand):
    help = (
        "Restore drill: back up the live data, restore it into a scratch database and "
        "media folder, and check that row counts and file hashes are equal."
    )

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory(prefix="jli-restore-drill-") as workdir:
            manifest, differences = backups.drill(workdir)
        if differences:
            raise CommandError("Restore drill FAILED:\n" + "\n".join(differences))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore drill passed: {sum(manifest['rows'].values())} rows in "
                f"{len(manifest['rows'])} tables and {len(manifest['media'])} files restored "
                "identically."
            )
        )
