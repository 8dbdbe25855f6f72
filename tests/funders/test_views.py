import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Status
from funders.models import Tier
from tests.factories import EventFactory, FunderFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _png(width=400, height=200):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 92, 107)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


# --- /funders/ -------------------------------------------------------------------


def test_funder_list_groups_public_funders_by_tier_in_the_secretariats_order(client):
    FunderFactory(name="World Bank", tier=Tier.INSTITUTIONAL_SUPPORTER)
    FunderFactory(name="Zeta Foundation", tier=Tier.FUNDING_PARTNER, display_order=1)
    FunderFactory(name="Alpha Foundation", tier=Tier.FUNDING_PARTNER, display_order=2)
    FunderFactory(name="CIDA", tier=Tier.PARTICIPATING_CONTRIBUTOR)
    FunderFactory(name="Hidden Trust", tier=Tier.FUNDING_PARTNER, is_public=False)

    response = client.get(reverse("funders:funder_list"))

    tiers = [
        (str(heading), [f.name for f in funders])
        for _, heading, funders in response.context["tiers"]
    ]
    assert tiers == [
        ("Funding partners", ["Zeta Foundation", "Alpha Foundation"]),
        ("Participating contributors", ["CIDA"]),
        ("Institutional supporters", ["World Bank"]),
    ]
    assert "Hidden Trust" not in response.text


def test_funder_list_shows_acknowledgement_acronym_and_link(client):
    funder = FunderFactory(
        name="Open Society Institute",
        acronym="OSI",
        acknowledgement="A participating contributor.\nThanks & more.",
    )

    response = client.get(reverse("funders:funder_list"))

    assert (
        f'<a href="{funder.get_absolute_url()}">Open Society Institute (OSI)</a>' in response.text
    )
    assert "<p>A participating contributor.<br>Thanks &amp; more.</p>" in response.text


def test_funder_list_with_no_funders_says_so(client):
    response = client.get(reverse("funders:funder_list"))
    assert response.context["tiers"] == []
    assert "No funders are listed yet." in response.text


def test_funder_logo_is_a_thumbnail_with_the_funders_name_as_alt_text(client):
    funder = FunderFactory(name="Rockefeller Foundation", logo=_png(1200, 600))

    response = client.get(reverse("funders:funder_list"))

    assert (
        f'<img class="funder__logo" src="/funders/{funder.slug}/logo/" '
        'alt="Rockefeller Foundation" loading="lazy">' in response.text
    )
    # The logo's address serves the thumbnail, through a view that checks the funder is
    # public (core/media.py).
    logo = client.get(f"/funders/{funder.slug}/logo/")
    image = Image.open(io.BytesIO(b"".join(logo.streaming_content)))
    assert image.size == (240, 120)


def test_funder_without_logo_has_no_image(client):
    FunderFactory(name="World Bank")
    response = client.get(reverse("funders:funder_list"))
    assert 'class="funder__logo"' not in response.text  # (the header's wordmark is an image)


@pytest.mark.parametrize("count", [1, 3])
def test_funder_list_query_count_is_fixed(client, page_queries, count):
    for tier in list(Tier.values)[:count]:
        FunderFactory(tier=tier)
    FunderFactory.create_batch(count)
    # 2 queries: the public funders in display order; the header's story pages.
    with page_queries(2):
        client.get(reverse("funders:funder_list"))


# --- /funders/<slug>/ --------------------------------------------------------------


def test_funder_page_shows_acknowledgement_and_facts(client):
    funder = FunderFactory(
        name="Department for International Development",
        acronym="DFID",
        country="GB",
        tier=Tier.PARTICIPATING_CONTRIBUTOR,
        website="https://example.org/dfid",
        acknowledgement="A participating contributor to the Joint Learning Initiative.",
    )

    response = client.get(funder.get_absolute_url())

    assert response.context["funder"] == funder
    assert "<h1>Department for International Development (DFID)</h1>" in response.text
    assert '<p class="eyebrow">Participating contributor</p>' in response.text
    assert "<dt>Country</dt><dd>United Kingdom</dd>" in response.text
    assert "A participating contributor to the Joint Learning Initiative." in response.text
    assert 'href="https://example.org/dfid"' in response.text


def test_hidden_funder_is_404_for_every_persona(persona):
    _, client = persona
    funder = FunderFactory(is_public=False)
    assert client.get(funder.get_absolute_url()).status_code == 404


def test_unknown_funder_is_404(client):
    assert client.get(reverse("funders:funder_detail", args=["nobody"])).status_code == 404


def test_funder_page_lists_only_published_supported_publications_and_events(client):
    funder = FunderFactory()
    older = PublicationFactory(
        title="Working paper on supply", published_on=datetime.date(2003, 1, 1)
    )
    newer = PublicationFactory(title="Strategy Report", published_on=datetime.date(2004, 1, 1))
    draft = PublicationFactory(title="Draft paper", status=Status.DRAFT)
    scheduled = PublicationFactory(
        title="Scheduled paper",
        publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
    )
    PublicationFactory(title="Someone else's paper")
    event = EventFactory(title="Consultation in Nairobi")
    hidden_event = EventFactory(title="Draft workshop", status=Status.DRAFT)
    for item in (older, newer, draft, scheduled):
        item.funders.add(funder)
    for item in (event, hidden_event):
        item.funders.add(funder)

    response = client.get(funder.get_absolute_url())

    # In the funder's order: each link added goes to its end (funders.models.to_the_end).
    # Plain records of what the lines show (publications.selectors.funder_publications,
    # events.selectors.for_funder).
    assert [p.id for p in response.context["publications"]] == [older.pk, newer.pk]
    assert [e.id for e in response.context["events"]] == [event.pk]
    assert "What it supported" in response.text
    for hidden in ("Draft paper", "Scheduled paper", "Someone else", "Draft workshop"):
        assert hidden not in response.text


def test_funder_page_without_supported_items_has_no_section(client):
    funder = FunderFactory()
    assert "What it supported" not in client.get(funder.get_absolute_url()).text


@pytest.mark.parametrize("count", [1, 3])
def test_funder_page_query_count_is_fixed(client, page_queries, count):
    funder = FunderFactory()
    for _ in range(count):
        PublicationFactory().funders.add(funder)
        EventFactory().funders.add(funder)
    # 4 queries: the funder; its published publications; its published events; the
    # header's story pages.
    with page_queries(4):
        client.get(funder.get_absolute_url())


# --- home page -------------------------------------------------------------------


def test_home_thanks_the_public_funding_partners_in_order(client):
    FunderFactory(name="Second", display_order=2)
    FunderFactory(name="First", display_order=1)
    FunderFactory(name="Hidden", is_public=False)
    FunderFactory(name="World Bank", tier=Tier.INSTITUTIONAL_SUPPORTER)

    response = client.get(reverse("home"))

    assert [f.name for f in response.context["funding_partners"]] == ["First", "Second"]
    assert "With thanks to our funding partners" in response.text
    assert "Hidden" not in response.text
    assert f'href="{reverse("funders:funder_list")}"' in response.text


def test_sitemaps_list_only_public_funders_and_published_story_pages():
    from funders.sitemaps import FunderSitemap
    from jli.sitemaps import StoryPageSitemap
    from tests.factories import StoryPageFactory

    shown = FunderFactory()
    FunderFactory(is_public=False)
    page = StoryPageFactory()
    StoryPageFactory(status=Status.DRAFT)

    assert list(FunderSitemap().items()) == [shown]
    assert list(StoryPageSitemap().items()) == [page]
