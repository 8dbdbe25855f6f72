"""Generated sample funders for development and benchmarks.

Everything made here says it is sample: slugs start with "sample-", names with
"Sample", every acknowledgement says so. Never loaded by `make run`.
"""

from django_countries import countries

from events.models import Event
from funders.models import Funder, OrganisationKind, SupportKind, Tier
from publications.models import Publication

# How many sample publications and events a funder of each tier supported. The same at
# every scale, so that a funder's page is the same page however large the archive is
# (the page lists everything its funder supported). Tiers take turns: funder 1 is a
# funding partner, 2 a contributor, 3 an institutional supporter, 4 a funding partner...
SUPPORTED = {
    Tier.FUNDING_PARTNER: (12, 6),
    Tier.PARTICIPATING_CONTRIBUTOR: (6, 3),
    Tier.INSTITUTIONAL_SUPPORTER: (3, 1),
}
# Every twentieth sample funder is hidden from the public (its page answers 404).
HIDDEN_EVERY = 20


def _funder(n, rng, codes):
    tiers = list(Tier)
    return Funder(
        name=f"Sample funder {n}",
        slug=f"sample-funder-{n}",
        organisation_kind=rng.choice(OrganisationKind.values),
        country=rng.choice(codes),
        tier=tiers[(n - 1) % len(tiers)],
        support_kind=rng.choice(SupportKind.values),
        acknowledgement="Generated sample funder, not part of the JLI's record.",
        display_order=100 + n,
        is_public=n % HIDDEN_EVERY != 0,
    )


def generate(*, funders, rng):
    """Create `funders` sample funders, each linked to published sample publications and
    events it supported (as many as SUPPORTED says for its tier, fewer if there are not
    so many). Run it after the publications and events exist."""
    codes = [code for code, _ in countries]
    first = Funder.objects.filter(slug__startswith="sample-").count() + 1
    made = Funder.objects.bulk_create(_funder(n, rng, codes) for n in range(first, first + funders))
    # Sample rows only: the JLI's real record never shows a sample funder.
    publications = list(
        Publication.objects.published()
        .filter(slug__startswith="sample-")
        .values_list("pk", flat=True)
    )
    events = list(
        Event.objects.published().filter(slug__startswith="sample-").values_list("pk", flat=True)
    )
    supported_publications, supported_events = [], []
    for funder in made:
        count_publications, count_events = SUPPORTED[funder.tier]
        supported_publications += [
            Publication.funders.through(publication_id=pk, funder_id=funder.pk)
            for pk in rng.sample(publications, k=min(len(publications), count_publications))
        ]
        supported_events += [
            Event.funders.through(event_id=pk, funder_id=funder.pk)
            for pk in rng.sample(events, k=min(len(events), count_events))
        ]
    Publication.funders.through.objects.bulk_create(supported_publications)
    Event.funders.through.objects.bulk_create(supported_events)
    return {"funders": len(made)}
