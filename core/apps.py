from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def curated_app_configs():
    """The apps whose models the secretariat curates.

    An app says so itself, with `curated = True` on its AppConfig: the ground names no
    app. The Secretariat editors' permission group gets every permission on their models
    (core.roles). Apps whose models the public also sees add `public_content = True`:
    every change to those models refreshes the public pages (core.cache).
    """
    return [config for config in apps.get_app_configs() if getattr(config, "curated", False)]


def public_content_models():
    """Every model of the apps that declare `public_content = True`, without the tables
    of their history (core/history.py): a version written is no change to a page."""
    from core.history import is_history_model

    return [
        model
        for config in apps.get_app_configs()
        if getattr(config, "public_content", False)
        for model in config.get_models()
        if not is_history_model(model)
    ]


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site foundations")

    def ready(self):
        from core import (
            security,  # noqa: F401 (connects the security log's receivers)
            site,  # noqa: F401 (registers the SITE_URL system check)
        )
        from core.cache import connect_invalidation
        from core.history_records import TranslatedHistoricalRecords
        from core.i18n import memoize_multilingual_querysets
        from core.lookups import register as register_lookups
        from core.roles import ensure_editors_group

        # The content models' French columns exist now (modeltranslation is ready).
        TranslatedHistoricalRecords.finalize_waiting()
        connect_invalidation()
        memoize_multilingual_querysets()
        register_lookups()
        # After every migrate, when the content models' permissions exist.
        post_migrate.connect(ensure_editors_group, dispatch_uid="core_ensure_editors_group")


def connect_to_content_changes(receiver, *, uid):
    """Call `receiver` on every save, delete and many-to-many change of the public content
    models (`public_content_models`); `uid` makes the connections idempotent."""
    for model in public_content_models():
        prefix = f"{uid}-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{prefix}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{prefix}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                receiver,
                sender=field.remote_field.through,
                dispatch_uid=f"{prefix}-{field.name}-m2m",
            )


class SecretariatAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the secretariat's site (core.admin.SecretariatAdminSite)."""

    # Named in INSTALLED_APPS; CoreConfig stays this module's default.
    default = False

    default_site = "core.admin.SecretariatAdminSite"
