"""Validators shared by every app: ORCID iDs and uploaded files checked by content."""

import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image

ORCID_PATTERN = "^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"

# Raster formats accepted for photos, logos and covers (by content, not by name).
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# An image whose decoded size exceeds this is refused (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
# Markup that has no business inside an image or a PDF: a file carrying it could be
# rendered as a page by a careless browser (a polyglot).
_MARKUP_SIGNATURES = (b"<script", b"<html", b"<svg", b"<!doctype html", b"<iframe", b"<body")


def orcid_checksum_ok(orcid):
    """ISO 7064 11,2 check digit, as ORCID specifies."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return digits[-1] == expected


def validate_orcid(value):
    if not re.fullmatch(ORCID_PATTERN, value or ""):
        raise ValidationError(
            _("Enter an ORCID iD as four groups of four characters, like 0000-0002-1825-0097."),
            code="orcid_format",
        )
    if not orcid_checksum_ok(value):
        raise ValidationError(
            _("This ORCID iD has a wrong check digit; please copy it again from orcid.org."),
            code="orcid_checksum",
        )


def _size_mb(upload):
    return upload.size / (1024 * 1024)


def _read_all(upload):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _refuse_markup(data, what):
    lowered = data.lower()
    if any(signature in lowered for signature in _MARKUP_SIGNATURES):
        raise ValidationError(
            _("This %(what)s contains web page code and was refused.") % {"what": what},
            code="polyglot",
        )


# Longest uploaded file name accepted, as the admin (FileField.max_length); the name is
# never used on disk (UploadPath).
MAX_UPLOAD_NAME_LENGTH = 100


def _check_name(upload):
    """Refuse file names carrying control characters (NUL, new lines) or absurd lengths.

    Path tricks (`../../x.png`, slashes) cannot reach the disk: Django keeps only the last
    part of an uploaded name and UploadPath stores the file under a random one.
    """
    name = str(getattr(upload, "name", "") or "")
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise ValidationError(
            _("The file name contains control characters; rename the file and try again."),
            code="bad_name",
        )
    if len(PurePosixPath(name.replace("\\", "/")).name) > MAX_UPLOAD_NAME_LENGTH:
        raise ValidationError(
            _("The file name is longer than %(limit)d characters; rename the file.")
            % {"limit": MAX_UPLOAD_NAME_LENGTH},
            code="bad_name",
        )


def _check_name_and_size(upload, *, limit, empty_message, too_large_message):
    """What every upload must pass first: a harmless name, not empty, not over `limit` MB."""
    _check_name(upload)
    if upload.size == 0:
        raise ValidationError(empty_message, code="empty")
    if _size_mb(upload) > limit:
        raise ValidationError(
            too_large_message % {"size": _size_mb(upload), "limit": limit}, code="too_large"
        )


def validate_image_upload(upload):
    """A photo, logo or cover: a real raster image of a known format, not too large."""
    if upload is None or not hasattr(upload, "size"):
        return
    _check_name_and_size(
        upload,
        limit=settings.MAX_IMAGE_UPLOAD_MB,
        empty_message=_("The image file is empty."),
        too_large_message=_("The image is %(size).1f MB; the largest accepted is %(limit)d MB."),
    )
    data = _read_all(upload)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except Exception as error:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF image."),
            code="not_image",
        ) from error
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Images must be JPEG, PNG, WebP or GIF; this one is %(format)s.")
            % {"format": image_format},
            code="image_format",
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("The image is %(width)d × %(height)d pixels, too large to process.")
            % {"width": width, "height": height},
            code="too_many_pixels",
        )
    _refuse_markup(data, _("image"))


def validate_pdf_upload(upload):
    """A document: a real PDF (by its content), not empty, not over the size limit."""
    if upload is None or not hasattr(upload, "size"):
        return
    _check_name_and_size(
        upload,
        limit=settings.MAX_DOCUMENT_UPLOAD_MB,
        empty_message=_("The file is empty."),
        too_large_message=_("The file is %(size).1f MB; the largest accepted is %(limit)d MB."),
    )
    data = _read_all(upload)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _("This file is not a PDF document (whatever its name says)."), code="not_pdf"
        )
    # Markup is looked for at both ends: a polyglot carries it first or appended.
    _refuse_markup(data[:65536] + b"\n" + data[-65536:], _("document"))
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is password-protected; upload an unprotected copy."),
                code="encrypted",
            )
        len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            _("This PDF is damaged and cannot be read."), code="damaged_pdf"
        ) from error
    finally:
        upload.seek(0)


def image_upload_help_text():
    """What validate_image_upload accepts, in the active language, with the current limit."""
    return gettext("JPEG, PNG, WebP or GIF, at most %(limit)d MB.") % {
        "limit": settings.MAX_IMAGE_UPLOAD_MB
    }


def pdf_upload_help_text():
    """What validate_pdf_upload accepts, in the active language, with the current limit."""
    return gettext("A PDF document without a password, at most %(limit)d MB.") % {
        "limit": settings.MAX_DOCUMENT_UPLOAD_MB
    }


# The help text of a file field, by the validator that checks it. Forms show it (see
# jli.forms.UploadCheckedModelForm), not the model fields: a help text on a model field is
# written into its migrations, so one that follows MAX_*_UPLOAD_MB would change the
# migration state with the settings.
UPLOAD_HELP_TEXTS = {
    validate_image_upload: image_upload_help_text,
    validate_pdf_upload: pdf_upload_help_text,
}


def upload_help_text(validators):
    """The help text for a file field checked by `validators` ("" when none is an upload's)."""
    return " ".join(UPLOAD_HELP_TEXTS[v]() for v in validators if v in UPLOAD_HELP_TEXTS)


@deconstructible
class UploadPath:
    """Store uploads under a random name: the uploaded name never reaches the disk."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        suffix = PurePosixPath(filename).suffix.lower()[:10]
        if not suffix.replace(".", "").isalnum():
            suffix = ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, UploadPath) and other.folder == self.folder
