"""Admin behaviour shared by every app's ModelAdmins (no model is registered here)."""

import csv
import functools

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import model_format_dict
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from modeltranslation.admin import TranslationAdmin as BaseTranslationAdmin
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from core.models import Status
from core.services import m2m_add_each, publishable_set_status
from core.spreadsheets import safe_cell

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


# --- Forms shaped like the work ------------------------------------------------------


class WorkFormMixin:
    """A change form that puts the inlines right after the first fieldsets.

    Django puts every inline at the foot of the form; the secretariat fills a
    publication's authors just after its kind and title, so the template
    (templates/admin/secretariat/change_form.html) renders `fieldsets_before_inlines` fieldsets,
    then the inlines, then the rest.
    """

    # Not under admin/<app label>/: Django would use it for every model of that app.
    change_form_template = "admin/secretariat/change_form.html"
    fieldsets_before_inlines = 1
    # What each field changes on the site, said where the editor fills it in.
    help_texts = {}
    # Many-to-many fields with few choices (groups, topics, funders): ticked in columns
    # rather than picked from two tall lists.
    checkbox_fields = []

    class Media:
        css = {"all": ["css/admin-forms.css"]}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.checkbox_fields:
            kwargs["widget"] = forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A French version's field (title_fr, modeltranslation) says what its field says.
        name = getattr(db_field, "translated_field", db_field).name
        if formfield is not None and name in self.help_texts:
            formfield.help_text = self.help_texts[name]
        if formfield is not None and db_field.name in self.checkbox_fields:
            # A few choices ticked in place: adding a new group is done on its own page.
            formfield.widget.can_add_related = False
        return formfield

    def render_change_form(self, request, context, *args, **kwargs):
        context["fieldsets_before_inlines"] = self.fieldsets_before_inlines
        return super().render_change_form(request, context, *args, **kwargs)


class SharedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete choice, whose chosen option's label comes from labels read
    once for all the rows of an inline (`shared_labels`), not from a query per row."""

    shared_labels = None

    def optgroups(self, name, value, attr=None):
        if self.shared_labels is None:
            return super().optgroups(name, value, attr)
        labels = self.shared_labels()
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for chosen in value:
            if str(chosen) in labels:
                options.append(
                    self.create_option(name, chosen, labels[str(chosen)], True, len(options))
                )
        return [(None, options, 0)]


class ConstantQueriesFormSet(forms.BaseInlineFormSet):
    """An inline's rows render in the same number of queries however many there are:
    the choices of a plain list are read once for all rows, and the chosen labels of
    autocomplete fields once for all rows (Django reads both once per row)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            # The row's own id (a hidden choice among the rows) renders no list.
            if not isinstance(field, forms.ModelChoiceField) or field.widget.is_hidden:
                continue
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, SharedAutocompleteSelect):
                widget.shared_labels = functools.partial(self._chosen_labels, name)
            elif not isinstance(field, forms.ModelMultipleChoiceField):
                if name not in shared:
                    shared[name] = list(field.choices)
                field.choices = widget.choices = shared[name]

    def _chosen_labels(self, name):
        labels = self.__dict__.setdefault("_labels_by_field", {})
        if name not in labels:
            field = self.form.base_fields[name]
            chosen = {str(form[name].value()) for form in self.forms} - {"", "None"}
            labels[name] = {
                str(obj.pk): field.label_from_instance(obj)
                for obj in field.queryset.filter(pk__in=chosen)
            }
        return labels[name]


class ConstantQueriesInlineMixin:
    """An inline rendered in a fixed number of queries (ConstantQueriesFormSet), its
    rows read with `select_related`."""

    formset = ConstantQueriesFormSet
    select_related = []

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SharedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Positions offered beyond the rows shown, for rows added with "Add another".
SPARE_POSITIONS = 10


class PositionSelect(forms.Select):
    """A row's position as a choice (1st, 2nd ...): without JavaScript the editor picks
    where the row goes; with it (static/js/admin-sortable.js) the list hides and the
    row gets a drag handle and "Move up" / "Move down" buttons, which renumber the
    lists. The translated words reach the script through data attributes."""

    def __init__(self):
        super().__init__(
            attrs={
                "class": "js-sortable-position",
                "aria-label": _("Position"),
                "data-move-up": _("Move up"),
                "data-move-down": _("Move down"),
                "data-drag": _("Drag to reorder"),
                "data-moved": _("Moved to position %(position)s of %(count)s."),
            }
        )


class SortableRowForm(forms.ModelForm):
    """A row whose position alone changed is not "changed": a row added and left empty
    stays ignored even after the script renumbered it (the formset saves moves)."""

    sortable_field = "position"

    def has_changed(self):
        return any(name != self.sortable_field for name in self.changed_data)


