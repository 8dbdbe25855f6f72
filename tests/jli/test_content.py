from io import StringIO

import pytest
from django.core.management import call_command

from core.models import LoadedValue, Status
from funders import content as funders_content
from funders.models import Funder, Tier
from funders.selectors import acknowledgements
from groups.models import Group, SecretariatBase
from jli import content as site_content
from jli.models import StoryPage
from publications import content as publications_content
from publications.models import Publication

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_jli", verbosity=0)


def test_load_jli_adds_the_funders_the_jli_text_thanks_by_tier():
    _load()

    tiers = [(tier, [f.display_name for f in funders]) for tier, _, funders in acknowledgements()]
    assert tiers == [
        (
            Tier.FUNDING_PARTNER,
            [
                "Rockefeller Foundation",
                "Swedish Sida",
                "Bill & Melinda Gates Foundation",
                "Atlantic Philanthropies",
            ],
        ),
        (
            Tier.PARTICIPATING_CONTRIBUTOR,
            [
                "Open Society Institute (OSI)",
                "Canadian International Development Agency (CIDA)",
                "Deutsche Gesellschaft für Technische Zusammenarbeit (GTZ)",
                "Department for International Development (DFID)",
            ],
        ),
        (
            Tier.INSTITUTIONAL_SUPPORTER,
            ["World Health Organization (WHO)", "World Bank"],
        ),
    ]
    assert Funder.objects.get(slug="sida").acknowledgement == (
        "Swedish Sida provided unrestricted support at a critical juncture."
    )
    assert not Funder.objects.exclude(logo="").exists()


def test_load_jli_adds_the_story_pages_published():
    _load()

    pages = StoryPage.objects.published()
    assert sorted(pages.values_list("slug", flat=True)) == [
        "acknowledgements",
        "goals-and-design",
        "secretariat",
        "successor-initiative",
        "why-the-jli",
    ]
    assert list(pages.filter(is_home_intro=True).values_list("slug", flat=True)) == ["why-the-jli"]
    assert list(
        pages.filter(show_in_navigation=True)
        .order_by("navigation_order")
        .values_list("slug", flat=True)
    ) == ["goals-and-design", "successor-initiative"]
    goals = pages.get(slug="goals-and-design").body
    assert "More than 100 members joined seven working groups" in goals
    assert "<li>priority diseases</li>" in goals
    secretariat = pages.get(slug="secretariat").body
    assert "in Boston, at John Snow Inc.;" in secretariat


def test_load_jli_again_changes_nothing_and_keeps_the_secretariats_edits():
    _load()
    Funder.objects.filter(slug="world-bank").update(acknowledgement="Edited by the secretariat.")
    StoryPage.objects.filter(slug="secretariat").update(
        title="Our secretariat", status=Status.DRAFT
    )
    Funder.objects.filter(slug="dfid").delete()
    before = (Funder.objects.count(), StoryPage.objects.count())

    _load()

    assert (Funder.objects.count(), StoryPage.objects.count()) == (before[0] + 1, before[1])
    assert Funder.objects.get(slug="world-bank").acknowledgement == "Edited by the secretariat."
    page = StoryPage.objects.get(slug="secretariat")
    assert (page.title, page.status) == ("Our secretariat", Status.DRAFT)


def test_load_jli_keeps_another_home_introduction_the_secretariat_chose():
    StoryPage.objects.create(slug="our-intro", title="Our intro", is_home_intro=True)

    _load()

    assert list(StoryPage.objects.filter(is_home_intro=True).values_list("slug", flat=True)) == [
        "our-intro"
    ]
    assert StoryPage.objects.get(slug="why-the-jli").is_home_intro is False


def test_load_jli_tells_the_seeds_whole_story():
    _load()

    why = StoryPage.objects.get(slug="why-the-jli").body
    # The seed's paragraph on HIV/AIDS and the workforce, in the story.
    for words in [
        "lowering prices of antiretroviral drugs for saving lives at risk to HIV/AIDS",
        "the human backbone of all health action",
        "both a huge opportunity as well as a major bottleneck",
    ]:
        assert words in why
    secretariat = StoryPage.objects.get(slug="secretariat").body
    assert '<a href="/about/acknowledgements/"' in secretariat
    assert '<a href="/groups/secretariat/"' in secretariat
    team = Group.objects.get(slug="research-and-writing-team").description
    assert "conducted research and analysis but also consulted widely" in team
    assert "especially the JLI Strategy Report" in team
    assert list(SecretariatBase.objects.values_list("institution", "city")) == [
        ("The Rockefeller Foundation", "New York City"),
        ("John Snow Inc.", "Boston"),
        ("Global Equity Initiative, Harvard University", "Boston"),
    ]


def test_the_secretariats_page_lists_its_three_bases(client):
    _load()

    text = client.get("/groups/secretariat/").text

    for base in [
        "The Rockefeller Foundation, New York City",
        "John Snow Inc., Boston",
        "Global Equity Initiative, Harvard University, Boston",
    ]:
        assert f"<dd>{base}</dd>" in text
    assert "<dt>Bases</dt>" in text
    team = client.get("/groups/research-and-writing-team/").text
    assert "conducted research and analysis" in team


# --- A site that loaded the content earlier ---------------------------------------------

# What the loader wrote before the seed's HIV/AIDS paragraph and the secretariat page's links
# (commit 4fac484), exactly as a site that ran it then holds it.
EARLIER_SECRETARIAT_BODY = (
    "<p>As a unique endeavour, the JLI process was supported by a secretariat with three "
    "bases:</p> <ul> <li>in New York City, at the Rockefeller Foundation;</li> <li>in Boston, "
    "at John Snow Inc.;</li> <li>and at the Global Equity Initiative of Harvard University."
    '</li> </ul> <p>The <a href="/groups/" rel="noopener noreferrer">groups</a> pages list '
    "the secretariat, the research and writing team and the seven working groups.</p>"
)
HIV_PARAGRAPH_START = "<p>Political deliberations"


