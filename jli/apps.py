from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JliConfig(AppConfig):
    name = "jli"
    verbose_name = _("Site and story pages")

    def ready(self):
        from jli import security  # noqa: F401 (connects the security log's receivers)
        from jli.cache import connect_invalidation
        from jli.roles import ensure_editors_group

        connect_invalidation()
        # After every migrate, when the content models' permissions exist.
        post_migrate.connect(ensure_editors_group, dispatch_uid="jli_ensure_editors_group")
