"""The JLI's own publications, from what its text (`why-the-jli.txt`) says of them.

The text names the Strategy Report, "Human Resources for Health: Overcoming the Crisis"
(2004), and the JLI brochure (no date given). Nothing else is known, so nothing else is
recorded: no abstract, no ISBN, no file, no named authors (both are the initiative's own,
so the Joint Learning Initiative is their corporate author). Creates what is missing and
brings a field up to this text only where it still holds what a load wrote
(core/content.py).
"""

import datetime

from core.content import LoadReport, remember_loaded, update_loaded
from core.models import Status
from publications.models import Authorship, DatePrecision, Publication, PublicationKind

JLI = "Joint Learning Initiative"

PUBLICATIONS = [
    {
        "slug": "human-resources-for-health-overcoming-the-crisis",
        "title": "Human Resources for Health",
        "subtitle": "Overcoming the Crisis",
        "kind": PublicationKind.STRATEGY_REPORT,
        "published_on": datetime.date(2004, 1, 1),
        "date_precision": DatePrecision.YEAR,
        "is_featured": True,
        "summary": (
            "The JLI Strategy Report. The initiative's learnings—crystallized in its papers, "
            "reports, and especially the JLI Strategy Report—are intended to help accelerate "
            "community, country, and global strategies to strengthen the health workforce in "
            "all countries, but especially those facing health crises."
        ),
    },
    {
        "slug": "jli-brochure",
        "title": "JLI brochure",
        "subtitle": "",
        "kind": PublicationKind.BROCHURE,
        "published_on": None,
        "date_precision": DatePrecision.UNKNOWN,
        "is_featured": False,
        "summary": (
            "The initiative's own text ends: “For further information, please see the JLI "
            "brochure.”"
        ),
    },
]


def load() -> LoadReport:
    report = LoadReport()
    for record in PUBLICATIONS:
        fields = {key: value for key, value in record.items() if key != "slug"}
        publication, new = Publication.objects.get_or_create(
            slug=record["slug"], defaults={**fields, "status": Status.PUBLISHED}
        )
        if new:
            Authorship.objects.create(
                publication=publication, name=JLI, is_organisation=True, position=1
            )
            remember_loaded(publication, fields)
            report.created.append(f"publication {publication}")
        else:
            update_loaded(publication, fields, label=f"publication {record['slug']}", report=report)
    return report
