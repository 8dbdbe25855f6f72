"""Shared by the open-data tests: a small public record with what must stay out of it."""

import datetime

import pytest
from django.utils import timezone

from core.models import Status
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)


@pytest.fixture
def record():
    group = GroupFactory(slug="wg")
    person = PersonFactory(slug="chen")
    MembershipFactory(group=group, person=person, role="co_chair")
    publication = PublicationFactory(slug="hrh", title='Overcoming the Crisis, "quoted"\nline')
    publication.groups.add(group)
    publication.topics.add(TopicFactory(name="Migration"))
    AuthorshipFactory(publication=publication, person=person, position=1)
    AuthorshipFactory(publication=publication, person=None, name="JLI", position=2)
    funder = FunderFactory(slug="rockefeller")
    publication.funders.add(funder)
    event = EventFactory(slug="consultation")
    event.organisers.add(group)
    event.publications.add(publication)
    # Never in the files:
    PublicationFactory(slug="secret-draft", status=Status.DRAFT).funders.add(funder)
    PublicationFactory(slug="secret-scheduled",
                       publish_at=timezone.now() + datetime.timedelta(days=1))  # fmt: skip
    PersonFactory(slug="secret-person", is_public=False)
    GroupFactory(slug="secret-group", status=Status.DRAFT)
    FunderFactory(slug="secret-funder", is_public=False)
    EventFactory(slug="secret-event", status=Status.DRAFT)
    return publication
