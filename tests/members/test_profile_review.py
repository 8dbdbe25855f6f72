"""The secretariat reviews members' profile changes in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from groups.models import PersonLink
from members.models import ProfileChange, ReviewStatus
from tests.factories import PersonLinkFactory, ProfileChangeFactory, UserFactory
from tests.members.test_profile import png

pytestmark = pytest.mark.django_db


def _review_url(change):
    return reverse("admin:members_profilechange_review", args=[change.pk])


@pytest.fixture
def change(member_user):
    person = member_user.person
    person.bio = "Published biography."
    person.save()
    PersonLinkFactory(person=person, label="Old page", url="https://example.org/old")
    return ProfileChangeFactory(
        person=person,
        bio="Proposed biography.",
        position="Professor",
        links=[{"label": "New page", "url": "https://example.org/new"}],
    )


@pytest.mark.parametrize(
    ("persona_name", "allowed"),
    [
        ("anonymous_client", False),
        ("member_client", False),
        ("other_member_client", False),
        ("editor_client", True),
        ("superuser_client", True),
    ],
)
def test_review_authorization_matrix(
    request, change, persona_name, allowed, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(persona_name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_review_url(change), {"decision": "approve"})
    change.refresh_from_db()
    change.person.refresh_from_db()
    assert response.status_code == 302
    if allowed:
        assert response.url == reverse("admin:members_profilechange_changelist")
        assert (change.status, change.person.bio) == (ReviewStatus.APPROVED, "Proposed biography.")
    else:
        # The admin sends anyone who is not staff to its sign-in page.
        assert response.url.startswith("/admin/login/")
        assert (change.status, change.person.bio) == (ReviewStatus.PENDING, "Published biography.")
        assert mail.outbox == []


@pytest.mark.parametrize("persona_name", ["editor_client", "superuser_client"])
def test_review_list_and_page_are_open_to_the_secretariat(request, change, persona_name):
    client = request.getfixturevalue(persona_name)
    listing = client.get(reverse("admin:members_profilechange_changelist"))
    assert "Mary Member" in listing.text
    page = client.get(reverse("admin:members_profilechange_change", args=[change.pk]))
    assert "Approve and publish" in page.text


@pytest.mark.parametrize("persona_name", ["member_client", "other_member_client"])
def test_review_pages_are_closed_to_members(request, change, persona_name):
    client = request.getfixturevalue(persona_name)
    response = client.get(reverse("admin:members_profilechange_change", args=[change.pk]))
    assert response.url.startswith("/admin/login/")


def test_staff_without_the_review_permission_sees_but_cannot_decide(client, change):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_profilechange"))
    client.force_login(viewer)

    page = client.get(reverse("admin:members_profilechange_change", args=[change.pk]))
    assert "You may see these changes but not approve or decline them." in page.text
    assert "Approve and publish" not in page.text
    response = client.post(_review_url(change), {"decision": "approve"})

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == ReviewStatus.PENDING


def test_review_needs_a_post(editor_client, change):
    assert editor_client.get(_review_url(change)).status_code == 405


def test_review_page_compares_each_changed_field_before_and_after(editor_client, change):
    change.bio = "<script>alert('x')</script>"
    change.photo.save("p.png", ContentFile(png().read()), save=False)
    change.save()

    response = editor_client.get(reverse("admin:members_profilechange_change", args=[change.pk]))

    table = response.text[response.text.index('<table class="profile-change">') :]
    table = table[: table.index("</table>")]
    assert table.count('<tr><th scope="row">') == 4
    assert '<tr><th scope="row">short biography</th>' in table
    assert "Published biography." in table
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in table
    assert "<script>alert" not in response.text
    assert '<tr><th scope="row">position</th><td>—</td>' in table
    assert "<li>Old page: https://example.org/old</li>" in table
    assert "<li>New page: https://example.org/new</li>" in table
    assert (
        '<tr><th scope="row">photo</th><td>—</td>'
        f'<td><img src="/profile/changes/{change.pk}/photo/" alt="Photo"' in table
    )


def test_approval_publishes_the_values_links_and_photo_and_emails_the_member(
    editor_client, editor_user, change, django_capture_on_commit_callbacks
):
    change.photo.save("p.png", ContentFile(png().read()), save=True)
    change.photo_alt = "Mary smiling"
    change.save()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            _review_url(change), {"decision": "approve", "message": "Thank you, Mary."}
        )

    person = change.person
    person.refresh_from_db()
    assert (person.bio, person.position, person.photo_alt) == (
        "Proposed biography.", "Professor", "Mary smiling"
    )  # fmt: skip
    assert person.photo.name == change.photo.name
    assert list(PersonLink.objects.filter(person=person).values_list("label", "url")) == [
        ("New page", "https://example.org/new")
    ]
    change.refresh_from_db()
    assert (change.status, change.reviewed_by, change.review_message) == (
        ReviewStatus.APPROVED, editor_user, "Thank you, Mary."
    )  # fmt: skip
    message = mail.outbox[0]
    assert (message.to, message.subject) == (
        ["member@example.org"], "Your profile changes are published"
    )  # fmt: skip
    assert "Thank you, Mary." in message.body
    assert message.alternatives[0][1] == "text/html"


def test_decline_keeps_the_profile_and_tells_the_member(
    editor_client, change, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            _review_url(change), {"decision": "decline", "message": "Please shorten it."}
        )

    change.person.refresh_from_db()
    assert change.person.bio == "Published biography."
    assert list(change.person.links.values_list("label", flat=True)) == ["Old page"]
    assert mail.outbox[0].subject == "Your profile changes were not published"
    assert "Please shorten it." in mail.outbox[0].body


def test_member_sees_the_decision_and_message_on_their_profile(
    client, member_user, change, editor_user
):
    from members import services

    services.profile_change_decline(change=change, reviewer=editor_user, message="Too long.")
    client.force_login(member_user)

    page = client.get("/profile/")

    assert "The secretariat declined them on" in page.text
    assert "Too long." in page.text
    assert "Waiting for review" not in page.text


def test_a_change_is_reviewed_only_once(editor_client, change):
    editor_client.post(_review_url(change), {"decision": "decline"})
    response = editor_client.post(_review_url(change), {"decision": "approve"}, follow=True)

    assert "These changes were already reviewed." in response.text
    change.refresh_from_db()
    assert change.status == ReviewStatus.DECLINED


def test_approve_action_on_the_list_publishes_every_selected_change(
    editor_client, change, other_member_user, django_capture_on_commit_callbacks
):
    other = ProfileChangeFactory(person=other_member_user.person, bio="Otto's new bio.")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:members_profilechange_changelist"),
            {"action": "approve", "_selected_action": [change.pk, other.pk]},
            follow=True,
        )
    assert "2 changes reviewed." in response.text
    assert set(ProfileChange.objects.values_list("status", flat=True)) == {"approved"}
    assert sorted(m.to[0] for m in mail.outbox) == ["member@example.org", "other@example.org"]


def test_approval_refuses_values_the_person_would_not_accept(editor_client, change):
    # Stored by other means than the form: the person's own checks still apply.
    ProfileChange.objects.filter(pk=change.pk).update(orcid="0000-0002-1825-0096")

    response = editor_client.post(_review_url(change), {"decision": "approve"}, follow=True)

    assert "wrong check digit" in response.text
    change.refresh_from_db()
    change.person.refresh_from_db()
    assert (change.status, change.person.bio) == (ReviewStatus.PENDING, "Published biography.")


def test_self_editing_switch_is_on_the_person_admin_page(editor_client, member_user):
    url = reverse("admin:groups_person_change", args=[member_user.person.pk])
    response = editor_client.get(url)
    assert 'name="self_editing"' in response.text


def test_approving_a_photo_removal_clears_the_photo(editor_client, change):
    person = change.person
    person.photo.save("old.png", ContentFile(png().read()), save=True)
    change.remove_photo = True
    change.save()

    editor_client.post(_review_url(change), {"decision": "approve"})

    person.refresh_from_db()
    assert person.photo.name == ""
