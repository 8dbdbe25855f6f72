from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import PublishingActionsMixin, TranslationAdmin
from events.models import Event, Participation


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    # People are many, so they are found by typing.
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Event.objects.dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start_date__year=int(self.value()))
        return queryset


@admin.register(Event)
class EventAdmin(PublishingActionsMixin, TranslationAdmin):
    list_display = ["title", "kind", "start_date", "end_date", "place", "status", "publish_at"]
    list_filter = ["kind", YearFilter, "country", "organisers", "status", "is_online"]
    search_fields = ["title", "summary", "venue", "city"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParticipationInline]
    # Groups are few, so a two-list chooser. Publications and funders too: their
    # admins (with search, for autocomplete) come from their own apps.
    filter_horizontal = ["organisers", "publications", "funders"]
    readonly_fields = ["sequence", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary"]}),
        (
            _("When"),
            {
                "fields": [("start_date", "end_date"), ("start_time", "end_time"), "time_zone"],
                "description": _(
                    "Leave the times empty for whole days. With times, choose the time "
                    "zone of the event's place."
                ),
            },
        ),
        (_("Where"), {"fields": ["venue", "city", "country", "is_online", "online_url"]}),
        (_("Content"), {"fields": ["description", "outcomes"]}),
        (_("Links"), {"fields": ["organisers", "publications", "funders"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "expire_at"]}),
        (
            _("History"),
            {"fields": ["sequence", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(description=_("place"))
    def place(self, event):
        return event.place_display
