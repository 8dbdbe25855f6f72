from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jli.models import StoryPage

admin.site.site_header = _("JLI secretariat")
admin.site.site_title = _("JLI secretariat")
admin.site.index_title = _("Curate the site")


@admin.register(StoryPage)
class StoryPageAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "show_in_navigation", "navigation_order", "is_home_intro"]
    list_filter = ["status", "show_in_navigation"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
