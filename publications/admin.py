from django.contrib import admin
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.admin import PublishingActionsMixin
from core.forms import UploadCheckedModelForm
from groups.models import Group
from publications import services
from publications.models import Authorship, Publication, Topic


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    # People are many, so they are found by typing.
    autocomplete_fields = ["person"]
    fields = ["position", "person", "name", "is_organisation"]
    verbose_name_plural = _("authors, in order (a person of the site, or a name)")


class PublicationYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Publication.objects.dates("published_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Publication)
class PublicationAdmin(PublishingActionsMixin, admin.ModelAdmin):
    # Refused uploads are written to the security log.
    form = UploadCheckedModelForm
    list_display = ["title", "kind", "date_display", "status", "group_names", "is_featured"]
    list_filter = ["kind", "status", PublicationYearFilter, "groups", "topics", "is_featured"]
    search_fields = [
        "title",
        "subtitle",
        "series",
        "number",
        "doi",
        "isbn",
        "authorships__name",
        "authorships__person__family_name",
    ]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AuthorshipInline]
    # Groups, topics and funders are few: picked from filterable lists (people, who are
    # many, are found by typing in the authors' inline).
    filter_horizontal = ["groups", "topics", "funders"]
    readonly_fields = ["file_details", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "subtitle", "slug", "is_featured"]}),
        (_("Date"), {"fields": ["published_on", "date_precision"]}),
        (_("Text"), {"fields": ["abstract", "summary", "body"]}),
        (
            _("Bibliographic details"),
            {
                "fields": [
                    "language",
                    "publisher",
                    "place",
                    "series",
                    "number",
                    "doi",
                    "isbn",
                    "external_url",
                    "licence",
                ]
            },
        ),
        (_("File and cover"), {"fields": ["file", "file_details", "cover", "cover_alt"]}),
        (_("Where it belongs"), {"fields": ["groups", "topics", "funders"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "expire_at"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        )

    @admin.display(description=_("date"), ordering="published_on")
    def date_display(self, publication):
        return publication.date_display

    @admin.display(description=_("groups"))
    def group_names(self, publication):
        return ", ".join(group.name for group in publication.groups.all())

    @admin.display(description=_("file"))
    def file_details(self, publication):
        if not publication.file:
            return _("No file")
        size = filesizeformat(publication.file_size) if publication.file_size else "?"
        return _("%(size)s, %(pages)s pages") % {
            "size": size,
            "pages": publication.page_count or "?",
        }

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            services.publication_file_changed(publication=obj)
