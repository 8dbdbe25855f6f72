"""An event's date and time, rendered in Python (event_tags.when), read as the template
it replaced did, in English and French, for every shape of event."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from events.models import Event
from events.templatetags.event_tags import when

JUNE_2, JUNE_4 = datetime.date(2003, 6, 2), datetime.date(2003, 6, 4)
NINE, FIVE = datetime.time(9, 0), datetime.time(17, 30)

# templates/events/includes/_when.html before it became the `when` tag.
WHEN_TEMPLATE = (
    "{% load i18n %}{% if event.is_all_day %}"
    '{% if event.is_multi_day %}<time datetime="{{ event.start_date|date:"Y-m-d" }}">{{ ev'
    'ent.start_date|date:"j F Y" }}</time> – <time datetime="{{ event.end_date|date:"Y-m-d'
    '" }}">{{ event.end_date|date:"j F Y" }}</time>'
    '{% else %}<time datetime="{{ event.start_date|date:"Y-m-d" }}">{{ event.start_date|da'
    'te:"j F Y" }}</time>'
    "{% endif %}"
    '{% else %}<time datetime="{{ event.start_date|date:"Y-m-d" }}T{{ event.start_time|tim'
    'e:"H:i" }}">{{ event.start_date|date:"j F Y" }}, {{ event.start_time|time:"H:i" }}</t'
    "ime>"
    "{% if event.end_time %} – "
    '{% if event.is_multi_day %}<time datetime="{{ event.end_date|date:"Y-m-d" }}T{{ event'
    '.end_time|time:"H:i" }}">{{ event.end_date|date:"j F Y" }}, {{ event.end_time|time:"H'
    ':i" }}</time>'
    '{% else %}<time datetime="{{ event.start_date|date:"Y-m-d" }}T{{ event.end_time|time:'
    '"H:i" }}">{{ event.end_time|time:"H:i" }}</time>'
    "{% endif %}"
    '{% elif event.is_multi_day %} – <time datetime="{{ event.end_date|date:"Y-m-d" }}">{{'
    ' event.end_date|date:"j F Y" }}</time>'
    '{% endif %}{% if show_zone %} <span class="event-zone">({{ event.time_zone_name }})'
    "</span>{% endif %}{% endif %}"
)


@pytest.mark.parametrize(
    ("end_date", "start_time", "end_time"),
    [
        (None, None, None),  # one whole day
        (JUNE_4, None, None),  # several whole days
        (None, NINE, None),  # a start time only
        (None, NINE, FIVE),  # a start and an end time on one day
        (JUNE_4, NINE, FIVE),  # from a day and time to another
        (JUNE_4, NINE, None),  # from a day and time, over several days
    ],
)
@pytest.mark.parametrize("show_zone", [False, True])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_when_reads_as_the_template_did(end_date, start_time, end_time, show_zone, language):
    event = Event(
        start_date=JUNE_2,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
        time_zone="Africa/Accra" if start_time else "",
    )
    with translation.override(language):
        expected = Template(WHEN_TEMPLATE).render(Context({"event": event, "show_zone": show_zone}))
        assert when(event, show_zone=show_zone) == expected
