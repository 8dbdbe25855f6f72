from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from core.admin import TranslationAdmin
from core.forms import UploadCheckedModelForm
from funders.models import Funder, Tier

# Tiers in the order the acknowledgements page shows them, not alphabetically.
TIER_RANK = Case(
    *[When(tier=tier, then=Value(rank)) for rank, tier in enumerate(Tier.values)],
    default=Value(len(Tier.values)),
    output_field=IntegerField(),
)


@admin.register(Funder)
class FunderAdmin(TranslationAdmin):
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
