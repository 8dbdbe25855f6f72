"""The site-wide real content, from the JLI's own text (`why-the-jli.txt`).

Loaded by `manage.py load_jli`: creates what is missing, never changes what exists,
so the secretariat's edits survive every run.
"""

from jli.models import Status, StoryPage

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
<p>The JLI was crafted as a multistakeholder participatory learning process with the dual aims
of landscaping human resources and recommending strategies for strengthening the workforce for
health systems. More than 100 members joined seven working groups to pursue—in a decentralized
manner—a learning agenda crafted by the working groups.</p>
"""


def load():
    """Create the home page introduction if it does not exist yet."""
    _, created = StoryPage.objects.get_or_create(
        slug="why-the-jli",
        defaults={
            "title": "Why the Joint Learning Initiative?",
            "summary": (
                "Why the JLI was launched in November 2002: the health workforce was "
                "invisible in the policy agenda."
            ),
            "body": " ".join(HOME_INTRO_BODY.split("\n")).replace("  ", " ").strip(),
            "status": Status.PUBLISHED,
            "is_home_intro": True,
        },
    )
    return ["story page Why the Joint Learning Initiative?"] if created else []
