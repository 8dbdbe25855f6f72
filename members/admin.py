from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from groups.admin import PersonAdmin
from groups.models import Person
from members import services
from members.forms import ReviewForm
from members.models import Invitation, ProfileChange, ReviewStatus


class MemberAccountsPersonAdmin(PersonAdmin):
    """The directory's admin of people, with the action that invites them to make an
    account (member accounts are this app's; the people are the directory's)."""

    actions = [*PersonAdmin.actions, "invite"]

    @admin.action(
        description=_("Invite to make an account (e-mail a link)"), permissions=["change"]
    )
    def invite(self, request, queryset):
        invited = 0
        for person in queryset:
            try:
                services.person_invite(person=person, invited_by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                invited += 1
        if invited:
            self.message_user(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", invited)
                % {"count": invited},
                messages.SUCCESS,
            )


admin.site.unregister(Person)
admin.site.register(Person, MemberAccountsPersonAdmin)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """A record of invitations sent; they are made by the action on people, never by hand."""

    list_display = ["person", "email", "created_at", "expires_at", "accepted_at", "invited_by"]
    list_select_related = ["person", "invited_by"]
    search_fields = ["person__given_name", "person__family_name", "email"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _photo_url(value):
    """A photo's address through the view that checks who may see it (core/media.py)."""
    if isinstance(value.instance, ProfileChange):
        return reverse("members:profile_change_photo", args=[value.instance.pk])
    return reverse("groups:person_photo", args=[value.instance.slug])


def _show_value(value):
    """One value in the before/after table: a photo as an image, links as a list."""
    if isinstance(value, FieldFile):
        if not value:
            return "—"
        return format_html('<img src="{}" alt="{}" width="120">', _photo_url(value), _("Photo"))
    if isinstance(value, list):
        if not value:
            return "—"
        items = format_html_join("", "<li>{}: {}</li>", ((v["label"], v["url"]) for v in value))
        return format_html("<ul>{}</ul>", items)
    if value in ("", None):
        return "—"
    return format_html('<span class="profile-change__text">{}</span>', value)


@admin.register(ProfileChange)
class ProfileChangeAdmin(admin.ModelAdmin):
    """The secretariat's review queue: each change with a before/after table per field."""

    list_display = ["person", "status", "submitted_at", "submitted_by", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["person", "submitted_by", "reviewed_by"]
    search_fields = ["person__given_name", "person__family_name"]
    actions = ["approve", "decline"]
    change_form_template = "admin/members/profilechange/change_form.html"
    fields = ["person", "status", "submitted_by", "submitted_at", "comparison"]
    fields += ["reviewed_by", "reviewed_at", "review_message"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request, obj=None):
        return request.user.has_perm("members.review_profilechange")

    @admin.display(description=_("changes (published → proposed)"))
    def comparison(self, change):
        rows = change.differences()
        if not rows:
            return _("The proposed profile is the same as the published one.")
        body = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            ((label, _show_value(before), _show_value(after)) for label, before, after in rows),
        )
        return format_html(
            '<table class="profile-change"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Field"),
            _("Published now"),
            _("Proposed"),
            body,
        )

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("<int:pk>/review/", review, name="members_profilechange_review"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "review_form": ReviewForm(),
            "can_review": self.has_review_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def review_view(self, request, pk):
        """Approve or decline one change, with an optional message to the member (POST)."""
        if not self.has_review_permission(request):
            raise PermissionDenied
        change = get_object_or_404(ProfileChange.objects.select_related("person"), pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("The decision was not understood."), messages.ERROR)
            return redirect(reverse("admin:members_profilechange_change", args=[pk]))
        service = {
            "approve": services.profile_change_approve,
            "decline": services.profile_change_decline,
        }[form.cleaned_data["decision"]]
        try:
            service(change=change, reviewer=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(reverse("admin:members_profilechange_change", args=[pk]))
        done = {
            "approve": _("The changes to %(person)s's profile are published."),
            "decline": _("The changes to %(person)s's profile were declined."),
        }[form.cleaned_data["decision"]]
        self.message_user(request, done % {"person": change.person}, messages.SUCCESS)
        return redirect(reverse("admin:members_profilechange_changelist"))

    @admin.action(description=_("Approve the selected changes"), permissions=["review"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.profile_change_approve)

    @admin.action(description=_("Decline the selected changes"), permissions=["review"])
    def decline(self, request, queryset):
        self._decide(request, queryset, services.profile_change_decline)

    def _decide(self, request, queryset, service):
        done = 0
        for change in queryset.filter(status=ReviewStatus.PENDING):
            try:
                service(change=change, reviewer=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{change.person}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d change reviewed.", "%(count)d changes reviewed.", done)
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )
