"""Reads of funders for the public pages: each owns its query plan."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.prepared import Prepared
from core.roles import may_preview
from funders.models import Funder, Tier

# The acknowledgements page's section headings, one per tier.
TIER_HEADINGS = {
    Tier.FUNDING_PARTNER: _("Funding partners"),
    Tier.PARTICIPATING_CONTRIBUTOR: _("Participating contributors"),
    Tier.INSTITUTIONAL_SUPPORTER: _("Institutional supporters"),
}


def acknowledgements():
    """Public funders grouped by tier: a list of (tier, heading, [funders]).

    Tiers come in the order `Tier` declares them (funding partners first), funders
    within a tier in the secretariat's display order. One query.
    """
    by_tier = {tier: [] for tier in Tier.values}
    for funder in Funder.objects.public().order_by("display_order", "name"):
        by_tier[funder.tier].append(funder)
    return [(tier, TIER_HEADINGS[tier], funders) for tier, funders in by_tier.items() if funders]


_FUNDING_PARTNERS = Prepared(
    lambda: (
        Funder.objects.public()
        .filter(tier=Tier.FUNDING_PARTNER)
        .only("name", "slug", "acronym")
        .order_by("display_order", "name")
    )
)


def home_acknowledgement():
    """The funding partners the home page thanks, in the secretariat's order (one query,
    compiled once per process and language: core.prepared)."""
    return _FUNDING_PARTNERS.rows()


_FUNDER = Prepared(lambda slug: Funder.objects.public().filter(slug=slug), keep_plan=True)


def funder_detail(*, slug):
    """A public funder; a hidden one answers 404 to everybody, staff included (one
    query, compiled once per process: core.prepared)."""
    return _FUNDER.get_or_404(slug=slug)


def funder_logo(*, slug, user):
    """A funder with a logo, for the logo: a hidden funder's only to staff who may view
    funders (404 otherwise)."""
    funders = Funder.objects.all() if may_preview(user, Funder) else Funder.objects.public()
    return get_object_or_404(funders.exclude(logo=""), slug=slug)
