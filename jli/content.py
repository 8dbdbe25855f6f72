"""The site-wide real content, from the JLI's own text (`why-the-jli.txt`).

Loaded by `manage.py load_jli`: creates what is missing and brings a field up to this
text only where it still holds what a load wrote (core/content.py), so the secretariat's
edits survive every run.
"""

from core.content import LoadReport, remember_loaded, update_loaded
from core.models import Status
from core.sanitize import sanitize_rich_text
from jli.models import StoryPage

HOME_INTRO_BODY = """
<p>Human resources – the people who provide health care and design health policy – are
central to health systems performance. Although this is widely recognized, human resources
for health and development have been grossly neglected. Strengthening the human component of
health systems is essential for global health equity, human security, and the attainment of
world health advancement, including the Millennium Development Goals.</p>
<p>The Joint Learning Initiative on Human Resources for Health and Development (JLI) was
launched in November 2002 in recognition of the centrality of the workforce for global health.
At that time, human resources for health was neglected as a critical resource for the
performance of health systems. Put simply, the workforce was invisible in the policy agenda.</p>
<p>Political deliberations and social advocacy had appropriately focused on increasing financing
and lowering prices of antiretroviral drugs for saving lives at risk to HIV/AIDS. To the founders
of the JLI, it became progressively clear that the workforce, the human backbone of all health
action, was comparatively overlooked. Human resources presented both a huge opportunity as well
as a major bottleneck to overcoming global health challenges.</p>
<p>The JLI was crafted as a multistakeholder participatory learning process with the dual aims
of landscaping human resources and recommending strategies for strengthening the workforce for
health systems. More than 100 members joined seven working groups to pursue—in a decentralized
manner—a learning agenda crafted by the working groups.</p>
"""


GOALS_BODY = """
<p>The Joint Learning Initiative was crafted as a multistakeholder, participatory learning
process with two aims: to landscape human resources for health, and to recommend strategies
for strengthening the workforce of health systems.</p>
<h2>An open, collaborative design</h2>
<p>The JLI was designed as an open, collaborative and consultative process, with a diverse
membership from around the world. More than 100 members joined seven working groups, which
pursued, in a decentralised manner, a learning agenda they crafted themselves.</p>
<p>Each working group was given a theme and encouraged to pursue it:</p>
<ul>
<li>history</li>
<li>supply</li>
<li>demand</li>
<li>Africa</li>
<li>priority diseases</li>
<li>innovation</li>
<li>coordination</li>
</ul>
<p>This open, unstructured design was meant to encourage creativity, innovation and an
unimpeded dialogue, bringing out the best of the combined expertise of its diverse
participants.</p>
<h2>Two years of learning</h2>
<p>Over the two years of its life, the JLI conducted research and analysis and also consulted
widely. Its learnings, crystallised in its papers, reports and especially the JLI Strategy
Report, are intended to help accelerate community, country and global strategies to
strengthen the health workforce in all countries, but especially in those facing health
crises.</p>
<p>The process was supported by a <a href="/about/secretariat/">secretariat on three
bases</a>.</p>
"""

SECRETARIAT_BODY = """
<p>As a unique endeavour, the JLI process was supported by a secretariat with three bases:</p>
<ul>
<li>in New York City, at the Rockefeller Foundation;</li>
<li>in Boston, at John Snow Inc.;</li>
<li>and at the Global Equity Initiative of Harvard University.</li>
</ul>
<p>The <a href="/groups/secretariat/">secretariat's group page</a> lists its bases, and the
<a href="/groups/">groups</a> pages list the secretariat, the
<a href="/groups/research-and-writing-team/">research and writing team</a> and the seven
working groups.</p>
<p>The JLI thanks the funding partners who supported the process: see the
<a href="/about/acknowledgements/">acknowledgements</a>.</p>
"""

ACKNOWLEDGEMENTS_BODY = """
<p>The JLI thanks and acknowledges the funding partners who offered flexible financing for
participation and learning.</p>
<h2>Funding partners</h2>
<p>We thank in particular:</p>
<ul>
<li>the Rockefeller Foundation, which launched the JLI;</li>
<li>Swedish Sida, which provided unrestricted support at a critical juncture;</li>
<li>the Bill &amp; Melinda Gates Foundation, which encouraged openness to learning;</li>
<li>the Atlantic Philanthropies, which provided exceptional support for our South African
and overall work.</li>
</ul>
<h2>Participating contributors</h2>
<p>Other participating contributors were the Open Society Institute (OSI), the Canadian
International Development Agency (CIDA), the Deutsche Gesellschaft für Technische
Zusammenarbeit (GTZ), Germany, and the Department for International Development (DFID),
United Kingdom.</p>
<h2>Institutional supporters</h2>
<p>Throughout its two-year life, the JLI received the unstinting support of the World Health
Organization and the World Bank.</p>
<p><a href="/funders/">All funders and supporters</a></p>
"""

