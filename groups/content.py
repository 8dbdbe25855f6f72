"""The JLI's groups and the secretariat's bases, from the JLI's own text.

No person is loaded: the source text names none. Creates what is missing, never
changes what exists.
"""

from core.models import Status
from groups.models import Group, GroupKind, SecretariatBase

WORKING_GROUP_DESCRIPTION = (
    "One of the seven working groups of the JLI. More than 100 members joined the seven "
    "working groups to pursue, in a decentralized manner, a learning agenda crafted by the "
    "working groups. Each group was assigned a theme and encouraged to pursue it."
)

# (slug, name, theme) in the order the JLI's text lists the themes.
WORKING_GROUPS = [
    ("history", "Working group on history", "History"),
    ("supply", "Working group on supply", "Supply"),
    ("demand", "Working group on demand", "Demand"),
    ("africa", "Working group on Africa", "Africa"),
    ("priority-diseases", "Working group on priority diseases", "Priority diseases"),
    ("innovation", "Working group on innovation", "Innovation"),
    ("coordination", "Working group on coordination", "Coordination"),
]

OTHER_GROUPS = [
    (
        "secretariat",
        "JLI secretariat",
        GroupKind.SECRETARIAT,
        "As a unique endeavor, the JLI process was supported by three secretariat bases: in "
        "New York City at the Rockefeller Foundation, and in Boston at John Snow Inc. and the "
        "Global Equity Initiative of Harvard University.",
    ),
    (
        "research-and-writing-team",
        "Research and writing team",
        GroupKind.RESEARCH_WRITING,
        # The JLI's text names the team beside the secretariat and says what the initiative's
        # research produced; it names no member of the team, so neither does this page.
        "The JLI's text lists the research and writing team beside the secretariat, as one of "
        "the parts of the initiative. Over the two years of its life, the JLI not only "
        "conducted research and analysis but also consulted widely. Its learnings were "
        "crystallized in its papers, reports, and especially the JLI Strategy Report, "
        "\u201cHuman Resources for Health: Overcoming the Crisis\u201d.",
    ),
]

# (institution, city, ISO country) as the JLI's text names them.
SECRETARIAT_BASES = [
    ("The Rockefeller Foundation", "New York City", "US"),
    ("John Snow Inc.", "Boston", "US"),
    ("Global Equity Initiative, Harvard University", "Boston", "US"),
]


def load():
    created = []
    for order, (slug, name, theme) in enumerate(WORKING_GROUPS, start=1):
        _, new = Group.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": GroupKind.WORKING_GROUP,
                "theme": theme,
                "description": WORKING_GROUP_DESCRIPTION,
                "display_order": order,
                "status": Status.PUBLISHED,
            },
        )
        if new:
            created.append(f"group {name}")
    for slug, name, kind, description in OTHER_GROUPS:
        _, new = Group.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "description": description,
                "status": Status.PUBLISHED,
            },
        )
        if new:
            created.append(f"group {name}")
    for order, (institution, city, country) in enumerate(SECRETARIAT_BASES, start=1):
        _, new = SecretariatBase.objects.get_or_create(
            institution=institution,
            city=city,
            defaults={"country": country, "display_order": order},
        )
        if new:
            created.append(f"secretariat base {institution}")
    return created
