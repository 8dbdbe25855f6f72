from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.validators import _check_name

# The largest spreadsheet or reference file (a 10,000-row file is about 1 MB).
MAX_SOURCE_MB = 20


def _checked(upload, *, limit_mb, suffixes):
    _check_name(upload)
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)d MB; split it into smaller files.")
            % {"limit": limit_mb}
        )
    if not upload.name.lower().endswith(suffixes):
        raise ValidationError(
            _("Upload a file ending in %(suffixes)s.") % {"suffixes": ", ".join(suffixes)}
        )
    return upload


class PeopleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV (comma, semicolon or tab separated; any encoding) or Excel .xlsx."),
    )

    def clean_file(self):
        return _checked(
            self.cleaned_data["file"],
            limit_mb=MAX_SOURCE_MB,
            suffixes=(".csv", ".txt", ".tsv", ".xlsx"),
        )


class PublicationsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("References"), help_text=_("BibTeX (.bib) or RIS (.ris) from a reference manager.")
    )
    pdfs = forms.FileField(
        label=_("PDF files (optional)"),
        required=False,
        help_text=_("A ZIP of PDFs named after the entries' keys (key.pdf) or their file fields."),
    )

    def clean_file(self):
        return _checked(
            self.cleaned_data["file"],
            limit_mb=MAX_SOURCE_MB,
            suffixes=(".bib", ".bibtex", ".ris", ".txt"),
        )

    def clean_pdfs(self):
        upload = self.cleaned_data.get("pdfs")
        if upload:
            _checked(upload, limit_mb=settings.MAX_DOCUMENT_UPLOAD_MB, suffixes=(".zip",))
        return upload
