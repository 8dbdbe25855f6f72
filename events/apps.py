from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    # Curated by the secretariat, seen by the public (core.apps).
    curated = True
    public_content = True

    def ready(self):
        from events import sections

        sections.register()
