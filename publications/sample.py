"""Generated sample publications for development and benchmarks.

Everything made here says it is sample: slugs start with "sample-", titles with
"Sample", topics with "Sample topic", and every abstract says so. Never loaded by
`make run`.
"""

import datetime
import functools
import random

from core.models import Status
from funders.sample import SUPPORTED
from groups.models import Group, Person
from publications.models import (
    Authorship,
    DatePrecision,
    Publication,
    PublicationKind,
    TextStatus,
    Topic,
)

TOPICS = ["supply", "demand", "migration", "education", "financing", "community health"]
BATCH = 2000
FIRST_DAY = datetime.date(2002, 11, 1)
DAYS = (datetime.date(2004, 12, 31) - FIRST_DAY).days
ABSTRACT = "Generated sample publication, not part of the JLI's record."
# The sample "PDF text": TEXT_PAGES pages of about PAGE_CHARACTERS characters each, the
# words drawn from VOCABULARY, so that search is measured over records the size of a short
# report (bench/README.md). "health" is in the vocabulary (the broad word of the
# benchmark); "workforce" is not (its rare word).
TEXT_PAGES = 3
PAGE_CHARACTERS = 2500
PAGE_POOL = 200
WORDS = (
    "health care service district nurse midwife doctor clinic hospital training "
    "school country policy budget salary rural urban retention incentive survey data "
    "ministry planning report staff community worker outcome patient access quality "
    "review programme evidence study region national local primary referral "
    "supervision skill graduate student curriculum shortage distribution recruitment "
    "financing partner agency strategy target indicator progress year month meeting "
    "committee the of and in to for with on by from a an is are was were this that "
    "these their"
)
VOCABULARY = WORDS.split()


def _topics():
    topics = []
    for name in TOPICS:
        topic, _ = Topic.objects.get_or_create(
            slug=f"sample-{name.replace(' ', '-')}", defaults={"name": f"Sample topic: {name}"}
        )
        topics.append(topic)
    return topics


@functools.cache
def _pages():
    """PAGE_POOL pages of sample text, made once (seeded): each publication's text is a
    few of them, so that 100,000 texts cost little more than picking them."""
    rng = random.Random(PAGE_POOL)
    return [" ".join(rng.choices(VOCABULARY, k=PAGE_CHARACTERS // 7)) for _ in range(PAGE_POOL)]


def _text(n, rng):
    """A few pages of sample text, a form feed between pages (as extracted from a PDF)."""
    pages = _pages()
    chosen = [pages[rng.randrange(PAGE_POOL)] for _ in range(TEXT_PAGES)]
    return f"Sample text of sample publication {n}.\n" + "\f".join(chosen)


def _publication(n, rng):
    precision = rng.choice(
        [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY, DatePrecision.UNKNOWN]
    )
    day = None
    if precision != DatePrecision.UNKNOWN:
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
        if precision == DatePrecision.YEAR:
            day = day.replace(month=1, day=1)
        elif precision == DatePrecision.MONTH:
            day = day.replace(day=1)
    kind = rng.choice([k for k in PublicationKind.values if k != PublicationKind.STRATEGY_REPORT])
    return Publication(
        title=f"Sample {PublicationKind(kind).label.lower()} {n}",
        slug=f"sample-publication-{n}",
        kind=kind,
        published_on=day,
        date_precision=precision,
        abstract=ABSTRACT,
        publisher="Sample data",
        series="Sample series" if kind == PublicationKind.WORKING_PAPER else "",
        number=str(n) if kind == PublicationKind.WORKING_PAPER else "",
        status=Status.PUBLISHED if rng.random() > 0.05 else Status.DRAFT,
        text=_text(n, rng),
        text_status=TextStatus.EXTRACTED,
    )


def generate(*, publications, rng):
    """Create `publications` sample publications with authors, groups and topics."""
    topics = _topics()
    # Sample groups only: the JLI's real groups never list sample publications.
    groups = list(Group.objects.filter(slug__startswith="sample-").values_list("pk", flat=True))
    people = list(Person.objects.filter(slug__startswith="sample-").values_list("pk", flat=True))
    first = Publication.objects.filter(slug__startswith="sample-").count() + 1
    made = 0
    for offset in range(0, publications, BATCH):
        numbers = range(first + offset, first + min(offset + BATCH, publications))
        batch = Publication.objects.bulk_create(_publication(n, rng) for n in numbers)
        # bulk_create returns primary keys on PostgreSQL and on SQLite 3.35+.
        authorships, in_groups, on_topics = [], [], []
        for publication in batch:
            for position in range(1, rng.choice([1, 2, 3]) + 1):
                if people and rng.random() < 0.8:
                    authorships.append(
                        Authorship(
                            publication=publication, person_id=rng.choice(people), position=position
                        )
                    )
                else:
                    authorships.append(
                        Authorship(
                            publication=publication,
                            name=f"Sample Author {rng.randrange(1000)}",
                            position=position,
                        )
                    )
            for group_id in rng.sample(groups, k=min(len(groups), rng.choice([0, 1, 2]))):
                in_groups.append(
                    Publication.groups.through(publication_id=publication.pk, group_id=group_id)
                )
            for topic in rng.sample(topics, k=rng.choice([0, 1, 2])):
                on_topics.append(
                    Publication.topics.through(publication_id=publication.pk, topic_id=topic.pk)
                )
        Authorship.objects.bulk_create(authorships)
        Publication.groups.through.objects.bulk_create(in_groups)
        Publication.topics.through.objects.bulk_create(on_topics)
        made += len(batch)
    return {"publications": made, "topics": len(topics)}


def link_funders(funders, *, rng):
    """Link each sample funder to published sample publications it supported: as many as
    `funders.sample.SUPPORTED` says for its tier (fewer if there are not so many)."""
    # Sample rows only: the JLI's real record never shows a sample funder.
    publications = list(
        Publication.objects.published()
        .filter(slug__startswith="sample-")
        .values_list("pk", flat=True)
    )
    links = [
        # In the funder's order: as drawn.
        Publication.funders.through(publication_id=pk, funder_id=funder.pk, position=position)
        for funder in funders
        for position, pk in enumerate(
            rng.sample(publications, k=min(len(publications), SUPPORTED[funder.tier][0])), start=1
        )
    ]
    Publication.funders.through.objects.bulk_create(links)
