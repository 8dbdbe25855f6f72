"""Form behaviour shared by every app."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from core.cache import cached_value
from core.security import log_event
from core.validators import upload_help_text


class UploadRejectionLogMixin:
    """Write every refused upload to the security log: the field and why, never the file.

    Mixed into every form that accepts a file (the profile form and the admin's forms of
    people, publications and funders), so that refusals by Django's own image check
    (SVG, not an image, decompression bomb) are logged as well as those of
    core.validators.
    """

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        errors = self._errors.as_data()
        for name, field in self.fields.items():
            if not isinstance(field, forms.FileField) or name not in errors:
                continue
            if not self.files.get(self.add_prefix(name)):
                continue
            reasons = sorted({error.code or "invalid" for error in errors[name]})
            field_label = f"{self._meta_label()}.{name}"
            log_event("upload_rejected", field=field_label, reason=",".join(reasons))

    def _meta_label(self):
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None)
        return model._meta.label_lower if model is not None else type(self).__name__


class UploadCheckedModelForm(UploadRejectionLogMixin, forms.ModelForm):
    """The admin's form for models with uploads (ModelAdmin.form).

    Each file field says what its validator accepts: the formats, and the size limit as
    the settings set it when the form is made (core.validators.upload_help_text).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.FileField):
                continue
            model_field = self._meta.model._meta.get_field(name)
            text = upload_help_text(model_field.validators)
            if text:
                field.help_text = f"{text} {field.help_text}".strip()


def counted(label, count):
    """A filter option's label with how many results it gives: "Report (1,234)".

    The count is written with the reader's thousands separator ("1 234" in French).
    """
    return gettext("%(label)s (%(count)s)") % {
        "label": label,
        "count": number_format(count, force_grouping=True),
    }


def counted_choices(choices, counts, *, blank):
    """`choices` (value, label) with their `counts` (value -> number, absent is 0),
    after a `blank` choice ("Any kind")."""
    return [("", blank)] + [
        (value, counted(label, counts.get(value, 0))) for value, label in choices
    ]


class MenuSelect(forms.Select):
    """A select menu whose HTML each worker renders once per choices and selection.

    Django renders a menu through a template, one include per option: the events list's
    country and year menus cost more than the rest of the page. The HTML depends on
    nothing but the name, the attributes, the choices (their values and labels, read
    from the database on every request), the selected value and the language, so it
    is kept under exactly those, for the last MENU_CACHE_SIZE menus.
    """

    # Set by ListFilterForm: names the menu for the cache of a model field's choices.
    cache_key = None

    def _read_choices(self):
        """The choices as a list, read once (a model field's are a query), for
        has_options and render. A model field's (the groups, the topics) are kept by
        core.cache.cached_value until content changes: the same for every request."""
        choices = self.choices
        if isinstance(choices, list):
            return
        if isinstance(choices, ModelChoiceIterator) and self.cache_key:

            def read():
                # iter(): no COUNT query for its length.
                return [(str(value), str(label)) for value, label in iter(choices)]

            self.choices = cached_value(f"menu:{self.cache_key}", read)
        else:
            self.choices = list(iter(choices))

    @property
    def has_options(self):
        """Whether the menu offers anything besides its blank choice ("Any topic"): a
        filter with nothing to choose is not shown. Reads the choices once, for render too."""
        self._read_choices()
        return any(str(value) != "" for value, _label in self.choices)

    def render(self, name, value, attrs=None, renderer=None):
        self._read_choices()
        key = (
            name,
            str(value),
            tuple(sorted({**self.attrs, **(attrs or {})}.items())),
            tuple((str(key), str(label)) for key, label in self.choices),
            translation.get_language(),
        )
        html = _MENUS.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(_MENUS) >= MENU_CACHE_SIZE:
                _MENUS.pop(next(iter(_MENUS)))
            _MENUS[key] = html
        return html


MENU_CACHE_SIZE = 512
_MENUS = {}


class ListFilterForm(forms.Form):
    """The filters of a public list: its select menus are MenuSelects."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field.widget) is forms.Select:
                widget = MenuSelect(attrs=field.widget.attrs, choices=field.widget.choices)
                widget.is_required = field.widget.is_required
                widget.cache_key = f"{type(self).__module__}.{type(self).__qualname__}.{name}"
                field.widget = widget
