from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")
    # Curated by the secretariat, seen by the public (core.apps).
    curated = True
    public_content = True

    def ready(self):
        from publications import sections, signals

        sections.register()
        signals.connect()
