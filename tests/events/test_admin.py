import datetime

import pytest
from django.urls import reverse

from core.models import Status
from events.models import Event, Participation
from tests.factories import EventFactory, GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:events_event_add")
LIST_URL = reverse("admin:events_event_changelist")


TRANSLATED = ("title", "summary", "description", "outcomes")


def _form(**overrides):
    data = {
        "kind": "consultation",
        "title": "Consultation in Accra",
        "slug": "consultation-in-accra",
        "summary": "",
        "start_date": "2003-06-02",
        "end_date": "",
        "start_time": "",
        "end_time": "",
        "time_zone": "",
        "venue": "",
        "city": "Accra",
        "country": "GH",
        "online_url": "",
        "description": "",
        "outcomes": "",
        "status": "published",
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    # The fields with French versions are posted as their English ones (events/translation.py).
    return {f"{key}_en" if key in TRANSLATED else key: value for key, value in data.items()}


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
def test_event_admin_is_for_the_secretariat_only(request, persona_name, allowed):
    client = request.getfixturevalue(persona_name)
    EventFactory(title="Listed consultation")
    response = client.get(LIST_URL)
    if allowed:
        assert response.status_code == 200
        assert "Listed consultation" in response.text
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_editor_records_an_event_with_organisers_and_a_participant(editor_client):
    groups = [GroupFactory(), GroupFactory()]
    person = PersonFactory()
    data = _form(
        organisers=[g.pk for g in groups],
        **{
            "participations-TOTAL_FORMS": "1",
            "participations-0-person": str(person.pk),
            "participations-0-role": "chair",
            "participations-0-position": "0",
        },
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302
    event = Event.objects.get(slug="consultation-in-accra")
    assert set(event.organisers.all()) == set(groups)
    assert [(p.person, p.role) for p in event.participations.all()] == [(person, "chair")]
    assert event.ends_at == datetime.datetime(2003, 6, 2, 23, 59, 59, 999999, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_time": "09:00"}, "An event with a time needs a time zone."),
        ({"end_date": "2003-06-01"}, "An event cannot end before it starts."),
        (
            {"start_time": "14:00", "end_time": "09:00", "time_zone": "Africa/Accra"},
            "An event cannot end before it starts.",
        ),
        ({"time_zone": "Nowhere/Atlantis"}, "Select a valid choice."),
        ({"start_date": "not a date"}, "Enter a valid date."),
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 301}, "Ensure this value has at most 300 characters"),
    ],
)
def test_bad_input_is_refused_on_the_field_and_nothing_is_saved(editor_client, overrides, message):
    response = editor_client.post(ADD_URL, _form(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert Event.objects.count() == 0
    # What was typed comes back in the form.
    assert 'value="Accra"' in response.text


def test_bad_edit_leaves_the_saved_event_unchanged(editor_client):
    event = EventFactory(
        title="Kept", slug="kept", city="Accra", start_date=datetime.date(2003, 6, 2)
    )
    url = reverse("admin:events_event_change", args=[event.pk])
    response = editor_client.post(
        url, _form(title="Changed", slug="kept", start_time="10:00", time_zone="")
    )
    assert response.status_code == 200
    assert "An event with a time needs a time zone." in response.text
    # The message sits on the time zone field.
    assert (
        "field-time_zone"
        in response.text.split("An event with a time needs a time zone.")[0][-2000:]
    )
    event.refresh_from_db()
    assert (event.title, event.start_time) == ("Kept", None)


def test_hostile_html_in_description_is_stored_but_shown_sanitised(editor_client, client):
    editor_client.post(ADD_URL, _form(description='<p onclick="x()">Hi</p><script>bad()</script>'))
    event = Event.objects.get()
    text = client.get(event.get_absolute_url()).text
    assert "<p>Hi</p>" in text
    assert "bad()" not in text
    assert "onclick" not in text


def test_bulk_publish_and_unpublish(editor_client):
    drafts = EventFactory.create_batch(2, status=Status.DRAFT)
    response = editor_client.post(
        LIST_URL,
        {"action": "publish", "_selected_action": [e.pk for e in drafts]},
        follow=True,
    )
    assert "2 events published." in response.text
    assert set(Event.objects.published()) == set(drafts)
    editor_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [drafts[0].pk]})
    assert list(Event.objects.published()) == [drafts[1]]


def test_admin_list_filters_by_year_kind_group_and_searches(editor_client):
    group = GroupFactory()
    EventFactory(title="Early", start_date=datetime.date(2003, 1, 1), kind="workshop")
    EventFactory(title="Late", start_date=datetime.date(2004, 1, 1)).organisers.add(group)

    def titles(params):
        return [e.title for e in editor_client.get(LIST_URL, params).context["cl"].result_list]

    assert titles({"year": "2003"}) == ["Early"]
    assert titles({"kind__exact": "workshop"}) == ["Early"]
    assert titles({"organisers__id__exact": group.pk}) == ["Late"]
    assert titles({"q": "late"}) == ["Late"]


def test_participant_autocomplete_finds_people(editor_client):
    PersonFactory(given_name="Kofi", family_name="Mensah")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "kofi",
            "app_label": "events",
            "model_name": "participation",
            "field_name": "person",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Kofi Mensah"]
    assert Participation.objects.count() == 0
