from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ProseEditorCSPMixin, PublishingActionsMixin, TranslationAdmin
from core.history_admin import HistoryAdminMixin
from jli.models import StoryPage


@admin.register(StoryPage)
class StoryPageAdmin(
    HistoryAdminMixin, PublishingActionsMixin, ProseEditorCSPMixin, TranslationAdmin
):
    list_display = [
        "title",
        "status",
        "show_in_navigation",
        "navigation_order",
        "is_home_intro",
        "updated_at",
    ]
    list_editable = ["navigation_order"]
    list_filter = ["status", "show_in_navigation", "is_home_intro"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (
            _("Navigation"),
            {"fields": ["show_in_navigation", "navigation_order", "is_home_intro"]},
        ),
        (_("Publishing"), {"fields": ["status", "publish_at", "expire_at"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
