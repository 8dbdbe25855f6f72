"""Formatted citations are made when what they read changes, not on every page view."""

import pytest
from django.core.management import call_command

from publications import citations
from publications.models import Publication
from publications.selectors import publication_detail
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _stored_text(slug, style="vancouver"):
    return Publication.objects.get(slug=slug).citations["styles"][style]["text"]


@pytest.fixture
def cited(django_capture_on_commit_callbacks, settings):
    """A publication with two people as authors, its citations stored (after commit)."""
    settings.SITE_URL = "https://jli.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        publication = PublicationFactory(title="Human Resources for Health", slug="hrh")
        AuthorshipFactory(
            publication=publication,
            person=PersonFactory(given_name="Lincoln", family_name="Chen"),
            position=1,
        )
        AuthorshipFactory(
            publication=publication,
            person=PersonFactory(given_name="Tim", family_name="Evans"),
            position=2,
        )
    return publication


def test_citations_are_stored_when_a_publication_and_its_authors_are_saved(cited):
    assert _stored_text("hrh") == (
        "Chen L, Evans T. Human Resources for Health [Working paper] [Internet]. 2004. "
        "Available from: https://jli.example.org/publications/hrh/"
    )


def test_a_page_shows_the_stored_citations_without_formatting_them(cited, monkeypatch):
    publication = publication_detail(slug="hrh")
    expected = citations.render_citations(publication)

    def no_citeproc(*args, **kwargs):
        raise AssertionError("citeproc ran on a page view")

    monkeypatch.setattr(citations, "_render", no_citeproc)
    shown = citations.formatted_citations(publication)

    assert [(key, str(html), text) for key, _label, html, text in shown] == [
        (key, style["html"], style["text"]) for key, style in expected["styles"].items()
    ]


def test_a_new_title_changes_the_stored_citation(cited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cited.title = "Overcoming the Crisis"
        cited.save()

    assert _stored_text("hrh").startswith("Chen L, Evans T. Overcoming the Crisis [Working")


def test_a_new_author_order_changes_the_stored_citation(cited, django_capture_on_commit_callbacks):
    first, second = cited.authorships.order_by("position")
    with django_capture_on_commit_callbacks(execute=True):
        first.position, second.position = 2, 1
        first.save()
        second.save()

    assert _stored_text("hrh").startswith("Evans T, Chen L. Human Resources")


def test_a_removed_author_changes_the_stored_citation(cited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cited.authorships.get(position=2).delete()

    assert _stored_text("hrh").startswith("Chen L. Human Resources")


def test_a_persons_new_name_changes_the_stored_citation(cited, django_capture_on_commit_callbacks):
    person = cited.authorships.get(position=1).person
    with django_capture_on_commit_callbacks(execute=True):
        person.family_name = "Chén"
        person.save()

    assert _stored_text("hrh").startswith("Chén L, Evans T.")


def test_stale_stored_citations_are_not_shown(cited, settings):
    # Nothing saved, but the address in the citation changed.
    settings.SITE_URL = "https://hrh.example.org"

    shown = citations.formatted_citations(publication_detail(slug="hrh"))

    assert shown[0][3].endswith("Available from: https://hrh.example.org/publications/hrh/")


def test_refresh_citations_fills_publications_written_in_bulk(settings, capsys):
    settings.SITE_URL = "https://jli.example.org"
    Publication.objects.bulk_create(
        [PublicationFactory.build(title="Bulk one", slug="bulk-1"),
         PublicationFactory.build(title="Bulk two", slug="bulk-2")]
    )  # fmt: skip
    assert Publication.objects.get(slug="bulk-1").citations == {}

    call_command("refresh_citations")
    call_command("refresh_citations")

    assert _stored_text("bulk-2", "apa").startswith("Bulk two. (2004).")
    assert capsys.readouterr().out.splitlines() == [
        "Citations rendered for 2 of 2 publications.",
        "Citations rendered for 0 of 2 publications.",
    ]
