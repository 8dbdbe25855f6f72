"""Uploads are judged by their whole content (issue 14, item 8): active PDF content is
refused, markup anywhere in a file or an image's metadata is refused, stored names come
from the content, and a body larger than any upload is refused before it is read."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from core.validators import UploadPath, validate_image_upload, validate_pdf_upload
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def _pdf(change=None, *, compress=False):
    """A real PDF; `change(writer)` adds something to it first."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=280)
    if change:
        change(writer)
    if compress:
        writer.compress_identical_objects()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _action(kind, **entries):
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"),
                               NameObject("/S"): NameObject(kind)})  # fmt: skip
    action.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return action


def _open_action(action):
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return change


def _javascript_in_names(writer):
    """Document-level JavaScript: /Names << /JavaScript << /Names [(x) action] >> >>."""
    action = writer._add_object(_action("/JavaScript", JS=TextStringObject("app.alert(1)")))
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), action])}
    )
    names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    writer._root_object[NameObject("/Names")] = writer._add_object(names)


def _attachment(writer):
    writer.add_attachment("notes.txt", b"hello")


def _page_action(writer):
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/JavaScript", JS=TextStringObject("app.alert(1)"))}
    )


ACTIVE = {
    "OpenAction JavaScript": _open_action(_action("/JavaScript", JS=TextStringObject("x()"))),
    "OpenAction Launch": _open_action(_action("/Launch", F=TextStringObject("calc.exe"))),
    "OpenAction URI": _open_action(_action("/URI", URI=TextStringObject("https://x.test/"))),
    "JavaScript name tree": _javascript_in_names,
    "embedded file": _attachment,
    "page additional action": _page_action,
}


def _upload(data, name="paper.pdf"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("case", sorted(ACTIVE))
def test_pdf_with_active_content_is_refused(case):
    with pytest.raises(ValidationError) as caught:
        validate_pdf_upload(_upload(_pdf(ACTIVE[case])))
    assert caught.value.code == "active_pdf"
    assert "active content" in caught.value.messages[0]


def test_pdf_with_javascript_written_with_hex_escapes_is_refused():
    # "/J#61vaScript" is "/JavaScript" with one letter escaped: readers take it as such.
    data = _pdf(_javascript_in_names).replace(b"/JavaScript", b"/J#61vaScript")
    with pytest.raises(ValidationError) as caught:
        validate_pdf_upload(_upload(data))
    assert caught.value.code in {"active_pdf", "damaged_pdf"}


def test_pdf_opening_at_a_page_is_accepted():
    """An /OpenAction that is only a destination (open at page 1, fit) is harmless."""

    def open_at_first_page(writer):
        writer._root_object[NameObject("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, NameObject("/Fit")]
        )

    upload = _upload(_pdf(open_at_first_page))
    validate_pdf_upload(upload)
    assert upload.name == "upload.pdf"


def test_markup_deep_inside_a_pdf_is_refused():
    """Markup more than 64 KiB from either end (once unchecked) is found."""
    filler = b"%" + b"x" * 100_000 + b"\n"
    data = pdf_bytes()
    middle = data.index(b"\n") + 1
    data = data[:middle] + filler + b"%<script>alert(1)</script>\n" + filler + data[middle:]
    with pytest.raises(ValidationError) as caught:
        validate_pdf_upload(_upload(data))
    assert caught.value.code == "polyglot"


def _jpeg_with_comment(comment):
    output = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(output, format="JPEG")
    data = output.getvalue()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return data[:2] + segment + data[2:]


@pytest.mark.parametrize(
    "comment",
    [b"<script>alert(1)</script>", b"<img src=x onerror=alert(1)>", b"<a href='javascript:x'>"],
)
def test_markup_in_a_jpeg_comment_is_refused(comment):
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(_upload(_jpeg_with_comment(comment), "photo.jpg"))
    assert caught.value.code == "polyglot"


def test_markup_in_png_text_metadata_is_refused():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<img src=x onerror=alert(1)>")
    output = io.BytesIO()
    Image.new("RGB", (20, 20)).save(output, format="PNG", pnginfo=info)
    with pytest.raises(ValidationError):
        validate_image_upload(_upload(output.getvalue(), "logo.png"))


def test_a_plain_jpeg_comment_is_accepted():
    upload = _upload(_jpeg_with_comment(b"Taken in Accra, 2004"), "photo.jpeg")
    validate_image_upload(upload)
    assert upload.name == "upload.jpg"


@pytest.mark.parametrize(
    ("uploaded_name", "image_format", "stored_suffix"),
    [
        ("page.html", "PNG", ".png"),
        ("photo.svg", "JPEG", ".jpg"),
        ("logo", "GIF", ".gif"),
        ("picture.png", "WEBP", ".webp"),
    ],
)
def test_images_are_named_by_their_content(uploaded_name, image_format, stored_suffix):
    output = io.BytesIO()
    Image.new("RGB", (20, 20)).save(output, format=image_format)
    upload = _upload(output.getvalue(), uploaded_name)
    validate_image_upload(upload)
    path = UploadPath("funders")(None, upload.name)
    assert path.startswith("funders/")
    assert path.endswith(stored_suffix)


def test_a_pdf_named_html_is_stored_as_pdf():
    upload = _upload(pdf_bytes(), "paper.html")
    validate_pdf_upload(upload)
    assert UploadPath("publications")(None, upload.name).endswith(".pdf")


@pytest.mark.parametrize("name", ["x.html", "x.svg", "x.php", "x", "x.pdf.html"])
def test_upload_path_keeps_no_suffix_but_a_known_content_type(name):
    stored = UploadPath("files")(None, name)
    assert "." not in stored


# --- Request bodies larger than any upload --------------------------------------------


def test_oversized_body_is_refused_before_it_is_read(member_client, settings):
    settings.MAX_REQUEST_BODY_MB = 1

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    from django.test.client import FakePayload

    response = member_client.generic(
        "POST",
        "/profile/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": FakePayload(b"")},
    )
    assert response.status_code == 413
    assert "larger than the 1 MB the site accepts" in response.text
    assert response["Connection"] == "close"


def test_body_within_the_limit_is_served(member_client, settings):
    settings.MAX_REQUEST_BODY_MB = 1
    response = member_client.post("/profile/", {"links-TOTAL_FORMS": 0})
    assert response.status_code == 200


def test_body_limit_fits_the_largest_upload(settings):
    assert settings.MAX_REQUEST_BODY_MB > settings.MAX_DOCUMENT_UPLOAD_MB
    assert settings.MAX_REQUEST_BODY_MB * 1024 * 1024 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
