import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "For local development only: create a superuser once and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Where `make run` serves.")

    def handle(self, *args, port, **options):
        admin_url = f"http://127.0.0.1:{port}/admin/"
        User = get_user_model()
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no local administrator is created.")
            return
        if User.objects.exists():
            self.stdout.write(
                f"Admin: {admin_url} (sign in with the account created on the "
                "first run; `python manage.py changepassword admin` sets a new password)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: {admin_url} user 'admin', password "
                f"'{password}' (shown once; created because this is a new local database)."
            )
        )
