"""Form behaviour shared by every app."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext

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
