"""Every upload field refuses hostile files with a clear message and logs the refusal.

Fields: a person's photo (admin), a member's photo (profile form), a publication's PDF
and cover (admin), a funder's logo (admin). Each is driven through its real form.
"""

import io
import logging
import re
import struct
import zlib

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from PIL import Image

from funders.models import Funder
from groups.models import Person
from members.forms import ProfileForm
from publications.models import Publication
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>window.__pwned=1</script>"


def png_bytes(width=40, height=30, image_format="PNG"):
    output = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(output, format=image_format)
    return output.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width, height):
    """A small, valid PNG that declares huge dimensions (1 bit per pixel, all zeros)."""
    row = b"\x00" + bytes((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body>" + SCRIPT + b"</body></html>"


def _admin_form(model, field):
    def make(upload, superuser):
        request = RequestFactory().post("/")
        request.user = superuser
        form_class = admin.site._registry[model].get_form(request)
        return form_class(data={}, files={field: upload})

    return make


def _profile_form(upload, superuser):
    return ProfileForm(data={}, files={"photo": upload})


# (name, field in the form, form maker, kind of file it takes)
FIELDS = [
    ("person photo", "photo", _admin_form(Person, "photo"), "image"),
    ("profile photo", "photo", _profile_form, "image"),
    ("publication PDF", "file", _admin_form(Publication, "file"), "pdf"),
    ("publication cover", "cover", _admin_form(Publication, "cover"), "image"),
    ("funder logo", "logo", _admin_form(Funder, "logo"), "image"),
]


def _valid(kind):
    return png_bytes() if kind == "image" else pdf_bytes()


def _ext(kind):
    return "png" if kind == "image" else "pdf"


# (case, file name, content maker, what the message must say)
HOSTILE = [
    ("svg", lambda k: f"drawing.{_ext(k)}", lambda k: SVG, None),
    ("svg named svg", lambda k: "drawing.svg", lambda k: SVG, None),
    ("html renamed", lambda k: f"page.{_ext(k)}", lambda k: HTML, None),
    ("polyglot appended", lambda k: f"file.{_ext(k)}", lambda k: _valid(k) + HTML, None),
    ("polyglot prepended", lambda k: f"file.{_ext(k)}", lambda k: HTML + _valid(k), None),
    ("nul in name", lambda k: f"photo\x00.html.{_ext(k)}", _valid, "control characters"),
    ("new line in name", lambda k: f"pho\nto.{_ext(k)}", _valid, "control characters"),
    ("empty", lambda k: f"empty.{_ext(k)}", lambda k: b"", "empty"),
]
IMAGE_ONLY = [
    ("bomb beyond Pillow's limit", "bomb.png", lambda k: bomb_png(20_000, 20_000), None),
    ("bomb beyond the site's limit", "big.png", lambda k: bomb_png(8_000, 6_000),
     "too large to process"),
]  # fmt: skip


def _cases():
    for name, field, maker, kind in FIELDS:
        for case, filename, content, message in HOSTILE:
            yield pytest.param(field, maker, kind, filename, content, message, id=f"{name}-{case}")
        if kind == "image":
            for case, filename, content, message in IMAGE_ONLY:
                yield pytest.param(
                    field, maker, kind, lambda k, f=filename: f, content, message,
                    id=f"{name}-{case}",
                )  # fmt: skip


@pytest.mark.parametrize(("field", "maker", "kind", "filename", "content", "message"), _cases())
def test_hostile_upload_is_refused_with_a_clear_message_and_logged(
    field, maker, kind, filename, content, message, superuser, caplog
):
    data = content(kind)
    upload = SimpleUploadedFile(filename(kind), data)
    with caplog.at_level(logging.INFO, logger="jli.security"):
        form = maker(upload, superuser)
        form.is_valid()
    errors = form.errors.get(field)
    assert errors, f"{filename(kind)!r} was accepted"
    text = " ".join(errors)
    if message:
        assert message in text
    else:
        assert re.search(r"image|PDF|web page code|too large", text), text
    lines = [r.getMessage() for r in caplog.records if "event=upload_rejected" in r.getMessage()]
    assert len(lines) == 1
    assert f".{field}'" in lines[0]
    assert "reason=" in lines[0]
    # Never the file's contents.
    assert "<script" not in caplog.text
    assert "<svg" not in caplog.text


@pytest.mark.parametrize(("name", "field", "maker", "kind"), FIELDS, ids=[f[0] for f in FIELDS])
def test_oversized_upload_is_refused_with_the_limit(name, field, maker, kind, superuser, settings):
    settings.MAX_IMAGE_UPLOAD_MB = 1
    settings.MAX_DOCUMENT_UPLOAD_MB = 1
    data = _valid(kind) + b"\0" * (1024 * 1024 + 10)
    form = maker(SimpleUploadedFile(f"large.{_ext(kind)}", data), superuser)
    assert not form.is_valid()
    assert "the largest accepted is 1 MB" in " ".join(form.errors[field])


@pytest.mark.parametrize(
    "filename",
    ["../../x.png", "..\\..\\x.png", "/etc/passwd.png", "a/b/c.png", "x" * 90 + ".png"],
)
def test_path_tricks_in_file_names_never_reach_the_disk(filename, superuser, settings):
    """Django keeps only the last part of a name; the file is stored under a random one."""
    form = _admin_form(Funder, "logo")(SimpleUploadedFile(filename, png_bytes()), superuser)
    form.data = {"name": "A sample funder", "slug": "a-sample-funder", "tier": "partner"}
    form.is_valid()
    assert "logo" not in form.errors
    funder = Funder(name="A sample funder", slug="a-sample-funder", logo=form.cleaned_data["logo"])
    funder.logo.save(funder.logo.name, funder.logo.file, save=False)
    assert re.fullmatch(r"funders/[0-9a-f]{32}\.png", funder.logo.name)
    stored = settings.MEDIA_ROOT / funder.logo.name
    assert stored.resolve().is_relative_to(settings.MEDIA_ROOT.resolve())


@pytest.mark.parametrize(("name", "field", "maker", "kind"), FIELDS, ids=[f[0] for f in FIELDS])
def test_very_long_file_name_is_refused_with_a_clear_message(name, field, maker, kind, superuser):
    form = maker(SimpleUploadedFile("x" * 300 + f".{_ext(kind)}", _valid(kind)), superuser)
    assert not form.is_valid()
    message = " ".join(form.errors[field])
    assert re.search("at most 100 characters|longer than 100 characters", message), message


def test_valid_uploads_are_accepted_by_every_field(superuser):
    for name, field, maker, kind in FIELDS:
        form = maker(SimpleUploadedFile(f"good.{_ext(kind)}", _valid(kind)), superuser)
        form.is_valid()
        assert field not in form.errors, name


@pytest.mark.parametrize(("name", "field", "maker", "kind"), FIELDS, ids=[f[0] for f in FIELDS])
def test_every_upload_field_says_what_it_accepts_with_the_current_limit(
    name, field, maker, kind, superuser, settings
):
    settings.MAX_IMAGE_UPLOAD_MB = 7
    settings.MAX_DOCUMENT_UPLOAD_MB = 33
    form = maker(None, superuser)
    expected = {
        "image": "JPEG, PNG, WebP or GIF, at most 7 MB.",
        "pdf": "A PDF document without a password, at most 33 MB.",
    }[kind]
    assert str(form.fields[field].help_text).startswith(expected)


def test_upload_help_text_is_in_the_readers_language(superuser, settings):
    settings.MAX_IMAGE_UPLOAD_MB = 7
    with translation.override("fr"):
        form = _admin_form(Funder, "logo")(None, superuser)
        assert str(form.fields["logo"].help_text) == "JPEG, PNG, WebP ou GIF, 7 Mo au maximum."


@pytest.mark.parametrize(
    ("name", "field", "maker", "kind"),
    [f for f in FIELDS if f[3] == "image"],
    ids=[f[0] for f in FIELDS if f[3] == "image"],
)
@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_every_format_the_help_text_names_is_accepted(
    name, field, maker, kind, image_format, superuser
):
    suffix = {"JPEG": "jpg"}.get(image_format, image_format.lower())
    upload = SimpleUploadedFile(f"image.{suffix}", png_bytes(image_format=image_format))
    form = maker(upload, superuser)
    form.is_valid()
    assert field not in form.errors


def test_profile_photo_refusal_through_the_page_is_logged_with_user_and_address(
    member_client, member_user, caplog
):
    with caplog.at_level(logging.INFO, logger="jli.security"):
        response = member_client.post(
            "/profile/",
            {"photo": SimpleUploadedFile("me.png", SVG), "links-TOTAL_FORMS": 0,
             "links-INITIAL_FORMS": 0},
            REMOTE_ADDR="198.51.100.7",
        )  # fmt: skip
    assert response.status_code == 200
    assert "Upload a valid image" in response.text
    assert (
        f"event=upload_rejected user={member_user.pk} ip=198.51.100.7 "
        "field='members.profilechange.photo' reason='invalid_image'"
    ) in caplog.text
