from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from core import search as keyword_hook
        from search import engine, signals, sources

        sources.register_content_sources()
        signals.connect()
        keyword_hook.register(engine.matching_ids)
