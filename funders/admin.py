from django import forms
from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ExportCsvMixin,
    SortableInlineMixin,
    TranslationAdmin,
    WorkFormMixin,
)
from core.forms import UploadCheckedModelForm
from core.history_admin import HistoryAdminMixin
from funders.models import Funder, Tier

# Tiers in the order the acknowledgements page shows them, not alphabetically.
TIER_RANK = Case(
    *[When(tier=tier, then=Value(rank)) for rank, tier in enumerate(Tier.values)],
    default=Value(len(Tier.values)),
    output_field=IntegerField(),
)


# What a funder supported, edited from the funder's own page: inlines over the
# publications' and events' funders relations. The apps above register them
# (register_supported_inline), since funders names no app above it.
SUPPORTED_INLINES = []


class SupportedInline(SortableInlineMixin, admin.TabularInline):
    """What a funder supported through `model` (a funders relation's through model,
    funders.models.Support), added, removed and put in order from the funder's page as
    a publication's authors are (drag, arrows, or a position list without JavaScript):
    one row per `supported` record (the relation's other side), found by typing since
    they are many."""

    extra = 0
    supported = ""

    def get_autocomplete_fields(self, request):
        return [self.supported]

    def get_fields(self, request, obj=None):
        return ["position", self.supported]


class FundedByForm(UploadCheckedModelForm):
    """The admin form of a record whose `funders` run through a Support model, which
    the admin gives no field of its own: the funders as ticked boxes (`funded_by`),
    saved through the relation, so a funder ticked here goes to the end of that
    funder's order (funders.models.to_the_end)."""

    funded_by = forms.ModelMultipleChoiceField(
        label=_("Funders"),
        queryset=Funder.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
    )

    # What ticking a funder changes on the site, said under the boxes.
    funded_by_help = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "funded_by" in self.fields:
            self.fields["funded_by"].help_text = self.funded_by_help
        if self.instance.pk and "funded_by" in self.fields:
            self.initial.setdefault(
                "funded_by", [funder.pk for funder in self.instance.funders.all()]
            )

    def _save_m2m(self):
        super()._save_m2m()
        if "funded_by" in self.cleaned_data:
            self.instance.funders.set(self.cleaned_data["funded_by"])


def register_supported_inline(inline):
    SUPPORTED_INLINES.append(inline)


@admin.register(Funder)
class FunderAdmin(HistoryAdminMixin, WorkFormMixin, ExportCsvMixin, TranslationAdmin):
    # Refused uploads are written to the security log.
    form = UploadCheckedModelForm
    list_display = [
        "name",
        "acronym",
        "tier",
        "display_order",
        "support_kind",
        "organisation_kind",
        "country",
        "is_public",
    ]
    list_display_links = ["name"]
    # The secretariat orders the acknowledgements within each tier from the list.
    list_editable = ["display_order"]
    list_filter = ["tier", "support_kind", "organisation_kind", "is_public", "country"]
    # Also what other apps' autocomplete fields (publications, events) search.
    search_fields = ["name", "acronym", "acknowledgement"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = SUPPORTED_INLINES
    actions = ["export_csv"]
    csv_fields = [
        "name",
        "acronym",
        "tier",
        "display_order",
        "support_kind",
        "country",
        "is_public",
    ]
    # The funder's own details first, then what it supported.
    fieldsets_before_inlines = 3
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "organisation_kind", "country", "website"]}),
        (
            _("Acknowledgement"),
            {"fields": ["tier", "support_kind", "acknowledgement", "display_order", "is_public"]},
        ),
        (_("Logo"), {"fields": ["logo"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_ordering(self, request):
        return [TIER_RANK.asc(), "display_order", "name"]
