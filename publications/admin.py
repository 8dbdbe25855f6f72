from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Length
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import (
    ExportCsvMixin,
    PublishingActionsMixin,
    SortableInlineMixin,
    TranslationAdmin,
    WorkFormMixin,
    assign_action,
)
from core.history_admin import HistoryAdminMixin
from funders.admin import FundedByForm, SupportedInline, register_supported_inline
from groups.models import Group
from publications import services
from publications.models import Authorship, Publication, PublicationFunder, TextStatus, Topic

# What the change form says about the PDF's text, by its status ("extracted" says more).
TEXT_STATUS_EXPLAINED = {
    TextStatus.NONE: _("No PDF: there is no text to read."),
    TextStatus.PENDING: _(
        "Waiting for the background worker to read the PDF's text; "
        "search finds the publication by its contents once it has."
    ),
    TextStatus.NO_TEXT: _(
        "No searchable text: this PDF has no text layer (a scan?). Search finds the "
        "publication by its title and details only; upload a PDF with a text layer "
        "(run text recognition, OCR, on the scan) to make its contents searchable."
    ),
    TextStatus.FAILED: _(
        "Text extraction failed: the PDF could not be read (damaged, or too slow to read). "
        "Choose “Extract text again” in the list of publications, or upload the PDF again."
    ),
}


class AuthorshipInline(SortableInlineMixin, admin.TabularInline):
    model = Authorship
    extra = 0
    # People are many, so they are found by typing.
    autocomplete_fields = ["person"]
    fields = ["position", "person", "name", "is_organisation"]
    select_related = ["person"]
    verbose_name_plural = _(
        "authors, in the order of the page and citations: drag a row or use its arrows"
    )


class FunderPublicationInline(SupportedInline):
    """The publications a funder supported, added, removed and ordered from the
    funder's page."""

    model = PublicationFunder
    supported = "publication"
    # The row names its funder and publication (its `__str__`, in the row's heading).
    select_related = ["publication", "funder"]
    verbose_name = _("publication it supported")
    verbose_name_plural = _(
        "publications it supported, in the order the funder's page lists them: drag a "
        "row, or use its arrows, to change it (each publication's page credits the funder)"
    )


class PublicationForm(FundedByForm):
    funded_by_help = _("Credited on the publication's page and listed on each funder's page.")


register_supported_inline(FunderPublicationInline)


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
class TopicAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Publication)
class PublicationAdmin(
    HistoryAdminMixin, WorkFormMixin, PublishingActionsMixin, ExportCsvMixin, TranslationAdmin
):
    # Refused uploads are written to the security log; funders are ticked (funded_by).
    form = PublicationForm
    list_display = [
        "title",
        "kind",
        "date_display",
        "status",
        "group_names",
        "is_featured",
        "text_status",
    ]
    list_filter = [
        "kind",
        "status",
        PublicationYearFilter,
        "groups",
        "topics",
        "is_featured",
        "text_status",
    ]
    actions = [
        *PublishingActionsMixin.actions,
        assign_action(
            "groups", description=_("Add the selected %(verbose_name_plural)s to a group")
        ),
        assign_action(
            "topics", description=_("Add a topic to the selected %(verbose_name_plural)s")
        ),
        "export_csv",
        "extract_text_again",
    ]
    csv_fields = [
        "title", "subtitle", "kind", "date_display", "author_names", "status", "language",
        "publisher", "series", "number", "doi", "isbn", "groups", "topics", "slug",
    ]  # fmt: skip
    csv_prefetch = ["authorships__person", "topics"]
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
    # Groups, topics and funders are few: ticked in columns (people, who are many, are
    # found by typing in the authors' inline).
    checkbox_fields = ["groups", "topics"]
    readonly_fields = ["file_details", "text_details", "created_at", "updated_at"]
    # What an editor fills first leads (kind, title, then the authors' inline, then
    # date, PDF and abstract); the rarely changed details are folded away.
    fieldsets = [
        (None, {"fields": [("kind", "title"), ("subtitle", "slug")]}),
        (
            _("Date, file and abstract"),
            {
                "fields": [
                    ("published_on", "date_precision"),
                    ("file", "file_details"),
                    "text_details",
                    "abstract",
                ]
            },
        ),
        # Side by side: each list a column of its own.
        (
            _("Where it belongs"),
            {"fields": [("groups", "topics", "funded_by")], "classes": ["side-by-side"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [("status", "is_featured", "publish_at", "expire_at")],
                "classes": ["side-by-side"],
            },
        ),
        (
            _("More text, bibliographic details, cover and record dates"),
            {
                "fields": [
                    "summary",
                    "body",
                    ("language", "licence"),
                    ("publisher", "place"),
                    ("series", "number"),
                    ("doi", "isbn"),
                    "external_url",
                    ("cover", "cover_alt"),
                    ("created_at", "updated_at"),
                ],
                "classes": ["collapse"],
            },
        ),
    ]
    # Text boxes of three lines that grow with their text (static/css/admin-forms.css),
    # so a typical abstract shows whole without a tall empty box.
    formfield_overrides = {
        models.TextField: {
            "widget": AdminTextareaWidget(attrs={"rows": 3, "class": "vLargeTextField grows"})
        }
    }
    help_texts = {
        "kind": _("Shown above the title, and used by the kind filter of the publications list."),
        "title": _("The page's heading, and the title in citations, feeds and search results."),
        "subtitle": _("Shown under the title and in citations."),
        "slug": _(
            "The end of the page's address (/publications/<slug>/); changing it breaks "
            "old links."
        ),
        "abstract": _("Shown on the publication's page and in search results."),
        "summary": _("A plain-language summary shown on the page above the abstract."),
        "body": _("Longer text shown on the page below the abstract."),
        "file": _("The PDF visitors download; search reads its text."),
        "groups": _("The publication is listed on these groups' pages and by the group filter."),
        "topics": _("Used by the topic filter of the publications list."),
        "is_featured": _("The newest featured publication is shown on the home page."),
        "language": _("The language of the text, shown on the page and in citations."),
        "cover": _("Shown on the publication's page and in lists."),
    }  # fmt: skip

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
            # The PDF's text may run to megabytes: the change form asks only for its length.
            .without_text()
        )

    @admin.display(description=_("date"), ordering="published_on")
    def date_display(self, publication):
        return publication.date_display

    @admin.display(description=_("authors"))
    def author_names(self, publication):
        return "; ".join(author.display_name for author in publication.authorships.all())

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

    @admin.display(description=_("searchable text"))
    def text_details(self, publication):
        if publication.text_status == TextStatus.EXTRACTED:
            # Counted by the database: the text itself (deferred) may run to megabytes.
            length = (
                Publication.objects.filter(pk=publication.pk)
                .values_list(Length("text"), flat=True)
                .first()
            )
            return _("%(count)s characters of text read from the PDF: search finds them.") % {
                "count": formats.number_format(length or 0, force_grouping=True)
            }
        return TEXT_STATUS_EXPLAINED.get(publication.text_status, "")

    @admin.action(description=_("Extract text again"), permissions=["change"])
    def extract_text_again(self, request, queryset):
        count = services.publications_text_extract_again(queryset=queryset)
        if not count:
            self.message_user(
                request, _("None of the selected publications has a PDF."), messages.WARNING
            )
            return
        self.message_user(
            request,
            ngettext(
                "The text of %(count)d PDF will be read again by the background worker.",
                "The texts of %(count)d PDFs will be read again by the background worker.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            services.publication_file_changed(publication=obj)
