"""The detail pages' event and participant lines in Python give the templates' HTML."""

import pytest
from django.template import Context, Template
from django.utils import translation

from events.models import Event
from events.selectors import for_funder
from events.templatetags.event_lines import participant_line, supported_event_lines
from tests.factories import EventFactory, FunderFactory, ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PARTICIPANT = (
    '<li class="person-line"><a href="{{ p.person.get_absolute_url }}">'
    '{{ p.person.display_name }}</a>, <span class="role">{{ p.get_role_display }}</span>'
    '{% if p.person.affiliation %} <span class="person-line__meta">{{ p.person.affiliation }}'
    "</span>{% endif %}</li>"
)
SUPPORTED = (
    '<li><a href="{{ e.get_absolute_url }}"{% lang_of e "title" %}>{{ e.title }}</a>'
    ' <span class="muted">({{ e.get_kind_display }}, {{ e.start_date|date:"j F Y" }})</span></li>'
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_event_lines_are_the_templates_lines(language):
    event = EventFactory(title="Consultation <Oslo> & co", title_fr="")
    translated = EventFactory(title="Meeting", title_fr="Réunion")
    funder = FunderFactory()
    event.funders.add(funder)
    translated.funders.add(funder)
    with_affiliation = ParticipationFactory(
        event=event, person=PersonFactory(affiliation="Harvard & <MIT>")
    )
    without = ParticipationFactory(event=event, person=PersonFactory(affiliation=""))
    with translation.override(language):
        for participation in (with_affiliation, without):
            expected = Template(PARTICIPANT).render(Context({"p": participation}))
            assert participant_line(participation) == expected
        # A funder's page: its events' plain records (for_funder), as the template's loop
        # wrote the events.
        records = list(for_funder(funder))
        events = [Event.objects.get(pk=record.id) for record in records]
        loop = "{% load core_tags %}{% for e in events %}\n  " + SUPPORTED + "\n  {% endfor %}"
        expected = Template(loop).render(Context({"events": events}))
        assert {e.pk for e in events} == {event.pk, translated.pk}
        assert supported_event_lines(records) == expected
    assert "Harvard &amp; &lt;MIT&gt;" in participant_line(with_affiliation)
