from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ExportCsvMixin,
    PublishingActionsMixin,
    SortableInlineMixin,
    TranslationAdmin,
    WorkFormMixin,
)
from core.forms import UploadCheckedModelForm
from core.history_admin import HistoryAdminMixin
from groups.models import Group, Membership, Person, PersonLink, SecretariatBase


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    # People are many, so they are found by typing; groups are few, so a plain list.
    autocomplete_fields = ["person"]
    fields = ["person", "group", "role", "start_date", "end_date", "base", "display_order"]


class GroupMembershipInline(SortableInlineMixin, MembershipInline):
    verbose_name = _("member")
    verbose_name_plural = _(
        "members and their roles, in the order the group's page lists them within each "
        "role: drag a row, or use its arrows, to change it"
    )
    sortable_field = "display_order"
    fields = ["display_order", "person", "role", "start_date", "end_date", "base"]
    select_related = ["person", "group"]


class PersonLinkInline(admin.TabularInline):
    model = PersonLink
    extra = 0
    fields = ["label", "url", "display_order"]


class PersonMembershipInline(MembershipInline):
    verbose_name_plural = _("roles in groups")
    fields = ["group", "role", "start_date", "end_date", "base", "display_order"]


@admin.register(Person)
class PersonAdmin(HistoryAdminMixin, admin.ModelAdmin):
    # Refused uploads are written to the security log.
    form = UploadCheckedModelForm
    list_display = ["full_name", "affiliation", "country", "is_public", "updated_at"]
    list_filter = [
        "is_public",
        "memberships__role",
        "memberships__group",
        "country",
        "self_editing",
    ]
    search_fields = ["given_name", "family_name", "affiliation", "email"]
    prepopulated_fields = {"slug": ["given_name", "family_name"]}
    inlines = [PersonMembershipInline, PersonLinkInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["honorific", "given_name", "family_name", "slug"]}),
        (_("Work"), {"fields": ["affiliation", "position", "country"]}),
        (_("About"), {"fields": ["bio", "photo", "photo_alt", "website", "orcid"]}),
        (
            _("Contact and privacy"),
            {"fields": ["email", "email_visibility", "is_public", "allow_indexing", "user"]},
        ),
        (_("Member account"), {"fields": ["self_editing"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    raw_id_fields = ["user"]

    @admin.display(description=_("name"), ordering="family_name")
    def full_name(self, person):
        return person.display_name

    def get_queryset(self, request):
        # The role and group filters join memberships; keep one row per person.
        return super().get_queryset(request).distinct()


@admin.register(Group)
class GroupAdmin(
    HistoryAdminMixin, WorkFormMixin, PublishingActionsMixin, ExportCsvMixin, TranslationAdmin
):
    list_display = ["name", "kind", "theme", "status", "display_order", "member_count"]
    list_editable = ["display_order"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "theme", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [GroupMembershipInline]
    actions = [*PublishingActionsMixin.actions, "export_csv"]
    csv_fields = ["name", "kind", "theme", "active_from", "active_until", "status", "slug"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "theme", "description"]}),
        (
            _("Period, order and publishing"),
            {
                "fields": [
                    ("active_from", "active_until", "display_order"),
                    "status",
                    ("publish_at", "expire_at"),
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    help_texts = {
        "kind": _("The groups index lists groups under their kind."),
        "name": _("The group's heading, and its name wherever its members are listed."),
        "slug": _("The end of the page's address (/groups/<slug>/); changing it breaks old links."),
        "theme": _("Shown under the name on the groups index and the group's page."),
        "description": _("Shown on the group's page."),
        "display_order": _("Lower numbers come first among groups of the same kind."),
    }  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("roles"), ordering="_member_count")
    def member_count(self, group):
        return group._member_count


@admin.register(SecretariatBase)
class SecretariatBaseAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["institution", "city", "country", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["institution", "city"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["person", "role", "group", "start_date", "end_date", "base"]
    list_filter = ["role", "group__kind", "group", "base"]
    search_fields = ["person__given_name", "person__family_name", "group__name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "group", "base"]
