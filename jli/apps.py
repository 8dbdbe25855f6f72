from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JliConfig(AppConfig):
    name = "jli"
    verbose_name = _("Site and story pages")
    # Story pages: curated by the secretariat, seen by the public (core.apps).
    curated = True
    public_content = True
