"""Generated sample funders for development and benchmarks.

Everything made here says it is sample: slugs start with "sample-", names with
"Sample", every acknowledgement says so. Never loaded by `make run`.
"""

from django_countries import countries

from funders.models import Funder, OrganisationKind, SupportKind, Tier

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
    """Create `funders` sample funders; returns them.

    What each supported is linked from above (funders sit below publications and
    events): `publications.sample.link_funders` and `events.sample.link_funders`, as
    many as SUPPORTED says for the funder's tier.
    """
    codes = [code for code, _ in countries]
    first = Funder.objects.filter(slug__startswith="sample-").count() + 1
    return Funder.objects.bulk_create(_funder(n, rng, codes) for n in range(first, first + funders))
