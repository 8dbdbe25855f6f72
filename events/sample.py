"""Generated sample events for development and benchmarks.

Everything made here says it is sample: slugs start with "sample-", titles with
"Sample", summaries read "Generated sample event". Never loaded by `make run`.
"""

import datetime

from django.utils import timezone
from django_countries import countries

from core.models import Status
from events.models import Event, EventKind, ParticipantRole, Participation
from funders.sample import SUPPORTED
from groups.models import Group, Person

ZONES = ["UTC", "Africa/Nairobi", "Europe/Zurich", "America/New_York", "Asia/Bangkok"]
BATCH = 2000


# Recent sample events start between this many days before and after today: inside the
# calendar feed's window (the last CALENDAR_PAST_DAYS and everything upcoming).
RECENT_DAYS = (-330, 150)


def _start(rng, recent):
    if recent:
        today = timezone.localdate()
        return today + datetime.timedelta(days=rng.randrange(*RECENT_DAYS))
    return datetime.date(2002, 11, 1) + datetime.timedelta(days=rng.randrange(0, 9000))


def _event(n, rng, codes, recent=False):
    start = _start(rng, recent)
    timed = rng.random() < 0.4
    event = Event(
        title=f"Sample {rng.choice(EventKind.labels).lower()} {n}",
        slug=f"sample-event-{n}",
        kind=rng.choice(EventKind.values),
        start_date=start,
        end_date=start + datetime.timedelta(days=rng.choice([0, 0, 1, 2])),
        start_time=datetime.time(9, 0) if timed else None,
        end_time=datetime.time(17, 30) if timed else None,
        time_zone=rng.choice(ZONES) if timed else "",
        city="Sample city",
        country=rng.choice(codes),
        is_online=rng.random() < 0.2,
        summary="Generated sample event, not part of the JLI's record.",
        status=Status.PUBLISHED if rng.random() > 0.05 else Status.DRAFT,
    )
    # bulk_create skips save(): derive the UTC bounds here.
    event.starts_at, event.ends_at = event.compute_bounds()
    return event


def generate(*, events, rng, recent=0):
    """Create `events` sample events, each with organisers and participants from the samples.

    The first `events` are spread over 2002-2027; `recent` more start within a few months
    of today (see RECENT_DAYS), so that the calendar feed's window holds them whatever the
    date: the benchmark fills the feed's cap at every scale with them.
    """
    codes = [code for code, _ in countries]
    groups = list(Group.objects.filter(slug__startswith="sample-").values_list("pk", flat=True))
    people = list(Person.objects.filter(slug__startswith="sample-").values_list("pk", flat=True))
    first = Event.objects.filter(slug__startswith="sample-").count() + 1
    made = 0
    total = events + recent
    for offset in range(0, total, BATCH):
        batch = [
            _event(n, rng, codes, recent=n - first >= events)
            for n in range(first + offset, first + min(offset + BATCH, total))
        ]
        Event.objects.bulk_create(batch)
        saved = list(
            Event.objects.filter(slug__in=[e.slug for e in batch]).values_list("pk", flat=True)
        )
        Organisers = Event.organisers.through
        Organisers.objects.bulk_create(
            Organisers(event_id=event_id, group_id=group_id)
            for event_id in saved
            for group_id in rng.sample(groups, k=min(len(groups), rng.choice([1, 2])))
        )
        Participation.objects.bulk_create(
            Participation(
                event_id=event_id,
                person_id=person_id,
                role=ParticipantRole.CHAIR if position == 0 else ParticipantRole.PARTICIPANT,
                position=position,
            )
            for event_id in saved
            for position, person_id in enumerate(
                rng.sample(people, k=min(len(people), rng.randrange(2, 8)))
            )
        )
        made += len(batch)
    return {"events": made}


def link_funders(funders, *, rng):
    """Link each sample funder to published sample events it supported: as many as
    `funders.sample.SUPPORTED` says for its tier (fewer if there are not so many)."""
    # Sample rows only: the JLI's real record never shows a sample funder.
    events = list(
        Event.objects.published().filter(slug__startswith="sample-").values_list("pk", flat=True)
    )
    links = [
        # In the funder's order: as drawn.
        Event.funders.through(event_id=pk, funder_id=funder.pk, position=position)
        for funder in funders
        for position, pk in enumerate(
            rng.sample(events, k=min(len(events), SUPPORTED[funder.tier][1])), start=1
        )
    ]
    Event.funders.through.objects.bulk_create(links)
