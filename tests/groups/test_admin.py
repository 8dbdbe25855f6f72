"""The secretariat's admin for people, groups and roles: access, and bad input refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from groups.models import Group, Membership, Person, Role
from tests.factories import GroupFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:groups_person_changelist",
    "admin:groups_person_add",
    "admin:groups_group_changelist",
    "admin:groups_group_add",
    "admin:groups_membership_changelist",
    "admin:groups_secretariatbase_changelist",
]


def _png_bytes(size=(40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _person_form(**overrides):
    data = {
        "honorific": "",
        "given_name": "Kofi",
        "family_name": "Mensah",
        "slug": "kofi-mensah",
        "affiliation": "University of Ghana",
        "position": "Lecturer",
        "country": "GH",
        "bio": "Works on the health workforce.",
        "photo_alt": "",
        "email": "",
        "email_visibility": "nobody",
        "website": "",
        "orcid": "",
        "is_public": "on",
        "allow_indexing": "on",
        "user": "",
        "self_editing": "on",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def _with_role(data, group, role=Role.CO_CHAIR, **fields):
    index = int(data["memberships-TOTAL_FORMS"])
    data[f"memberships-{index}-group"] = str(group.pk)
    data[f"memberships-{index}-role"] = role
    data[f"memberships-{index}-start_date"] = fields.get("start_date", "")
    data[f"memberships-{index}-end_date"] = fields.get("end_date", "")
    data[f"memberships-{index}-base"] = ""
    data[f"memberships-{index}-display_order"] = "0"
    data["memberships-TOTAL_FORMS"] = str(index + 1)
    return data


# --- who may use the admin -----------------------------------------------------


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_by_persona(persona, name):
    persona_name, client = persona
    response = client.get(reverse(name))
    if persona_name in ("editor_client", "superuser_client"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_editor_cannot_manage_user_accounts(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editor_adds_a_person_with_a_co_chair_role(editor_client):
    group = GroupFactory()
    response = editor_client.post(
        reverse("admin:groups_person_add"), _with_role(_person_form(), group)
    )

    assert response.status_code == 302
    person = Person.objects.get(slug="kofi-mensah")
    assert [(m.group, m.role) for m in person.memberships.all()] == [(group, Role.CO_CHAIR)]


# --- bad input: a clear message, nothing lost ------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"orcid": "0000-0002-1825-0098"}, "wrong check digit"),
        ({"orcid": "12345"}, "four groups of four characters"),
        ({"given_name": ""}, "This field is required."),
        ({"given_name": "x" * 101}, "Ensure this value has at most 100 characters"),
        ({"website": "not a url at all"}, "Enter a valid URL."),
        ({"slug": "has spaces!"}, "Enter a valid “slug”"),
    ],
)
def test_person_form_refuses_bad_input_and_keeps_the_rest(editor_client, overrides, message):
    response = editor_client.post(reverse("admin:groups_person_add"), _person_form(**overrides))

    assert response.status_code == 200
    assert message in response.text
    assert 'value="University of Ghana"' in response.text  # the rest of the form is kept
    assert not Person.objects.exists()


def test_duplicate_slug_is_refused_with_a_message(editor_client):
    PersonFactory(slug="kofi-mensah")
    response = editor_client.post(reverse("admin:groups_person_add"), _person_form())
    assert "Person with this Slug already exists." in response.text
    assert Person.objects.count() == 1


def test_role_ending_before_it_starts_is_refused_and_nothing_is_saved(editor_client):
    group = GroupFactory()
    data = _with_role(_person_form(), group, start_date="2004-01-01", end_date="2003-01-01")

    response = editor_client.post(reverse("admin:groups_person_add"), data)

    assert response.status_code == 200
    assert "A role cannot end before it starts." in response.text
    assert not Person.objects.exists()
    assert not Membership.objects.exists()


def test_the_same_role_twice_at_the_same_time_is_refused(editor_client):
    group = GroupFactory()
    person = PersonFactory()
    MembershipFactory(person=person, group=group, role=Role.MEMBER)
    data = _person_form(
        given_name=person.given_name, family_name=person.family_name, slug=person.slug
    )
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-group": str(group.pk),
            "memberships-0-role": Role.MEMBER,
            "memberships-0-start_date": "",
            "memberships-0-end_date": "",
            "memberships-0-base": "",
            "memberships-0-display_order": "0",
        }
    )

    response = editor_client.post(reverse("admin:groups_person_change", args=[person.pk]), data)

    assert response.status_code == 200
    assert "already holds this role in this group" in response.text
    assert Membership.objects.count() == 1
    person.refresh_from_db()
    assert person.affiliation == "Example University"  # nothing half-written


def test_non_image_photo_is_refused(editor_client):
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = editor_client.post(
        reverse("admin:groups_person_add"), {**_person_form(), "photo": fake}
    )
    assert response.status_code == 200
    assert "Upload a valid image." in response.text
    assert not Person.objects.exists()


def test_oversized_photo_is_refused(editor_client, settings):
    settings.MAX_IMAGE_UPLOAD_MB = 0
    photo = SimpleUploadedFile("photo.png", _png_bytes(), "image/png")
    response = editor_client.post(
        reverse("admin:groups_person_add"), {**_person_form(), "photo": photo}
    )
    assert response.status_code == 200
    assert "the largest accepted is 0 MB" in response.text
    assert not Person.objects.exists()


def test_valid_photo_is_stored_under_a_generated_name(editor_client):
    photo = SimpleUploadedFile("../../etc/My Photo.PNG", _png_bytes(), "image/png")
    response = editor_client.post(
        reverse("admin:groups_person_add"),
        {**_person_form(), "photo": photo, "photo_alt": "Kofi smiling"},
    )
    assert response.status_code == 302
    name = Person.objects.get().photo.name
    assert name.startswith("people/")
    assert name.endswith(".png")
    assert "etc" not in name
    assert "My Photo" not in name


def test_group_ending_before_it_starts_is_refused(editor_client):
    data = {
        "kind": "working_group",
        "name_en": "Working group on supply",
        "slug": "supply",
        "theme_en": "Supply",
        "description_en": "",
        "active_from": "2004-01-01",
        "active_until": "2002-01-01",
        "display_order": "1",
        "status": "published",
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(reverse("admin:groups_group_add"), data)
    assert response.status_code == 200
    assert "A group cannot end before it starts." in response.text
    assert 'value="Working group on supply"' in response.text
    assert not Group.objects.exists()


def test_person_changelist_filters_by_role_without_duplicates(editor_client):
    person = PersonFactory(family_name="Mensah")
    MembershipFactory(person=person, role=Role.CO_CHAIR)
    MembershipFactory(person=person, role=Role.CO_CHAIR)
    PersonFactory(family_name="Other")

    response = editor_client.get(
        reverse("admin:groups_person_changelist"), {"memberships__role": "co_chair"}
    )

    assert list(response.context["cl"].result_list) == [person]