SUCCESSOR_BODY = """
<p>With the publication of the JLI Strategy Report, <cite>Human Resources for Health:
Overcoming the Crisis</cite>, the momentum behind the JLI was being channelled into
strengthening existing groups and into a JLI-successor initiative, to maintain independent
perspectives and to promote the JLI's recommendations.</p>
<p>This alliance for action was to:</p>
<ul>
<li>advance learning in the field;</li>
<li>advocate for the importance of learning in the field;</li>
<li>enhance the effectiveness of all actors in human resources for health.</li>
</ul>
"""


def _one_line(html):
    # As the page stores it (StoryPage.save sanitises), so a second load finds it equal.
    return sanitize_rich_text(" ".join(html.split()))


# The story pages, from the JLI's own text rewritten for the web. (slug, fields)
STORY_PAGES = [
    (
        "why-the-jli",
        {
            "title": "Why the Joint Learning Initiative?",
            "summary": (
                "Why the JLI was launched in November 2002: the health workforce was "
                "invisible in the policy agenda."
            ),
            "body": _one_line(HOME_INTRO_BODY),
            "is_home_intro": True,
        },
    ),
    (
        "goals-and-design",
        {
            "title": "Goals and design",
            "summary": (
                "A participatory learning process: more than 100 members in seven working "
                "groups, open and decentralised, over two years."
            ),
            "body": _one_line(GOALS_BODY),
            "show_in_navigation": True,
            "navigation_order": 10,
        },
    ),
    (
        "secretariat",
        {
            "title": "The secretariat and its three bases",
            "summary": (
                "The JLI's secretariat worked from New York City, Boston and the Global "
                "Equity Initiative of Harvard University."
            ),
            "body": _one_line(SECRETARIAT_BODY),
            "navigation_order": 20,
        },
    ),
    (
        "acknowledgements",
        {
            "title": "Acknowledgements",
            "summary": (
                "The JLI thanks the funding partners who offered flexible financing for "
                "participation and learning, and its institutional supporters."
            ),
            "body": _one_line(ACKNOWLEDGEMENTS_BODY),
            "navigation_order": 30,
        },
    ),
    (
        "successor-initiative",
        {
            "title": "After the JLI",
            "summary": (
                "After the Strategy Report, a JLI-successor initiative: an alliance for "
                "action to promote the JLI's recommendations."
            ),
            "body": _one_line(SUCCESSOR_BODY),
            "show_in_navigation": True,
            "navigation_order": 40,
        },
    ),
]


# What earlier versions of this loader wrote, for sites that loaded them before the
# fingerprints were kept (core/content.py): the home introduction without the seed's
# HIV/AIDS paragraph (386cfe8, 4fac484) and the secretariat page without its links to the
# secretariat's group page and the acknowledgements (4fac484).
EARLIER_LOADS = {
    "why-the-jli": {
        "body": {"ac1ff002baecdae52da461234746e87ce74a73e3ea928b8b9f12a3c93d348525"},
    },
    "secretariat": {
        "body": {
            "88d03abc5adcaa61aabadbc1185bb643e7a5b192a59767283e1673a347e5a116",
            "c407f48e3a12ad3c943bc1239af7ab1ca857b734aa04386cd3f7385751a8df5f",
        },
    },
}

# Loaded once, then the secretariat's: which page introduces the home page.
CREATE_ONLY = {"is_home_intro"}


def load() -> LoadReport:
    """Create the missing story pages (by slug) and bring the others up to this text."""
    report = LoadReport()
    for slug, fields in STORY_PAGES:
        defaults = {**fields, "status": Status.PUBLISHED}
        if fields.get("is_home_intro") and StoryPage.objects.filter(is_home_intro=True).exists():
            # The secretariat chose another introduction; keep theirs (one is allowed).
            defaults["is_home_intro"] = False
        page, was_created = StoryPage.objects.get_or_create(slug=slug, defaults=defaults)
        synced = {name: value for name, value in fields.items() if name not in CREATE_ONLY}
        if was_created:
            remember_loaded(page, synced)
            report.created.append(f"story page {page.title}")
        else:
            update_loaded(
                page,
                synced,
                label=f"story page {slug}",
                earlier=EARLIER_LOADS.get(slug),
                report=report,
            )
    return report
