from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("People and groups")
    # Curated by the secretariat, seen by the public (core.apps).
    curated = True
    public_content = True
