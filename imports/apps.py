from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Imports")
    # Curated by the secretariat (core.apps): editors may read the record of imports.
    # Not public content: an import changes nothing the public sees until its records do.
    curated = True