class SortableInlineFormSet(ConstantQueriesFormSet):
    """Rows ordered by a position field, saved as 1, 2, 3 ... whatever was stored.

    Each row shows its rank in the list (not the stored number, which may have gaps).
    On save the rows are ranked by the position chosen; when two rows claim the same
    one (no JavaScript: the editor moved one row), the row the editor moved goes first.
    """

    sortable_field = "position"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields[self.sortable_field]
        slots = self.total_form_count() + SPARE_POSITIONS
        field.widget.choices = [(n, n) for n in range(1, slots + 1)]
        field.label = _("Position")
        form.sortable_field = self.sortable_field
        form.stored_position = getattr(form.instance, self.sortable_field)
        if index is not None:
            form.initial[self.sortable_field] = index + 1

    def _kept_forms(self):
        return [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk is not None or form.has_changed())
        ]

    def _rank(self):
        def key(item):
            index, form = item
            chosen = form.cleaned_data.get(self.sortable_field) or index + 1
            moved = form[self.sortable_field].data != str(form.initial[self.sortable_field])
            return (chosen, not moved, index)

        ranked = sorted(enumerate(self._kept_forms()), key=key)
        for rank, (_index, form) in enumerate(ranked, start=1):
            setattr(form.instance, self.sortable_field, rank)
        return [form for _index, form in ranked]

    def save(self, commit=True):
        ranked = self._rank()
        saved = super().save(commit=commit)
        if commit:
            # Rows whose only change is their place: saved one by one (never an UPDATE
            # of many), so that each save is seen (history, citations, caches).
            for form in ranked:
                moved = getattr(form.instance, self.sortable_field) != form.stored_position
                if form.instance.pk is not None and not form.has_changed() and moved:
                    form.instance.save(update_fields=[self.sortable_field])
        return saved


class SortableInlineMixin(ConstantQueriesInlineMixin):
    """An inline whose rows are put in order by dragging them or with buttons (and a
    position list without JavaScript): no order numbers to type."""

    sortable_field = "position"
    form = SortableRowForm
    formset = SortableInlineFormSet

    class Media:
        js = ["js/admin-sortable.js"]
        css = {"all": ["css/admin-forms.css"]}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.sortable_field = self.sortable_field
        formset.form.sortable_field = self.sortable_field
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == self.sortable_field:
            kwargs["widget"] = PositionSelect()
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield.widget, "can_change_related"):
            # One line per row: the person's own page is a link away (the row's name),
            # so no change, delete or view icons beside each choice.
            formfield.widget.can_change_related = False
            formfield.widget.can_delete_related = False
            formfield.widget.can_view_related = False
        return formfield


# --- Bulk work -------------------------------------------------------------------------


def csv_safe(value):
    """The cell as text that no spreadsheet runs as a formula (core.spreadsheets)."""
    return safe_cell("" if value is None else str(value))


