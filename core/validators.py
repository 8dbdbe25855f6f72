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
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# An image whose decoded size exceeds this is refused (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
# Markup that has no business inside an image or a PDF: a file carrying it could be
# rendered as a page by a careless browser (a polyglot). Looked for over the whole file:
# each is long enough that compressed data holds one by chance about once in a
# thousand 40 MB files (5 bytes, any case), which the error message then explains.
_MARKUP_SIGNATURES = (b"<script", b"<html", b"<svg", b"<!doctype html", b"<iframe", b"<body")
# In an image's text metadata (JPEG comment and APP segments, PNG text chunks, GIF
# comments, WebP EXIF/XMP), where no chance byte patterns occur, a wider net: any tag
# that runs script or loads something. XMP (`<x:xmpmeta>`, `<rdf:...>`) stays allowed.
_METADATA_MARKUP_SIGNATURES = (
    *_MARKUP_SIGNATURES,
    b"<img", b"<object", b"<embed", b"<meta", b"<style", b"<form", b"<link", b"<base",
    b"<math", b"<a ", b"<a\t", b"javascript:", b"onerror=", b"onload=",
)  # fmt: skip
# The stored file's suffix, from what the content is (never the uploaded name's).
SUFFIX_BY_FORMAT = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif", "PDF": ".pdf"}


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


def _refuse_markup(data, what, signatures=_MARKUP_SIGNATURES):
    lowered = data.lower()
    if any(signature in lowered for signature in signatures):
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
            metadata = _image_metadata(image)
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
    _refuse_markup(metadata, _("image"), _METADATA_MARKUP_SIGNATURES)
    _name_by_content(upload, image_format)


def _image_metadata(image):
    """The text an image carries beside its pixels, as bytes: comments, EXIF, XMP, the
    raw APPn segments of a JPEG, the text chunks of a PNG."""
    parts = []
    for value in image.info.values():
        if isinstance(value, bytes):
            parts.append(value)
        elif isinstance(value, str):
            parts.append(value.encode("utf-8", "replace"))
    parts.extend(segment for _marker, segment in getattr(image, "applist", []))
    return b"\n".join(parts)


def _name_by_content(upload, file_format):
    """Name the upload by what it is: the stored file's suffix comes from its content
    (UploadPath keeps only the suffix), so `page.html` holding a PDF is stored as .pdf."""
    if getattr(upload, "_committed", False):
        return  # a file stored earlier, checked again: its name is already the right one
    upload.name = "upload" + SUFFIX_BY_FORMAT[file_format]


# Names that make a PDF do something when it is opened or clicked: run JavaScript,
# launch a program, carry another file, submit or fetch data, play rich media, or an
# XFA form (a script host of its own). /AA ("additional actions") are actions tied to
# opening a page or focusing a field.
_PDF_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
        "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/XFA", "/AA",
    }
)  # fmt: skip
# Objects walked at most: a PDF with more is refused as too complex to check.
_PDF_MAX_OBJECTS = 500_000


def _pdf_names(value, depth=0):
    """The names (dictionary keys and name values) of a direct PDF object, nested ones
    included; indirect references are walked on their own by `_pdf_active_content`."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    if depth > 32:
        return
    if isinstance(value, DictionaryObject):
        for key, item in value.items():
            yield str(key)
            yield from _pdf_names(item, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            yield from _pdf_names(item, depth + 1)
    elif isinstance(value, NameObject):
        yield str(value)


def _pdf_active_content(reader):
    """The first active-content name found in any object of the PDF (those packed in
    object streams included), else None. An /OpenAction is refused unless it only
    opens at a place in the document (a destination, or a /GoTo action)."""
    from pypdf.generic import IndirectObject

    numbers = {(number, generation) for generation, objects in reader.xref.items()
               for number in objects}  # fmt: skip
    numbers |= {(number, 0) for number in reader.xref_objStm}
    if len(numbers) > _PDF_MAX_OBJECTS:
        return "/ObjectCount"
    for number, generation in sorted(numbers):
        obj = reader.get_object(IndirectObject(number, generation, reader))
        for name in _pdf_names(obj):
            if name in _PDF_ACTIVE_NAMES:
                return name
    open_action = reader.trailer["/Root"].get_object().get("/OpenAction")
    if open_action is not None:
        open_action = open_action.get_object()
        if hasattr(open_action, "get") and open_action.get("/S") != "/GoTo":
            return "/OpenAction"
    return None


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
    _refuse_markup(data, _("document"))
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
        active = _pdf_active_content(reader)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise ValidationError(
            _("This PDF is damaged and cannot be read."), code="damaged_pdf"
        ) from error
    finally:
        upload.seek(0)
    if active is not None:
        # Refused, not neutralised: rewriting the file to strip actions could damage a
        # document in ways nobody checks, and a report needs none of them. The editor
        # gets a file that opens the same everywhere by exporting or printing it to PDF.
        raise ValidationError(
            _(
                "This PDF contains active content (scripts, actions, attached files or "
                "forms that send data). Save it again with “Print to PDF” or export it "
                "without them, then upload that copy."
            ),
            code="active_pdf",
        )
    _name_by_content(upload, "PDF")


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
    """Store uploads under a random name: the uploaded name never reaches the disk.

    The suffix is the content's: the upload validators rename each file by what it is
    (`_name_by_content`), and any other suffix is dropped here, so that a web server
    serving by suffix never sees `.html` or `.svg`.
    """

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        suffix = PurePosixPath(filename).suffix.lower()
        suffix = {".jpeg": ".jpg"}.get(suffix, suffix)
        if suffix not in SUFFIX_BY_FORMAT.values():
            suffix = ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, UploadPath) and other.folder == self.folder
