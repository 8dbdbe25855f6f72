import random

import pytest
from django.core.management import call_command

from core.models import Status
from publications import sample
from publications.models import DatePrecision, Publication, PublicationKind
from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db

STRATEGY = "human-resources-for-health-overcoming-the-crisis"


def test_load_jli_adds_the_strategy_report_and_brochure_as_the_text_gives_them(client):
    call_command("load_jli", verbosity=0)

    report = Publication.objects.get(slug=STRATEGY)
    brochure = Publication.objects.get(slug="jli-brochure")
    assert (report.kind, report.date_display, report.is_featured, report.status) == (
        PublicationKind.STRATEGY_REPORT,
        "2004",
        True,
        Status.PUBLISHED,
    )
    assert (brochure.kind, brochure.published_on, brochure.date_precision) == (
        PublicationKind.BROCHURE,
        None,
        DatePrecision.UNKNOWN,
    )
    for publication in (report, brochure):
        assert [a.display_name for a in publication.authorships.all()] == [
            "Joint Learning Initiative"
        ]
        assert (publication.abstract, publication.isbn, publication.file.name) == ("", "", "")
        page = client.get(publication.get_absolute_url()).text
        assert "This document is not available online." in page
    assert "Human Resources for Health" in client.get("/").text


def test_load_jli_again_changes_nothing():
    call_command("load_jli", verbosity=0)
    Publication.objects.filter(slug=STRATEGY).update(title="Edited by the secretariat")
    call_command("load_jli", verbosity=0)
    assert Publication.objects.count() == 2
    assert Publication.objects.get(slug=STRATEGY).title == "Edited by the secretariat"
    assert Publication.objects.get(slug=STRATEGY).authorships.count() == 1


def test_sample_publications_have_authors_groups_topics_and_say_they_are_sample():
    real = GroupFactory(slug="africa")
    GroupFactory(slug="sample-group-1")
    GroupFactory(slug="sample-group-2")
    for n in range(3):
        PersonFactory(slug=f"sample-person-{n}")

    made = sample.generate(publications=25, rng=random.Random(1))

    assert made == {"publications": 25, "topics": 6}
    publications = Publication.objects.all()
    assert publications.count() == 25
    assert all(p.slug.startswith("sample-") and p.title.startswith("Sample") for p in publications)
    assert all(p.abstract == sample.ABSTRACT for p in publications)
    assert all(p.authorships.exists() for p in publications)
    assert Publication.groups.through.objects.exists()
    assert not real.publications.exists()  # real groups never list sample publications
    assert Publication.topics.through.objects.exists()
    # Running it again adds more without clashing.
    sample.generate(publications=5, rng=random.Random(2))
    assert Publication.objects.count() == 30


def test_seed_sample_command_accepts_a_publication_count():
    call_command("seed_sample", people=5, groups=2, publications=7, verbosity=0)
    assert Publication.objects.filter(slug__startswith="sample-").count() == 7
