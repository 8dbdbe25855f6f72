import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from funders.models import Funder, SupportKind, Tier
from tests.factories import FunderFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:funders_funder_add")
LIST_URL = reverse("admin:funders_funder_changelist")


def _form(**overrides):
    data = {
        "name": "Atlantic Philanthropies",
        "acronym": "",
        "slug": "atlantic-philanthropies",
        "organisation_kind": "foundation",
        "country": "",
        "website": "",
        "tier": Tier.FUNDING_PARTNER,
        "support_kind": SupportKind.FINANCIAL,
        "acknowledgement_en": "Exceptional support for the South African and overall work.",
        "display_order": "40",
        "is_public": "on",
        **_inline_management("supported_publications"),
        **_inline_management("supported_events"),
    }
    return data | overrides


def _inline_management(prefix, total=0, initial=0):
    """The management form of one of the funder page's inlines (what it supported)."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _png(width=300, height=150, noise=False):
    buffer = io.BytesIO()
    if noise:
        # Random pixels do not compress, so the file is as large as the image.
        pixels = random.Random(2002).randbytes(width * height * 3)
        image = Image.frombytes("RGB", (width, height), pixels)
    else:
        image = Image.new("RGB", (width, height), (200, 30, 30))
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("client_fixture", "status"),
    [
        ("anonymous_client", 302),
        ("member_client", 302),
        ("other_member_client", 302),
        ("editor_client", 200),
        ("superuser_client", 200),
    ],
)
def test_funder_admin_is_for_staff_only(request, client_fixture, status):
    client = request.getfixturevalue(client_fixture)
    FunderFactory(name="World Bank")
    response = client.get(LIST_URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert "World Bank" in response.text


def test_editor_adds_a_funder_with_a_logo(editor_client):
    response = editor_client.post(ADD_URL, _form(logo=_png()))

    assert response.status_code == 302
    funder = Funder.objects.get()
    assert funder.name == "Atlantic Philanthropies"
    assert funder.logo.name.startswith("funders/")
    assert funder.logo.name.endswith(".png")


def test_logo_that_is_not_an_image_is_refused_with_a_clear_message(editor_client):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")

    response = editor_client.post(ADD_URL, _form(logo=fake))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    assert Funder.objects.count() == 0


def test_svg_logo_is_refused(editor_client):
    svg = SimpleUploadedFile(
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        content_type="image/svg+xml",
    )
    response = editor_client.post(ADD_URL, _form(logo=svg))
    assert "logo" in response.context["adminform"].form.errors
    assert Funder.objects.count() == 0


def test_huge_logo_is_refused_with_its_size_and_the_limit(editor_client, settings):
    settings.MAX_IMAGE_UPLOAD_MB = 1
    huge = _png(800, 800, noise=True)
    assert huge.size > 1024 * 1024

    response = editor_client.post(ADD_URL, _form(logo=huge))

    [message] = response.context["adminform"].form.errors["logo"]
    assert (
        message == f"The image is {huge.size / 1024 / 1024:.1f} MB; the largest accepted is 1 MB."
    )
    assert Funder.objects.count() == 0


def test_refused_logo_leaves_the_saved_funder_unchanged(editor_client):
    funder = FunderFactory(name="World Bank", acknowledgement="Unstinting support.")
    url = reverse("admin:funders_funder_change", args=[funder.pk])
    fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")

    response = editor_client.post(
        url, _form(name="Changed", slug=funder.slug, acknowledgement="", logo=fake)
    )

    assert response.status_code == 200
    funder.refresh_from_db()
    assert (funder.name, funder.acknowledgement, funder.logo.name) == (
        "World Bank",
        "Unstinting support.",
        "",
    )


def test_empty_and_too_long_names_are_refused(editor_client):
    response = editor_client.post(ADD_URL, _form(name="", slug=""))
    errors = response.context["adminform"].form.errors
    assert errors["name"] == ["This field is required."]

    response = editor_client.post(ADD_URL, _form(name="x" * 201))
    assert response.context["adminform"].form.errors["name"] == [
        "Ensure this value has at most 200 characters (it has 201)."
    ]
    assert Funder.objects.count() == 0


def test_admin_list_orders_by_tier_then_display_order(editor_client):
    FunderFactory(name="World Bank", tier=Tier.INSTITUTIONAL_SUPPORTER, display_order=1)
    FunderFactory(name="CIDA", tier=Tier.PARTICIPATING_CONTRIBUTOR, display_order=1)
    FunderFactory(name="Sida", tier=Tier.FUNDING_PARTNER, display_order=2)
    FunderFactory(name="Rockefeller Foundation", tier=Tier.FUNDING_PARTNER, display_order=1)

    response = editor_client.get(LIST_URL)

    names = [f.name for f in response.context["cl"].result_list]
    assert names == ["Rockefeller Foundation", "Sida", "CIDA", "World Bank"]


def test_admin_list_searches_and_filters(editor_client):
    FunderFactory(name="Open Society Institute", acronym="OSI", tier=Tier.PARTICIPATING_CONTRIBUTOR)
    FunderFactory(name="World Bank", tier=Tier.INSTITUTIONAL_SUPPORTER)

    found = editor_client.get(LIST_URL, {"q": "osi"}).context["cl"].result_list
    assert [f.name for f in found] == ["Open Society Institute"]
    found = editor_client.get(LIST_URL, {"tier__exact": Tier.INSTITUTIONAL_SUPPORTER})
    assert [f.name for f in found.context["cl"].result_list] == ["World Bank"]


def test_editor_reorders_funders_from_the_list(editor_client):
    first = FunderFactory(name="First", display_order=1)
    second = FunderFactory(name="Second", display_order=2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(first.pk),
        "form-0-display_order": "20",
        "form-1-id": str(second.pk),
        "form-1-display_order": "10",
        "_save": "Save",
    }

    response = editor_client.post(LIST_URL, data)

    assert response.status_code == 302
    assert list(Funder.objects.order_by("display_order").values_list("name", flat=True)) == [
        "Second",
        "First",
    ]
