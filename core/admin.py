"""Admin behaviour shared by every app's ModelAdmins (no model is registered here)."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from modeltranslation.admin import TranslationAdmin as BaseTranslationAdmin
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from core.models import Status
from core.services import publishable_set_status

# The base stylesheet the editor (tiptap, inside django-prose-editor 0.28.0) injects as a
# `<style>` element: allowed by its hash on the editor's pages only. If an upgrade
# changes it, the browser test of the admin editor reports the CSP violation and the
# new hash (tests/browser/test_story_pages_and_funders.py).
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class PublishingActionsMixin:
    """Bulk publish and unpublish, for every admin of publishable content."""

    actions = ["publish", "unpublish"]

    def _set_status(self, request, queryset, status, message):
        changed = publishable_set_status(queryset=queryset, status=status)
        opts = self.model._meta
        items = opts.verbose_name if changed == 1 else opts.verbose_name_plural
        self.message_user(request, message % {"count": changed, "items": items}, messages.SUCCESS)

    @admin.action(
        description=_("Publish the selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, _("%(count)d %(items)s published."))

    @admin.action(
        description=_("Unpublish the selected %(verbose_name_plural)s (back to draft)"),
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, _("%(count)d %(items)s unpublished."))


class ProseEditorCSPMixin:
    """Let the rich text editor run under the strict CSP, on its own pages only.

    django-prose-editor loads its code as ES modules from static files, but tells the
    browser where they are with an inline `<script type="importmap">`, which
    `script-src 'self'` blocks: the change form's media gets this request's CSP nonce
    (django-csp adds the nonce to the header only on pages that use it). The editor
    also injects one fixed stylesheet, allowed by its hash.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = {"style-src": [PROSE_EDITOR_STYLE_HASH]}
        return response


class TranslationAdmin(BaseTranslationAdmin):
    """An admin for content with French versions (each app's translation.py): every
    translated field shows as an English and a French field ("title [en]", "title
    [fr]"), side by side, without JavaScript. Leave the French one empty and readers of
    the French pages get the English text (README, "Giving content a French version")."""

    def get_search_fields(self, request):
        # The admin's search finds a record by its English or its French text, whatever
        # language the admin is in (a translated field's lookup would otherwise be
        # rewritten to the active language's column alone).
        options = translator.get_options_for_model(self.model)
        fields = []
        for name in super().get_search_fields(request):
            prefix = name[0] if name[0] in "^=@" else ""
            field, _sep, rest = name.removeprefix(prefix).partition("__")
            if field not in options.all_fields:
                fields.append(name)
                continue
            for code, _name in settings.LANGUAGES:
                localized = build_localized_fieldname(field, code)
                fields.append(f"{prefix}{localized}__{rest}" if rest else f"{prefix}{localized}")
        return fields

    def save_model(self, request, obj, form, change):
        # Django writes the original column from the active language's value: saved in
        # English, it keeps holding the English text whatever language the admin is in.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save_model(request, obj, form, change)
