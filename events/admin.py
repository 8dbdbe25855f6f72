from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ExportCsvMixin,
    PublishingActionsMixin,
    SortableInlineMixin,
    TranslationAdmin,
    WorkFormMixin,
    assign_action,
)
from core.history_admin import HistoryAdminMixin
from events.models import Event, EventFunder, Participation
from funders.admin import FundedByForm, SupportedInline, register_supported_inline


class ParticipationInline(SortableInlineMixin, admin.TabularInline):
    model = Participation
    extra = 0
    # People are many, so they are found by typing.
    autocomplete_fields = ["person"]
    fields = ["position", "person", "role"]
    select_related = ["person"]
    verbose_name_plural = _(
        "participants, in the order the event's page lists them: drag a row, or use its "
        "arrows, to change it"
    )


class FunderEventInline(SupportedInline):
    """The events a funder supported, added, removed and ordered from the funder's page."""

    model = EventFunder
    supported = "event"
    # The row names its funder and event (its `__str__`, in the row's heading).
    select_related = ["event", "funder"]
    verbose_name = _("event it supported")
    verbose_name_plural = _(
        "events it supported, in the order the funder's page lists them: drag a row, or "
        "use its arrows, to change it (each event's page credits the funder)"
    )


class EventForm(FundedByForm):
    funded_by_help = _("Credited on the event's page and listed on each funder's page.")


register_supported_inline(FunderEventInline)


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
class EventAdmin(
    HistoryAdminMixin, WorkFormMixin, PublishingActionsMixin, ExportCsvMixin, TranslationAdmin
):
    # Funders are ticked (funded_by).
    form = EventForm
    list_display = ["title", "kind", "start_date", "end_date", "place", "status", "publish_at"]
    list_filter = ["kind", YearFilter, "country", "organisers", "status", "is_online"]
    search_fields = ["title", "summary", "venue", "city"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParticipationInline]
    actions = [
        *PublishingActionsMixin.actions,
        assign_action(
            "organisers",
            description=_("Add an organising group to the selected %(verbose_name_plural)s"),
        ),
        "export_csv",
    ]
    csv_fields = [
        "title", "kind", "start_date", "end_date", "place", "organisers", "status", "slug",
    ]  # fmt: skip
    csv_prefetch = ["organisers"]
    # Groups and funders are few: ticked in columns. Publications are many: found by
    # typing (the publications' admin searches them).
    checkbox_fields = ["organisers"]
    autocomplete_fields = ["publications"]
    readonly_fields = ["sequence", "created_at", "updated_at"]
    # What an editor fills first leads (kind, title, when, organisers), then the
    # participants' inline, then where, what came out of it and its publishing state.
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary"]}),
        (
            _("When and who organised it"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    ("start_time", "end_time", "time_zone"),
                    "organisers",
                ],
                "description": _(
                    "Leave the times empty for whole days. With times, choose the time "
                    "zone of the event's place."
                ),
            },
        ),
        (_("Where"), {"fields": [("venue", "city", "country"), ("is_online", "online_url")]}),
        (_("Content"), {"fields": ["description", "outcomes"]}),
        (_("Related publications and funders"), {"fields": ["publications", "funded_by"]}),
        (_("Publishing"), {"fields": ["status", ("publish_at", "expire_at")]}),
        (
            _("History"),
            {"fields": ["sequence", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    fieldsets_before_inlines = 2
    help_texts = {
        "kind": _("Shown with the title, and used by the kind filter of the events list."),
        "title": _("The page's heading, and the event's name in calendars and search."),
        "slug": _("The end of the page's address (/events/<slug>/); changing it breaks old links."),
        "summary": _("Shown in the events list and at the top of the event's page."),
        "organisers": _("The event is listed on these groups' pages and by the group filter."),
        "publications": _("Listed on the event's page as what came out of it."),
        "outcomes": _("Shown on the event's page: what was learned or decided."),
    }  # fmt: skip

    @admin.display(description=_("place"))
    def place(self, event):
        return event.place_display
