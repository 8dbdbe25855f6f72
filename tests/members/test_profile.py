"""/profile/: a member sees and proposes changes to their own profile, and nothing else."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Status
from groups.models import Person, Role
from members.models import ProfileChange, ReviewStatus
from tests.factories import (
    AuthorshipFactory,
    GroupFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonLinkFactory,
    ProfileChangeFactory,
)

pytestmark = pytest.mark.django_db

PROFILE = "/profile/"
AT_MOST = "Ensure this value has at most"
INVALID_CHOICE = "Select a valid choice."


def png(width=40, height=40, name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**overrides):
    """A complete, valid profile form with five empty link rows."""
    data = {
        "bio": "I study the health workforce (sample).",
        "photo_alt": "",
        "affiliation": "Example University",
        "position": "Lecturer",
        "country": "KE",
        "website": "https://example.org/mary",
        "orcid": "0000-0002-1825-0097",
        "is_public": "on",
        "email_visibility": "members",
        "allow_indexing": "on",
        "links-TOTAL_FORMS": "5",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "5",
        "links-MAX_NUM_FORMS": "5",
    }
    for index in range(5):
        data[f"links-{index}-label"] = ""
        data[f"links-{index}-url"] = ""
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Who sees what ----------------------------------------------------------------------


def test_profile_authorization_matrix(persona):
    name, client = persona
    response = client.get(PROFILE)
    if name == "anonymous_client":
        assert (response.status_code, response.url) == (302, "/accounts/login/?next=/profile/")
    elif name in {"member_client", "other_member_client"}:
        # Each member sees their own profile, never another's.
        expected = {"member_client": "Mary Member", "other_member_client": "Otto Other"}[name]
        assert response.status_code == 200
        assert response.context["person"].full_name == expected
    else:
        # Staff accounts without a linked person get a clear page, not an error.
        assert response.status_code == 200
        assert "Your account is not linked to a member's profile" in response.text
        assert "person" not in response.context


def test_profile_shows_roles_in_published_groups_only(member_client, member_user):
    person = member_user.person
    MembershipFactory(person=person, group__name="Working group on supply", role=Role.CO_CHAIR)
    MembershipFactory(person=person, group__name="Draft group", group__status=Status.DRAFT)

    response = member_client.get(PROFILE)

    assert [m.group.name for m in response.context["person"].public_roles] == [
        "Working group on supply"
    ]
    assert "Co-chair, <a" in response.text
    assert "Draft group" not in response.text


def test_profile_form_starts_from_the_published_profile(member_client, member_user):
    person = member_user.person
    person.bio = "Published biography."
    person.save()
    PersonLinkFactory(person=person, label="Staff page", url="https://example.org/staff")

    response = member_client.get(PROFILE)

    form, links = response.context["form"], response.context["link_forms"]
    assert form.initial["bio"] == "Published biography."
    assert [f.initial for f in links.forms if f.initial] == [
        {"label": "Staff page", "url": "https://example.org/staff"}
    ]
    assert 'enctype="multipart/form-data"' in response.text


@pytest.mark.parametrize("roles", [1, 3])
def test_profile_query_count_is_fixed(member_client, member_user, page_queries, roles):
    for _ in range(roles):
        MembershipFactory(person=member_user.person)
        AuthorshipFactory(person=member_user.person)
        ParticipationFactory(person=member_user.person)
    PersonLinkFactory(person=member_user.person)
    ProfileChangeFactory(person=member_user.person)
    # 9 queries: session; user; person; their roles in published groups with group and
    # base; their links; their latest profile change; their published publications;
    # their participations in published events; the header's story pages.
    # A signed-in page: never from the page cache; with the caches on, the header's menu
    # is kept until the next scheduled change, looked up once when the cache is cold.
    with page_queries(9):
        response = member_client.get(PROFILE)
    assert len(response.context["person"].public_roles) == roles
    assert len(response.context["publications"]) == roles
    assert len(response.context["events"]) == roles


# --- Proposing changes ------------------------------------------------------------------


def test_submitting_holds_changes_for_review_and_the_public_sees_the_old_profile(
    client, member_client, member_user
):
    person = member_user.person
    person.bio = "Old biography."
    person.save()

    response = member_client.post(
        PROFILE,
        form_data(
            bio="New biography.",
            **{"links-0-label": "Blog", "links-0-url": "https://example.org/blog"},
        ),
    )

    assert (response.status_code, response.url) == (302, PROFILE)
    change = ProfileChange.objects.get()
    assert (change.person, change.status, change.bio) == (
        person,
        ReviewStatus.PENDING,
        "New biography.",
    )
    assert change.links == [{"label": "Blog", "url": "https://example.org/blog"}]
    assert change.submitted_by == member_user
    person.refresh_from_db()
    assert person.bio == "Old biography."
    page = member_client.get(PROFILE)
    assert "Waiting for review" in page.text
    assert "Thank you. Your changes are waiting for review." in page.text
    assert page.context["form"].initial["bio"] == "New biography."
    assert [row[0] for row in page.context["differences"]] == [
        "short biography", "position", "web site", "ORCID iD", "e-mail shown to", "links"
    ]  # fmt: skip
    member_client.logout()
    public = client.get(person.get_absolute_url())
    assert "Old biography." in public.text
    assert "New biography." not in public.text


def test_editing_again_updates_the_one_pending_change(member_client, member_user):
    member_client.post(PROFILE, form_data(bio="First try.", photo=png()))
    first = ProfileChange.objects.get()

    member_client.post(PROFILE, form_data(bio="Second try."))

    change = ProfileChange.objects.get()
    assert change.pk == first.pk
    assert change.bio == "Second try."
    # The photo sent the first time is kept when none is sent again.
    assert change.photo.name == first.photo.name


def test_a_new_change_after_review_starts_a_new_pending_change(member_client, member_user):
    ProfileChangeFactory(person=member_user.person, status=ReviewStatus.DECLINED)
    member_client.post(PROFILE, form_data(bio="After the decline."))
    assert list(ProfileChange.objects.order_by("pk").values_list("status", "bio")) == [
        ("declined", "A proposed biography (sample)."),
        ("pending", "After the decline."),
    ]


def test_photo_is_scaled_down_and_stripped_of_metadata(member_client, settings):
    settings.PROFILE_PHOTO_MAX_PIXELS = 800
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (2000, 1000), (0, 90, 160)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("holiday.jpg", buffer.getvalue(), content_type="image/jpeg")

    member_client.post(PROFILE, form_data(photo=upload, photo_alt="Mary at a workshop"))

    change = ProfileChange.objects.get()
    with Image.open(change.photo.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (800, 400))
        assert dict(stored.getexif()) == {}
    assert change.photo.name.startswith("people/")
    assert "holiday" not in change.photo.name


def test_member_can_never_change_anything_else_even_with_a_crafted_post(
    member_client, member_user, other_member_user
):
    person = member_user.person
    other = other_member_user.person
    group = GroupFactory()
    crafted = form_data(
        bio="Mine.",
        given_name="Hacked",
        family_name="Hacked",
        slug="hacked",
        email="hacked@example.org",
        user=str(other_member_user.pk),
        person=str(other.pk),
        id=str(other.pk),
        self_editing="on",
        status="approved",
        memberships=str(group.pk),
        group=str(group.pk),
        role="co_chair",
        submitted_by=str(other_member_user.pk),
        reviewed_by=str(other_member_user.pk),
    )

    member_client.post(PROFILE, crafted)
    member_client.post(f"{PROFILE}?person={other.pk}", crafted)

    change = ProfileChange.objects.get()
    assert (change.person, change.status, change.submitted_by, change.reviewed_by) == (
        person, ReviewStatus.PENDING, member_user, None
    )  # fmt: skip
    person.refresh_from_db()
    other.refresh_from_db()
    assert (person.given_name, person.family_name, person.slug, person.email) == (
        "Mary", "Member", "mary-member", ""
    )  # fmt: skip
    assert (person.user, other.user) == (member_user, other_member_user)
    assert person.memberships.count() == 0
    assert other.profile_changes.count() == 0
    assert other.bio == ""


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"orcid": "0000-0002-1825-0096"},
            "orcid",
            "This ORCID iD has a wrong check digit; please copy it again from orcid.org.",
        ),
        (
            {"orcid": "12345"},
            "orcid",
            "Enter an ORCID iD as four groups of four characters, like 0000-0002-1825-0097.",
        ),
        (
            {"photo": SimpleUploadedFile("cv.png", b"%PDF-1.4 not an image", "image/png")},
            "photo",
            "Upload a valid image. The file you uploaded was either not an image or a "
            "corrupted image.",
        ),
        ({"bio": "x" * 3001}, "bio", f"{AT_MOST} 3000 characters (it has 3001)."),
        ({"affiliation": "x" * 201}, "affiliation", f"{AT_MOST} 200 characters (it has 201)."),
        ({"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
        (
            {"email_visibility": "the-world"},
            "email_visibility",
            f"{INVALID_CHOICE} the-world is not one of the available choices.",
        ),
        ({"country": "XX"}, "country", f"{INVALID_CHOICE} XX is not one of the available choices."),
    ],
)
def test_bad_input_gets_a_clear_message_and_other_edits_are_kept(
    member_client, member_user, overrides, field, message
):
    data = form_data(position="Professor of health policy (kept)", **overrides)

    response = member_client.post(PROFILE, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "Nothing was sent: please correct the problems below." in response.text
    assert 'value="Professor of health policy (kept)"' in response.text
    assert ProfileChange.objects.count() == 0


def test_oversized_photo_is_refused(member_client, settings):
    settings.MAX_IMAGE_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.png", png(10, 10).read() + b"\0" * (1024 * 1024 + 1))

    response = member_client.post(PROFILE, form_data(photo=big, bio="Kept bio."))

    assert response.context["form"].errors["photo"] == [
        "The image is 1.0 MB; the largest accepted is 1 MB."
    ]
    assert ">\nKept bio.</textarea>" in response.text
    assert ProfileChange.objects.count() == 0


def test_polyglot_photo_is_refused(member_client):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    hostile = SimpleUploadedFile("x.png", buffer.getvalue() + b"<script>alert(1)</script>")

    response = member_client.post(PROFILE, form_data(photo=hostile))

    assert response.context["form"].errors["photo"] == [
        "This image contains web page code and was refused."
    ]


def test_bad_link_gets_a_message_and_nothing_is_sent(member_client):
    response = member_client.post(
        PROFILE,
        form_data(**{"links-1-label": "", "links-1-url": "https://example.org/x", "bio": "Kept."}),
    )
    assert response.context["link_forms"].errors[1] == {
        "label": ["Give the link a label, like 'Staff page'."]
    }
    assert ">\nKept.</textarea>" in response.text
    assert ProfileChange.objects.count() == 0


def test_sending_a_new_photo_and_removing_it_together_is_refused(member_client):
    response = member_client.post(PROFILE, form_data(photo=png(), remove_photo="on"))
    assert response.context["form"].errors["remove_photo"] == [
        "Either send a new photo or remove it, not both."
    ]


def test_hostile_html_in_the_bio_is_kept_as_escaped_text(member_client, member_user):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    member_client.post(PROFILE, form_data(bio=hostile))

    page = member_client.get(PROFILE)

    assert ProfileChange.objects.get().bio == hostile
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.text


def test_orcid_pasted_as_a_web_address_keeps_the_id(member_client):
    member_client.post(PROFILE, form_data(orcid="https://orcid.org/0000-0002-1825-0097"))
    assert ProfileChange.objects.get().orcid == "0000-0002-1825-0097"


# --- Editing turned off by the secretariat ---------------------------------------------------


def test_profile_with_editing_turned_off_says_so_and_refuses_changes(member_client, member_user):
    Person.objects.filter(pk=member_user.person.pk).update(self_editing=False)

    page = member_client.get(PROFILE)
    assert "The secretariat keeps this profile for you" in page.text
    assert "Send for review" not in page.text

    response = member_client.post(PROFILE, form_data(bio="Sneaky."))
    assert response.status_code == 403
    assert "The secretariat keeps this profile for you" in response.text
    assert ProfileChange.objects.count() == 0
