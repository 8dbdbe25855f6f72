"""Generated sample people, groups and roles for development and benchmarks.

Everything made here is marked as sample: slugs start with "sample-", affiliations
read "Sample data", group names start with "Sample". Never loaded by `make run`.
"""

from django_countries import countries

from core.models import Status
from groups.models import Group, GroupKind, Membership, Person, Role

GIVEN = [
    "Amina",
    "Kofi",
    "Lucia",
    "Ravi",
    "Mei",
    "Jonas",
    "Fatou",
    "Diego",
    "Sara",
    "Tomas",
    "Nadia",
    "Kwame",
    "Elena",
    "Zainab",
]
FAMILY = [
    "Mensah",
    "Okafor",
    "Silva",
    "Sharma",
    "Chen",
    "Berg",
    "Diallo",
    "Garcia",
    "Novak",
    "Haddad",
    "Kimura",
    "Mwangi",
]
BATCH = 2000
# A group has a few co-chairs however many members it has (sample data, not the JLI's
# record): the group page lists its leaders in full, and the benchmark compares the same
# page at every scale.
MAX_CO_CHAIRS = 3


def generate(*, people, groups, rng):
    """Create `groups` sample groups and `people` sample people, each with one or two roles."""
    codes = [code for code, _ in countries]
    start = Group.objects.filter(slug__startswith="sample-").count()
    new_groups = Group.objects.bulk_create(
        Group(
            name=f"Sample group {n}",
            slug=f"sample-group-{n}",
            kind=rng.choice([GroupKind.WORKING_GROUP, GroupKind.ADVISORY, GroupKind.OTHER]),
            theme="Sample data",
            description="Generated sample data, not part of the JLI's record.",
            display_order=100 + n,
            status=Status.PUBLISHED,
        )
        for n in range(start + 1, start + groups + 1)
    )
    all_groups = new_groups or list(Group.objects.filter(slug__startswith="sample-"))
    first = Person.objects.filter(slug__startswith="sample-").count() + 1
    co_chairs = dict.fromkeys((group.pk for group in all_groups), 0)
    for group_id in Membership.objects.filter(group__in=all_groups, role=Role.CO_CHAIR).values_list(
        "group_id", flat=True
    ):
        co_chairs[group_id] += 1

    def role(group):
        if rng.random() < 0.05 and co_chairs[group.pk] < MAX_CO_CHAIRS:
            co_chairs[group.pk] += 1
            return Role.CO_CHAIR
        return Role.MEMBER

    made = 0
    for offset in range(0, people, BATCH):
        batch = [
            Person(
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                slug=f"sample-person-{n}",
                affiliation="Sample data",
                country=rng.choice(codes),
                bio="Generated sample person, not part of the JLI's record.",
                is_public=rng.random() > 0.05,
            )
            for n in range(first + offset, first + min(offset + BATCH, people))
        ]
        Person.objects.bulk_create(batch)
        saved = Person.objects.filter(slug__in=[p.slug for p in batch])
        Membership.objects.bulk_create(
            Membership(
                person=person,
                group=group,
                role=role(group),
            )
            for person in saved
            for group in rng.sample(all_groups, k=min(len(all_groups), rng.choice([1, 2])))
        )
        made += len(batch)
    return {"groups": len(new_groups), "people": made}
