import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event
from events.selectors import CALENDAR_MAX_EVENTS, CALENDAR_PAST_DAYS, calendar_events
from funders.models import Funder, Tier
from funders.sample import SUPPORTED
from groups.models import Group, GroupKind, Person, Role, SecretariatBase
from groups.sample import MAX_CO_CHAIRS
from jli.models import StoryPage

pytestmark = pytest.mark.django_db


def test_load_jli_loads_the_seven_working_groups_secretariat_bases_and_no_person():
    call_command("load_jli", verbosity=0)

    assert list(
        Group.objects.published()
        .filter(kind=GroupKind.WORKING_GROUP)
        .values_list("theme", flat=True)
    ) == [
        "History",
        "Supply",
        "Demand",
        "Africa",
        "Priority diseases",
        "Innovation",
        "Coordination",
    ]
    assert set(
        Group.objects.exclude(kind=GroupKind.WORKING_GROUP).values_list("kind", flat=True)
    ) == {
        GroupKind.SECRETARIAT,
        GroupKind.RESEARCH_WRITING,
    }
    assert list(SecretariatBase.objects.values_list("institution", "city")) == [
        ("The Rockefeller Foundation", "New York City"),
        ("John Snow Inc.", "Boston"),
        ("Global Equity Initiative, Harvard University", "Boston"),
    ]
    assert StoryPage.objects.get(is_home_intro=True).title == "Why the Joint Learning Initiative?"
    assert not Person.objects.exists()


def test_load_jli_again_changes_nothing_and_keeps_the_secretariats_edits(capsys):
    call_command("load_jli")
    Group.objects.filter(slug="supply").update(name="Supply working group (edited)")
    before = (Group.objects.count(), SecretariatBase.objects.count(), StoryPage.objects.count())

    call_command("load_jli")

    assert "nothing changed" in capsys.readouterr().out
    assert (
        Group.objects.count(),
        SecretariatBase.objects.count(),
        StoryPage.objects.count(),
    ) == before
    assert Group.objects.get(slug="supply").name == "Supply working group (edited)"


def test_seed_sample_makes_marked_sample_people_and_groups(capsys):
    call_command("seed_sample", people=30, groups=3)

    assert "SAMPLE" in capsys.readouterr().out
    people = Person.objects.all()
    assert people.count() == 30
    assert all(p.slug.startswith("sample-") and p.affiliation == "Sample data" for p in people)
    assert Group.objects.filter(name__startswith="Sample group").count() == 3
    assert all(p.memberships.exists() for p in people)


def test_seed_sample_twice_adds_more_without_clashing():
    call_command("seed_sample", people=5, groups=2, verbosity=0)
    call_command("seed_sample", people=5, groups=2, verbosity=0)
    assert Person.objects.count() == 10
    assert Group.objects.count() == 4


def test_local_admin_creates_one_superuser_in_debug_and_prints_how_to_sign_in(settings, capsys):
    from django.contrib.auth import get_user_model

    settings.DEBUG = True
    call_command("local_admin", port=8123)
    first = capsys.readouterr().out
    call_command("local_admin", port=8123)
    second = capsys.readouterr().out

    admin = get_user_model().objects.get()
    assert admin.is_superuser
    password = first.split("password '")[1].split("'")[0]
    assert admin.check_password(password)
    assert "http://127.0.0.1:8123/admin/" in first
    assert password not in second  # shown once only
    assert get_user_model().objects.count() == 1


def test_local_admin_creates_nobody_when_debug_is_off(capsys):
    from django.contrib.auth import get_user_model

    call_command("local_admin")
    assert "no local administrator is created" in capsys.readouterr().out
    assert not get_user_model().objects.exists()


def test_seed_sample_recent_events_fill_the_calendar_window():
    # The benchmark fills the calendar feed's cap at every scale with --recent-events.
    call_command(
        "seed_sample", people=5, groups=2, events=0, recent_events=130, publications=0,
        verbosity=0,
    )  # fmt: skip

    today = timezone.localdate()
    events = Event.objects.all()
    assert events.count() == 130
    assert all(e.slug.startswith("sample-") and e.title.startswith("Sample") for e in events)
    assert all(
        today - datetime.timedelta(days=CALENDAR_PAST_DAYS) < e.start_date
        and e.start_date <= today + datetime.timedelta(days=150)
        for e in events
    )
    assert len(calendar_events()) == CALENDAR_MAX_EVENTS


def test_seed_sample_gives_a_group_a_few_co_chairs_however_many_members():
    # The group page lists leaders in full: the benchmark needs the same few at every scale.
    call_command("seed_sample", people=300, groups=2, events=0, publications=0, verbosity=0)
    call_command("seed_sample", people=100, groups=0, events=0, publications=0, verbosity=0)

    for group in Group.objects.all():
        assert group.memberships.count() > 100
        assert group.memberships.filter(role=Role.CO_CHAIR).count() == MAX_CO_CHAIRS


def test_seed_sample_funders_are_marked_and_linked_to_published_sample_work(client):
    # The benchmark measures funder pages with what each funder supported on them.
    call_command("seed_sample", people=20, groups=2, events=40, publications=80, verbosity=0)
    assert not Funder.objects.exists()  # none unless asked for

    call_command(
        "seed_sample", people=0, groups=0, events=0, publications=0, funders=6, verbosity=0
    )

    funders = list(Funder.objects.order_by("pk"))
    assert [f.slug for f in funders] == [f"sample-funder-{n}" for n in range(1, 7)]
    assert all(f.name.startswith("Sample funder") for f in funders)
    assert all("sample" in f.acknowledgement for f in funders)
    assert [f.tier for f in funders] == list(Tier) * 2
    for funder in funders:
        publications, events = SUPPORTED[funder.tier]
        assert funder.publications.count() == publications
        assert funder.events.count() == events
        assert funder.publications.published().count() == publications
        assert funder.events.published().count() == events
        assert all(p.slug.startswith("sample-") for p in funder.publications.all())
        assert all(e.slug.startswith("sample-") for e in funder.events.all())

    first = funders[0]
    page = client.get(first.get_absolute_url()).content.decode()
    # The funder's page shows its newest publications and links to all of them, listed.
    listed = client.get(f"/publications/?funder={first.slug}").content.decode()
    assert f'href="/publications/?funder={first.slug}"' in page
    assert all(f'href="{p.get_absolute_url()}"' in listed for p in first.publications.all())
    assert all(f'href="{e.get_absolute_url()}"' in page for e in first.events.all())
