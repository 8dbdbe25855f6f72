import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Status
from publications.models import Authorship, DatePrecision, Publication
from tests.factories import PersonFactory, PublicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:publications_publication_changelist")
ADD = reverse("admin:publications_publication_add")


def _form(**overrides):
    data = {
        "kind": "working_paper",
        "title": "Migration of health workers",
        "subtitle": "",
        "slug": "migration",
        "published_on": "2003-06-01",
        "date_precision": "month",
        "abstract": "",
        "summary": "",
        "body": "",
        "language": "en",
        "publisher": "",
        "place": "",
        "series": "",
        "number": "",
        "doi": "",
        "isbn": "",
        "external_url": "",
        "licence": "",
        "cover_alt": "",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(overrides)
    # The fields with French versions are posted as their English ones
    # (publications/translation.py).
    translated = ("title", "subtitle", "abstract", "summary")
    return {f"{key}_en" if key in translated else key: value for key, value in data.items()}


def _authors(*authors):
    data = {"authorships-TOTAL_FORMS": str(len(authors))}
    for n, (person, name) in enumerate(authors):
        data.update(
            {
                f"authorships-{n}-position": str(n + 1),
                f"authorships-{n}-person": str(person.pk) if person else "",
                f"authorships-{n}-name": name,
            }
        )
    return data


def _pdf(name="paper.pdf", pages=2):
    return SimpleUploadedFile(name, pdf_bytes(pages=pages), content_type="application/pdf")


@pytest.mark.parametrize(
    ("persona_name", "expected"),
    [
        ("anonymous_client", 302),
        ("member_client", 302),
        ("other_member_client", 302),
        ("editor_client", 200),
        ("superuser_client", 200),
    ],
)
def test_admin_pages_by_persona(request, persona_name, expected):
    client = request.getfixturevalue(persona_name)
    publication = PublicationFactory()
    for url in [
        CHANGELIST,
        ADD,
        reverse("admin:publications_publication_change", args=[publication.pk]),
    ]:
        assert client.get(url).status_code == expected, url


def test_changelist_shows_kind_date_status_groups_and_filters(editor_client):
    publication = PublicationFactory(title="Listed", published_on=datetime.date(2003, 1, 1))
    publication.groups.create(
        name="Working group on supply", slug="supply", status=Status.PUBLISHED
    )

    response = editor_client.get(CHANGELIST, {"year": "2003", "kind": "working_paper"})

    assert list(response.context["cl"].result_list) == [publication]
    assert "Working group on supply" in response.text
    assert "Working paper" in response.text
    assert editor_client.get(CHANGELIST, {"q": "Listed"}).context["cl"].result_count == 1


def test_editor_adds_a_working_paper_with_two_authors_and_a_pdf(editor_client):
    person = PersonFactory(given_name="Ana", family_name="Silva")
    data = _form(**_authors((person, ""), (None, "Kofi Mensah")), file=_pdf(pages=3))

    response = editor_client.post(ADD, data)

    assert response.status_code == 302
    publication = Publication.objects.get(slug="migration")
    assert [a.display_name for a in publication.authorships.all()] == ["Ana Silva", "Kofi Mensah"]
    assert publication.page_count == 3
    assert publication.file_size == publication.file.size
    assert publication.file.name.startswith("publications/")
    assert "paper" not in publication.file.name
    # A cover was rendered from the first page.
    assert publication.cover.name.startswith("covers/")
    with Image.open(publication.cover) as cover:
        assert (cover.format, cover.width) == ("JPEG", 600)
    assert publication.cover_alt == "Cover of “Migration of health workers”"


def _oversized_pdf():
    return SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))


def _png():
    output = io.BytesIO()
    Image.new("RGB", (4, 4)).save(output, format="PNG")
    return output.getvalue()


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        (
            "file",
            SimpleUploadedFile("notes.pdf", b"just some text"),
            "This file is not a PDF document",
        ),
        ("file", SimpleUploadedFile("empty.pdf", b""), "The submitted file is empty."),
        ("file", None, "the largest accepted is 1 MB"),
        ("cover", SimpleUploadedFile("cover.png", b"not an image at all"), "Upload a valid image."),
    ],
    ids=["text-renamed-pdf", "empty", "oversized", "image-not-image"],
)
def test_bad_upload_is_refused_with_a_message_and_nothing_lost(
    editor_client, settings, field, upload, message
):
    settings.MAX_DOCUMENT_UPLOAD_MB = 1
    upload = upload or _oversized_pdf()
    publication = PublicationFactory(title="Kept title", slug="kept", status=Status.PUBLISHED)
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    data = _form(title="Changed title", slug="kept", status="published", **{field: upload})

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert message in response.text
    # The form keeps what was typed; the database keeps what was saved.
    assert 'value="Changed title"' in response.text
    publication.refresh_from_db()
    assert (publication.title, publication.file.name, publication.cover.name) == (
        "Kept title",
        "",
        "",
    )


def test_date_unknown_with_a_date_is_refused_on_the_form(editor_client):
    data = _form(date_precision=DatePrecision.UNKNOWN)
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    assert "Enter the publication date, or choose" in response.text
    assert not Publication.objects.exists()


def test_hostile_title_is_shown_escaped_in_admin_and_on_the_page(editor_client):
    editor_client.post(ADD, _form(title="<script>alert(1)</script>", status="published"))
    publication = Publication.objects.get()
    assert "<script>alert(1)</script>" not in editor_client.get(CHANGELIST).text
    assert "<script>alert(1)</script>" not in editor_client.get(publication.get_absolute_url()).text


def test_author_with_both_person_and_name_is_refused(editor_client):
    person = PersonFactory()
    response = editor_client.post(ADD, _form(**_authors((person, "Also a name"))))
    assert response.status_code == 200
    assert "Choose a person or type a name, not both." in response.text
    assert not Authorship.objects.exists()


def test_bulk_publish_and_unpublish(editor_client):
    drafts = PublicationFactory.create_batch(2, status=Status.DRAFT)
    ids = [str(p.pk) for p in drafts]

    response = editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": ids}, follow=True
    )
    assert "2 publications published." in response.text
    assert set(Publication.objects.published().values_list("pk", flat=True)) == {
        p.pk for p in drafts
    }

    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": ids[:1]})
    assert list(Publication.objects.published()) == [drafts[1]]


def test_reserved_slug_is_refused_with_a_message():
    publication = PublicationFactory.build(slug="feed")
    with pytest.raises(ValidationError) as error:
        publication.full_clean()
    assert error.value.message_dict["slug"] == [
        "“feed” is taken by a page of the site; choose another."
    ]
