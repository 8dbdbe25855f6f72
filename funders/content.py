"""The JLI's funders and supporters, as its own text (`why-the-jli.txt`) thanks them.

Loaded by `manage.py load_jli`: creates what is missing (by slug) and brings a field up
to this text only where it still holds what a load wrote (core/content.py), so the
secretariat's edits survive every run. No logos are shipped.
"""

from core.content import LoadReport, remember_loaded, update_loaded
from funders.models import Funder, OrganisationKind, SupportKind, Tier

# (slug, name, acronym, kind of organisation, country, support, acknowledgement),
# in the order the text names them. Only what the text says: countries only where it
# names them (Swedish Sida; GTZ, Germany; DFID, United Kingdom). The text lists the
# partners and contributors in its "acknowledgment of financial partners"; the World
# Health Organization and the World Bank gave the initiative their support throughout.
FUNDING_PARTNERS = [
    (
        "rockefeller-foundation",
        "Rockefeller Foundation",
        "",
        OrganisationKind.FOUNDATION,
        "",
        "The Rockefeller Foundation launched the Joint Learning Initiative in November 2002 "
        "and hosted one of its three secretariat bases, in New York City.",
    ),
    (
        "sida",
        "Swedish Sida",
        "",
        OrganisationKind.BILATERAL,
        "SE",
        "Swedish Sida provided unrestricted support at a critical juncture.",
    ),
    (
        "bill-melinda-gates-foundation",
        "Bill & Melinda Gates Foundation",
        "",
        OrganisationKind.FOUNDATION,
        "",
        "The Bill & Melinda Gates Foundation encouraged openness to learning.",
    ),
    (
        "atlantic-philanthropies",
        "Atlantic Philanthropies",
        "",
        OrganisationKind.FOUNDATION,
        "",
        "The Atlantic Philanthropies provided exceptional support for the JLI's South "
        "African and overall work.",
    ),
]
CONTRIBUTORS = [
    (
        "open-society-institute",
        "Open Society Institute",
        "OSI",
        OrganisationKind.FOUNDATION,
        "",
        "A participating contributor to the Joint Learning Initiative.",
    ),
    (
        "cida",
        "Canadian International Development Agency",
        "CIDA",
        OrganisationKind.BILATERAL,
        "CA",
        "A participating contributor to the Joint Learning Initiative.",
    ),
    (
        "gtz",
        "Deutsche Gesellschaft für Technische Zusammenarbeit",
        "GTZ",
        OrganisationKind.BILATERAL,
        "DE",
        "A participating contributor to the Joint Learning Initiative.",
    ),
    (
        "dfid",
        "Department for International Development",
        "DFID",
        OrganisationKind.BILATERAL,
        "GB",
        "A participating contributor to the Joint Learning Initiative.",
    ),
]
INSTITUTIONAL_SUPPORTERS = [
    (
        "world-health-organization",
        "World Health Organization",
        "WHO",
        OrganisationKind.MULTILATERAL,
        "",
        "Throughout its two-year life, the JLI received the unstinting support of the "
        "World Health Organization.",
    ),
    (
        "world-bank",
        "World Bank",
        "",
        OrganisationKind.MULTILATERAL,
        "",
        "Throughout its two-year life, the JLI received the unstinting support of the World Bank.",
    ),
]
TIERS = [
    (Tier.FUNDING_PARTNER, SupportKind.FINANCIAL, FUNDING_PARTNERS),
    (Tier.PARTICIPATING_CONTRIBUTOR, SupportKind.FINANCIAL, CONTRIBUTORS),
    (Tier.INSTITUTIONAL_SUPPORTER, SupportKind.INSTITUTIONAL, INSTITUTIONAL_SUPPORTERS),
]


def load() -> LoadReport:
    """Create the funders the JLI's text thanks, and bring the others up to the text."""
    report = LoadReport()
    for tier, support_kind, funders in TIERS:
        for order, (slug, name, acronym, kind, country, acknowledgement) in enumerate(
            funders, start=1
        ):
            fields = {
                "name": name,
                "acronym": acronym,
                "organisation_kind": kind,
                "country": country,
                "tier": tier,
                "support_kind": support_kind,
                "acknowledgement": acknowledgement,
                "display_order": order * 10,
            }
            funder = Funder.objects.filter(slug=slug).first()
            if funder is not None:
                update_loaded(funder, fields, label=f"funder {slug}", report=report)
                continue
            funder = Funder(slug=slug, **fields)
            funder.full_clean()
            funder.save()
            remember_loaded(funder, fields)
            report.created.append(f"funder {name}")
    return report
