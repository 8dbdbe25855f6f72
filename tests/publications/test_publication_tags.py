"""A publication's list row and authors' line, rendered in Python (publication_tags)."""

import pytest
from django.utils import translation

from publications.models import Authorship, PublicationKind
from publications.selectors import with_authors_and_groups
from publications.templatetags.publication_tags import authors, publication_item
from tests.factories import AuthorshipFactory, GroupFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_authors_read_a_b_and_c_with_links_to_public_profiles_only():
    publication = PublicationFactory()
    AuthorshipFactory(publication=publication, person=PersonFactory(
        given_name="Ama", family_name="Mensah", slug="ama"), position=1)  # fmt: skip
    AuthorshipFactory(publication=publication, person=PersonFactory(
        given_name="Hidden", family_name="Person", is_public=False), position=2)  # fmt: skip
    AuthorshipFactory(publication=publication, person=None, name="<WHO>", position=3)
    authorships = Authorship.objects.filter(publication=publication).order_by("position")

    assert authors(authorships) == (
        '<a href="/people/ama/">Ama Mensah</a>, Hidden Person and &lt;WHO&gt;'
    )
    with translation.override("fr"):
        assert " et &lt;WHO&gt;" in authors(authorships)
    assert authors(authorships[:1]) == '<a href="/people/ama/">Ama Mensah</a>'


def test_publication_item_shows_kind_date_title_authors_and_groups_escaped():
    publication = PublicationFactory(
        title="Brain <drain>", slug="drain", subtitle="A & B", kind=PublicationKind.STRATEGY_REPORT
    )
    AuthorshipFactory(publication=publication, person=PersonFactory(
        given_name="Ama", family_name="Mensah", slug="ama"))  # fmt: skip
    publication.groups.add(GroupFactory(name="Supply", slug="supply"))
    row = with_authors_and_groups(type(publication).objects.filter(pk=publication.pk)).get()

    html = publication_item(row, "h3")

    assert html.startswith('<li class="pub-item pub-item--strategy">')
    assert (
        '<h3 class="pub-item__title"><a href="/publications/drain/">Brain &lt;drain&gt;</a></h3>'
        in html
    )
    assert '<p class="pub-item__subtitle">A &amp; B</p>' in html
    assert '<p class="pub-item__authors"><a href="/people/ama/">Ama Mensah</a></p>' in html
    assert 'From: <a href="/groups/supply/">Supply</a>' in html
    assert publication.get_kind_display() in html