class ExportCsvMixin:
    """An admin action exporting the selected records as CSV (`csv_fields`: field names
    or names of the admin's own display methods)."""

    csv_fields = []
    # Relations the columns read, fetched once for all the rows.
    csv_prefetch = []

    def _csv_header_and_value(self, name):
        if hasattr(self, name):
            method = getattr(self, name)
            return str(getattr(method, "short_description", name)), method
        field = self.model._meta.get_field(name)
        if field.many_to_many:
            return str(field.verbose_name), lambda obj: ", ".join(
                str(item) for item in getattr(obj, name).all()
            )
        if field.choices:
            return str(field.verbose_name), lambda obj: getattr(obj, f"get_{name}_display")()
        return str(field.verbose_name), lambda obj: getattr(obj, name)

    @admin.action(
        description=_("Export the selected %(verbose_name_plural)s (CSV)"), permissions=["change"]
    )
    def export_csv(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        columns = [self._csv_header_and_value(name) for name in self.csv_fields]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{self.model._meta.model_name}s.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        writer.writerow([header for header, _value in columns])
        for obj in queryset.prefetch_related(*self.csv_prefetch).order_by("pk"):
            writer.writerow([csv_safe(value(obj)) for _header, value in columns])
        return response


class AssignForm(forms.Form):
    choice = forms.ModelChoiceField(queryset=None, empty_label=None, widget=forms.RadioSelect)

    def __init__(self, *args, queryset, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].queryset = queryset
        self.fields["choice"].label = label


def assign_action(field_name, *, description):
    """An admin action adding one chosen record (a group, a topic) to the many-to-many
    field `field_name` of each selected record, after a page where the editor picks it.

    Each record is saved after the change (services.m2m_add_each), so its history
    shows who assigned what.
    """

    def action(modeladmin, request, queryset):
        if not modeladmin.has_change_permission(request):
            raise PermissionDenied
        field = modeladmin.model._meta.get_field(field_name)
        choices = field.related_model._default_manager.order_by(
            *field.related_model._meta.ordering or ["pk"]
        )
        label = capfirst(field.verbose_name)
        form = AssignForm(
            request.POST if "apply" in request.POST else None, queryset=choices, label=label
        )
        if form.is_valid():
            count = m2m_add_each(
                queryset=queryset, field=field_name, value=form.cleaned_data["choice"]
            )
            modeladmin.message_user(
                request,
                _("%(choice)s added to %(count)d %(items)s.")
                % {
                    "choice": form.cleaned_data["choice"],
                    "count": count,
                    "items": modeladmin.model._meta.verbose_name_plural,
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description % model_format_dict(modeladmin.model._meta),
            "opts": modeladmin.model._meta,
            "form": form,
            "queryset": queryset,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/secretariat/assign.html", context)

    action.__name__ = f"assign_{field_name}"
    return admin.action(description=description, permissions=["change"])(action)


# --- Clear words in the sidebar -------------------------------------------------------

# The names the secretariat reads in the admin's index and sidebar, where Django's own
# would be ambiguous: Django's permission groups beside the JLI's working groups.
SIDEBAR_NAMES = {
    "auth": _("Accounts and permissions"),
    "auth.group": _("Permission groups"),
}


class SecretariatAdminSite(admin.AdminSite):
    site_header = _("JLI secretariat")
    site_title = _("JLI secretariat")
    index_title = _("Curate the site")

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = SIDEBAR_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                label = model["model"]._meta.label_lower
                model["name"] = SIDEBAR_NAMES.get(label, model["name"])
        return app_list


class TranslationAdmin(BaseTranslationAdmin):
    """An admin for content with French versions (each app's translation.py): each
    translated field shows as its English field where the form has it ("Title") and its
    French one ("Title (French)") in a folded *French version* section at the end of the
    form, so the form stays as short as the work (no JavaScript: `<details>`). Leave a
    French field empty and readers of the French pages get the English text (README,
    "Giving content a French version")."""

    def _other_language_fields(self):
        options = translator.get_options_for_model(self.model)
        default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        return {
            build_localized_fieldname(field, code)
            for field in options.all_fields
            for code, _name in settings.LANGUAGES
            if code != default
        }

    def _declared_fieldsets(self):
        """The declared fieldsets with each translated field as its English one, rows
        kept on one line (modeltranslation's own puts each field of a row on its own
        line once it has added the languages)."""
        translated = translator.get_options_for_model(self.model).all_fields
        default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

        def localized(name):
            return build_localized_fieldname(name, default) if name in translated else name

        def row(item):
            if isinstance(item, list | tuple):
                return tuple(localized(name) for name in item)
            return localized(item)

        fieldsets = [
            (name, {**opts, "fields": [row(item) for item in opts["fields"]]})
            for name, opts in self.fieldsets
        ]
        # The other languages' fields, in the order their fields come, for the end.
        others = [
            build_localized_fieldname(name, code)
            for _name, opts in self.fieldsets
            for item in opts["fields"]
            for name in (item if isinstance(item, list | tuple) else [item])
            if name in translated
            for code, _language in settings.LANGUAGES
            if code != default
        ]
        return fieldsets, others

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            fieldsets, others = self._declared_fieldsets()
            french = [name for name in others if name in self._other_language_fields()]
            if not french:
                return fieldsets
            return [*fieldsets, (_("French version"), self._french_fieldset(french))]
        fieldsets = super().get_fieldsets(request, obj)
        others = self._other_language_fields()
        moved = []

        def keep(items):
            kept = []
            for item in items:
                if isinstance(item, list | tuple):
                    row = [name for name in item if name not in others]
                    moved.extend(name for name in item if name in others)
                    if row:
                        kept.append(tuple(row))
                elif item in others:
                    moved.append(item)
                else:
                    kept.append(item)
            return kept

        trimmed = [(name, {**opts, "fields": keep(opts["fields"])}) for name, opts in fieldsets]
        trimmed = [fieldset for fieldset in trimmed if fieldset[1]["fields"]]
        if not moved:
            return trimmed
        return [*trimmed, (_("French version"), self._french_fieldset(moved))]

    def _french_fieldset(self, fields):
        return {
            "classes": ["collapse"],
            "fields": fields,
            "description": _(
                "What readers of the French pages see instead of the English text. "
                "Leave a field empty and they see the English one."
            ),
        }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if formfield is not None and original is not None:
            label = capfirst(original.verbose_name)
            if db_field.language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
                language = translation.get_language_info(db_field.language)["name_translated"]
                label = _("%(field)s (%(language)s)") % {"field": label, "language": language}
            formfield.label = label
        return formfield

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
