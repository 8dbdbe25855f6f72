"""What a funder supported, in the order the secretariat gives it on the funder's page:
the public funder page and the open data list them so, a record linked from its own
form goes to the end, and every move is in the history with who made it."""

import pytest
from django.urls import reverse

from events.models import EventFunder
from funders.models import Funder
from publications.models import Publication, PublicationFunder
from tests.factories import EventFactory, FunderFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _change_url(funder):
    return reverse("admin:funders_funder_change", args=[funder.pk])


def _funder_form(funder, publication_rows, event_rows=()):
    """The funder's change form as the browser sends it; rows are (link, position
    chosen) in the order they are on the page."""
    data = {
        "name": funder.name,
        "acronym": "",
        "slug": funder.slug,
        "organisation_kind": funder.organisation_kind,
        "country": "",
        "website": "",
        "tier": funder.tier,
        "support_kind": funder.support_kind,
        "acknowledgement_en": funder.acknowledgement,
        "display_order": str(funder.display_order),
        "is_public": "on",
        "_save": "Save",
    }
    for prefix, supported, rows in [
        ("supported_publications", "publication", publication_rows),
        ("supported_events", "event", event_rows),
    ]:
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(len(rows)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for n, (link, position) in enumerate(rows):
            data |= {
                f"{prefix}-{n}-id": str(link.pk),
                f"{prefix}-{n}-funder": str(funder.pk),
                f"{prefix}-{n}-{supported}": str(getattr(link, f"{supported}_id")),
                f"{prefix}-{n}-position": str(position),
            }
    return data


def _linked(funder, titles):
    publications = [PublicationFactory(title=title) for title in titles]
    for publication in publications:
        publication.funders.add(funder)
    return publications, list(PublicationFunder.objects.filter(funder=funder))


def _shown_order(text, titles):
    return sorted(titles, key=text.index)


def test_funder_page_in_the_admin_lists_what_it_supported_in_order_with_positions(
    editor_client,
):
    funder = FunderFactory()
    _linked(funder, ["First paper (sample)", "Second paper (sample)"])
    response = editor_client.get(_change_url(funder))
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is PublicationFunder
    )
    assert [str(form.instance.publication) for form in formset.forms] == [
        "First paper (sample)",
        "Second paper (sample)",
    ]
    # Without JavaScript each row's position is a list to choose from; the script turns
    # it into a drag handle and arrow buttons.
    assert 'name="supported_publications-0-position"' in response.text
    assert 'class="js-sortable-position"' in response.text


def test_editor_orders_what_a_funder_supported_and_the_public_pages_follow(editor_client, client):
    funder = FunderFactory(slug="wellcome-sample")
    titles = ["Alpha report (sample)", "Beta report (sample)", "Gamma report (sample)"]
    _publications, links = _linked(funder, titles)
    events = [EventFactory(title=title) for title in ("Event one (sample)", "Event two (sample)")]
    for event in events:
        event.funders.add(funder)
    event_links = list(EventFunder.objects.filter(funder=funder))

    # Gamma moved to the top without JavaScript (position 1 chosen in its list); the
    # events swapped.
    response = editor_client.post(
        _change_url(funder),
        _funder_form(
            funder,
            [(links[0], 1), (links[1], 2), (links[2], 1)],
            [(event_links[0], 2), (event_links[1], 1)],
        ),
    )

    assert response.status_code == 302
    page = client.get(funder.get_absolute_url()).text
    assert _shown_order(page, titles) == [titles[2], titles[0], titles[1]]
    assert _shown_order(page, ["Event one (sample)", "Event two (sample)"]) == [
        "Event two (sample)",
        "Event one (sample)",
    ]
    body = client.get("/api/v1/funders/wellcome-sample/").json()
    by_slug = {link.publication.slug: link.publication.title for link in links}
    assert [by_slug[slug] for slug in body["publications"]] == [titles[2], titles[0], titles[1]]
    assert body["events"] == [events[1].slug, events[0].slug]


def test_a_funder_ticked_on_a_publications_form_goes_to_the_end_of_its_order(editor_client):
    funder = FunderFactory()
    _publications, links = _linked(funder, ["Kept first (sample)", "Kept second (sample)"])
    PublicationFunder.objects.filter(pk=links[0].pk).update(position=2)
    PublicationFunder.objects.filter(pk=links[1].pk).update(position=1)
    newcomer = PublicationFactory(title="Newcomer (sample)")

    newcomer.funders.add(funder)

    assert [str(p) for p in Publication.objects.filter(funder_links__funder=funder).order_by(
        "funder_links__position"
    )] == ["Kept second (sample)", "Kept first (sample)", "Newcomer (sample)"]  # fmt: skip
    assert PublicationFunder.objects.get(publication=newcomer).position == 3


def test_the_publications_form_ticks_funders_and_keeps_their_order(editor_client):
    from tests.jli.test_secretariat_desk import _publication_form

    funder, other = FunderFactory(name="Ordered Trust (sample)"), FunderFactory()
    (first,), _links = _linked(funder, ["Already there (sample)"])
    publication = PublicationFactory(title="Ticked now (sample)")
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    assert "Ordered Trust (sample)" in editor_client.get(url).text

    data = _publication_form(publication, []) | {"funded_by": [str(funder.pk), str(other.pk)]}
    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert set(publication.funders.all()) == {funder, other}
    assert list(
        PublicationFunder.objects.filter(funder=funder).values_list("publication", flat=True)
    ) == [first.pk, publication.pk]
    # Unticked, the link goes; the funder's other links keep their places.
    data["funded_by"] = [str(other.pk)]
    assert editor_client.post(url, data).status_code == 302
    assert list(funder.publications.all()) == [first]


def test_reordering_on_the_funder_page_is_in_the_history_with_who(editor_client, editor_user):
    funder = FunderFactory()
    _publications, links = _linked(funder, ["One (sample)", "Two (sample)"])
    assert PublicationFunder.history.filter(history_type="+").count() == 2

    editor_client.post(_change_url(funder), _funder_form(funder, [(links[0], 2), (links[1], 1)]))

    moved = PublicationFunder.history.filter(history_type="~", history_user=editor_user)
    assert {(version.publication_id, version.position) for version in moved} == {
        (links[0].publication_id, 2),
        (links[1].publication_id, 1),
    }


def test_reverting_a_funder_brings_back_the_order_it_had(editor_client):
    funder = FunderFactory()
    _publications, links = _linked(funder, ["Was first (sample)", "Was second (sample)"])
    editor_client.post(_change_url(funder), _funder_form(funder, [(links[0], 1), (links[1], 2)]))
    before = Funder.history.filter(id=funder.pk).order_by("-history_date").first()
    editor_client.post(_change_url(funder), _funder_form(funder, [(links[0], 2), (links[1], 1)]))
    assert [str(p) for p in funder.publications.order_by("funder_links__position")] == [
        "Was second (sample)",
        "Was first (sample)",
    ]

    url = reverse("admin:funders_funder_history_revert", args=[funder.pk, before.history_id])
    assert editor_client.post(url).status_code == 302

    assert [str(p) for p in funder.publications.order_by("funder_links__position")] == [
        "Was first (sample)",
        "Was second (sample)",
    ]
