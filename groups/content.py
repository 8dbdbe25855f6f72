"""The JLI's groups and the secretariat's bases, from the JLI's own text.

No person is loaded: the source text names none. Creates what is missing and brings a
field up to this text only where it still holds what a load wrote (core/content.py).
"""

from core.content import LoadReport, remember_loaded, update_loaded
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


# What earlier versions of this loader wrote, for sites that loaded them before the
# fingerprints were kept: the research and writing team without a description (386cfe8).
EARLIER_LOADS = {
    "research-and-writing-team": {
        "description": {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    },
}


def _load_group(slug, fields, report):
    group, new = Group.objects.get_or_create(
        slug=slug, defaults={**fields, "status": Status.PUBLISHED}
    )
    if new:
        remember_loaded(group, fields)
        report.created.append(f"group {group.name}")
    else:
        update_loaded(
            group, fields, label=f"group {slug}", earlier=EARLIER_LOADS.get(slug), report=report
        )


def load() -> LoadReport:
    report = LoadReport()
    for order, (slug, name, theme) in enumerate(WORKING_GROUPS, start=1):
        fields = {
            "name": name,
            "kind": GroupKind.WORKING_GROUP,
            "theme": theme,
            "description": WORKING_GROUP_DESCRIPTION,
            "display_order": order,
        }
        _load_group(slug, fields, report)
    for slug, name, kind, description in OTHER_GROUPS:
        _load_group(slug, {"name": name, "kind": kind, "description": description}, report)
    # A base is known by its institution and city; its country and order follow the text
    # while a load wrote them.
    for order, (institution, city, country) in enumerate(SECRETARIAT_BASES, start=1):
        fields = {"country": country, "display_order": order}
        base, new = SecretariatBase.objects.get_or_create(
            institution=institution, city=city, defaults=fields
        )
        if new:
            remember_loaded(base, fields)
            report.created.append(f"secretariat base {institution}")
        else:
            update_loaded(base, fields, label=f"secretariat base {institution}", report=report)
    return report
