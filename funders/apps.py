from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundersConfig(AppConfig):
    name = "funders"
    verbose_name = _("Funders")
    # Curated by the secretariat, seen by the public (core.apps).
    curated = True
    public_content = True
