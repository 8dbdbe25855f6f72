"""The secretariat's forms in a browser: authors reordered by drag and by keyboard, and
how tall the publication form is for a typical paper."""

import datetime

import pytest

from core.models import Status
from tests.factories import (
    AuthorshipFactory,
    FunderFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# About two screens of a 1280 x 800 window (the admin's header and the save buttons
# included). Django's own layout of the same form was 4,333 px tall.
ABOUT_TWO_SCREENS = 2 * 800 + 200


def _typical_paper():
    """A working paper with three authors, in a site with the JLI's usual groups,
    topics and funders."""
    groups = [GroupFactory(name=f"Working group {n} (sample)") for n in range(7)]
    for n in range(5):
        TopicFactory(name=f"Topic {n} (sample)", slug=f"topic-{n}")
    for n in range(8):
        FunderFactory(name=f"Funder {n} (sample)")
    publication = PublicationFactory(
        title="A working paper (sample)",
        kind="working_paper",
        published_on=datetime.date(2003, 6, 1),
        abstract="What the paper found (sample). " * 8,
        status=Status.PUBLISHED,
    )
    publication.groups.add(groups[0])
    for name in ("Ana", "Kofi", "Lena"):
        AuthorshipFactory(
            publication=publication,
            person=PersonFactory(given_name=name, family_name="Sample", slug=f"{name.lower()}-s"),
        )
    return publication


def test_typical_publication_form_fits_on_two_screens(
    page, live_server, editor_user, sign_in_admin
):
    publication = _typical_paper()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_admin(editor_user)
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"publication change form: {height} px tall at 1280 x 800")
    assert height <= ABOUT_TWO_SCREENS
