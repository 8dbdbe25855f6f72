import pytest
from django.core.management import call_command

from core.models import Status
from funders.models import Funder, Tier
from funders.selectors import acknowledgements
from groups.models import Group, SecretariatBase
from jli.models import StoryPage

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
