"""Staff previewing in search: unpublished records only for staff whom
`core.roles.may_preview` allows, only when they ask (?preview=1), only of the kinds whose
pages preview them, and marked. Every other persona never sees them, asked or not."""

import pytest
from django.contrib.auth.models import Permission

from core.models import Status
from tests.factories import EventFactory, PersonFactory, PublicationFactory, UserFactory

pytestmark = pytest.mark.django_db

TOGGLE = "Preview: include unpublished records you may preview"


@pytest.fixture
def drafts(indexed):
    with indexed():
        PublicationFactory(title="Okapi public paper")
        PublicationFactory(title="Okapi draft paper", status=Status.DRAFT)
        EventFactory(title="Okapi draft meeting", status=Status.DRAFT)
        PersonFactory(given_name="Okapi", family_name="Private", is_public=False)


def found(client, **params):
    return client.get("/search/", {"q": "okapi", **params}).content.decode()


@pytest.mark.parametrize("params", [{}, {"preview": "1"}])
def test_no_persona_but_staff_who_asked_sees_drafts(persona, drafts, params):
    name, client = persona
    text = found(client, **params)

    assert "Okapi public paper" in text
    assert "Okapi Private" not in text  # private profiles are never previewed
    if name in ("editor_client", "superuser_client") and params:
        assert "Okapi draft paper" in text
        assert "Okapi draft meeting" in text
        assert "Not public" in text
        assert "Show only what the public sees" in text
    else:
        assert "Okapi draft paper" not in text
        assert "Okapi draft meeting" not in text
        assert "Not public" not in text
    # The toggle is offered to staff who may preview, and to nobody else.
    assert (TOGGLE in text) == (name in ("editor_client", "superuser_client") and not params)


def test_staff_without_permissions_see_no_draft(client, bare_staff_user, drafts):
    client.force_login(bare_staff_user)

    text = found(client, preview="1")

    assert "Okapi draft paper" not in text
    assert TOGGLE not in text


def test_staff_preview_only_the_kinds_they_may_view(client, drafts):
    user = UserFactory(username="reader", email="reader@example.org", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(user)

    text = found(client, preview="1")

    assert "Okapi draft paper" in text
    assert "Okapi draft meeting" not in text


def test_the_preview_is_kept_by_the_form_and_the_facets(editor_client, drafts):
    text = found(editor_client, preview="1")

    assert '<input type="hidden" name="preview" value="1">' in text
    assert "preview=1&amp;kind=publication" in text or "kind=publication&amp;preview=1" in text
