"""What events add to the pages of people, groups, publications and funders
(core.sections)."""

from urllib.parse import urlencode

from django.urls import reverse

from core import sections
from events import selectors
from funders.models import Funder
from groups.models import Group, Person
from publications.models import Publication


def _for_group(group):
    events = selectors.for_group(group)
    return {"events": events} if events else None


def _for_person(person):
    participations = selectors.person_events(person)
    return {"participations": participations} if participations else None


def _for_publication(publication):
    events = selectors.for_publication(publication)
    return {"events": events} if events else None


def _for_funder(funder):
    events = selectors.for_funder(funder)
    if not events:
        return None
    all_url = f"{reverse('events:event_list')}?{urlencode({'funder': funder.slug})}"
    return {"events": events, "all_url": all_url}


def register():
    for model, reader, template, exists in [
        (Group, _for_group, "events/includes/_group_events.html", None),
        (
            Person,
            _for_person,
            "events/includes/_person_events.html",
            selectors.person_has_events,
        ),
        (
            Publication,
            _for_publication,
            "events/includes/_publication_events.html",
            selectors.publication_has_events,
        ),
        (Funder, _for_funder, "events/includes/_funder_events.html", None),
    ]:
        # After the publications (order 10) where both appear.
        sections.register(
            model, name="events", template=template, reader=reader, order=20, exists=exists
        )
