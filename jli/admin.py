from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from js_asset import Media

from jli.models import Status, StoryPage

admin.site.site_header = _("JLI secretariat")
admin.site.site_title = _("JLI secretariat")
admin.site.index_title = _("Curate the site")


class ProseEditorCSPMixin:
    """Let the rich text editor's import map run under the strict CSP.

    django-prose-editor loads its code as ES modules from static files, but tells the
    browser where they are with an inline `<script type="importmap">`, which
    `script-src 'self'` blocks. The change form's media gets this request's CSP nonce
    (django-csp adds the nonce to the header only on pages that use it).
    """

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(StoryPage)
class StoryPageAdmin(ProseEditorCSPMixin, admin.ModelAdmin):
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
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected pages"))
    def publish(self, request, queryset):
        queryset.update(status=Status.PUBLISHED)

    @admin.action(description=_("Turn the selected pages back into drafts"))
    def unpublish(self, request, queryset):
        queryset.update(status=Status.DRAFT)