def _as_an_earlier_load_left_it():
    """The site as the loader of 4fac484 left it: no fingerprints, the older texts."""
    _load()
    why = StoryPage.objects.get(slug="why-the-jli")
    start = why.body.index(HIV_PARAGRAPH_START)
    end = why.body.index("</p>", start) + len("</p> ")
    StoryPage.objects.filter(slug="why-the-jli").update(body_en=why.body[:start] + why.body[end:])
    StoryPage.objects.filter(slug="secretariat").update(body_en=EARLIER_SECRETARIAT_BODY)
    Group.objects.filter(slug="research-and-writing-team").update(description_en="")
    LoadedValue.objects.all().delete()


def _run():
    out = StringIO()
    call_command("load_jli", stdout=out)
    return out.getvalue()


def test_load_jli_brings_a_site_loaded_earlier_up_to_the_seeds_text():
    _as_an_earlier_load_left_it()
    assert "HIV/AIDS" not in StoryPage.objects.get(slug="why-the-jli").body

    output = _run()

    assert "Brought 3 fields up to the JLI's text:" in output
    for line in [
        "  story page why-the-jli: body",
        "  story page secretariat: body",
        "  group research-and-writing-team: description",
    ]:
        assert line in output.splitlines()
    why = StoryPage.objects.get(slug="why-the-jli")
    assert "lowering prices of antiretroviral drugs for saving lives at risk to HIV/AIDS" in (
        why.body
    )
    assert why.body.count(HIV_PARAGRAPH_START) == 1
    assert '<a href="/about/acknowledgements/"' in StoryPage.objects.get(slug="secretariat").body
    team = Group.objects.get(slug="research-and-writing-team").description
    assert "conducted research and analysis but also consulted widely" in team
    # The history names no user ("the system") and says why.
    latest = why.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        None,
        "Brought up to the JLI's text by load_jli",
    )


def test_load_jli_twice_changes_nothing_the_second_time():
    _as_an_earlier_load_left_it()
    _run()
    versions = StoryPage.history.count() + Group.history.count()
    fields = ("model", "object_id", "field", "fingerprint")
    fingerprints = list(LoadedValue.objects.values_list(*fields))

    output = _run()

    assert output == "JLI content already up to date; nothing changed.\n"
    assert StoryPage.history.count() + Group.history.count() == versions
    assert list(LoadedValue.objects.values_list(*fields)) == fingerprints


def test_load_jli_keeps_and_reports_an_earlier_text_the_secretariat_edited():
    _as_an_earlier_load_left_it()
    StoryPage.objects.filter(slug="secretariat").update(
        body_en="<p>The secretariat's own words.</p>"
    )

    output = _run()

    assert StoryPage.objects.get(slug="secretariat").body == "<p>The secretariat's own words.</p>"
    assert "Kept 1 fields the secretariat edited (not changed):" in output
    assert "  story page secretariat: body (edited by the secretariat)" in output.splitlines()
    # The other earlier texts still come up to the seed's.
    assert "HIV/AIDS" in StoryPage.objects.get(slug="why-the-jli").body


def test_load_jli_updates_what_it_loaded_and_keeps_what_the_secretariat_edited(monkeypatch):
    _load()
    StoryPage.objects.filter(slug="acknowledgements").update(summary_en="Edited summary.")
    StoryPage.objects.filter(slug="why-the-jli").update(body_fr="<p>Version française.</p>")
    # A newer text of the loader changes two summaries.
    newer = [
        (slug, {**fields, "summary": f"Newer summary of {slug}."})
        for slug, fields in site_content.STORY_PAGES
    ]
    monkeypatch.setattr(site_content, "STORY_PAGES", newer)

    output = _run()

    summaries = dict(StoryPage.objects.values_list("slug", "summary_en"))
    assert summaries == {
        "why-the-jli": "Newer summary of why-the-jli.",
        "goals-and-design": "Newer summary of goals-and-design.",
        "secretariat": "Newer summary of secretariat.",
        "acknowledgements": "Edited summary.",
        "successor-initiative": "Newer summary of successor-initiative.",
    }
    assert "  story page acknowledgements: summary (edited by the secretariat)" in (
        output.splitlines()
    )
    # The French version is the secretariat's: the loader writes English only.
    assert StoryPage.objects.get(slug="why-the-jli").body_fr == "<p>Version française.</p>"
    # Again: the edited summary is reported again, nothing changes.
    assert _run() == (
        "Kept 1 fields the secretariat edited (not changed):\n"
        "  story page acknowledgements: summary (edited by the secretariat)\n"
        "JLI content already up to date; nothing changed.\n"
    )


def test_load_jli_brings_funders_and_publications_up_to_the_text(monkeypatch):
    _load()
    tiers = funders_content.TIERS
    newer_supporters = [(*row[:5], "Newer text.") for row in tiers[2][2]]
    monkeypatch.setattr(funders_content, "TIERS", [*tiers[:2], (*tiers[2][:2], newer_supporters)])
    monkeypatch.setattr(
        publications_content,
        "PUBLICATIONS",
        [{**row, "subtitle": "Newer"} for row in publications_content.PUBLICATIONS],
    )

    _run()

    assert set(
        Funder.objects.filter(tier=Tier.INSTITUTIONAL_SUPPORTER).values_list(
            "acknowledgement", flat=True
        )
    ) == {"Newer text."}
    assert set(Publication.objects.values_list("subtitle", flat=True)) == {"Newer"}
