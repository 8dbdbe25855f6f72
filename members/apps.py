from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member accounts")
    # The secretariat sends invitations and reviews profile changes (core.apps); the
    # public never sees these models, so their changes leave the page cache alone.
    curated = True
