"""Site-wide search, on whichever database the suite runs on (SQLite and PostgreSQL run
the same tests: CI runs the suite on both)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Status
from publications.models import Authorship, PublicationKind
from search import engine
from search.models import SearchDocument
from search.query import parse
from search.text import snippet
from tests.factories import (
    EventFactory,
    FunderFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
    StoryPageFactory,
)

pytestmark = pytest.mark.django_db


def titles(text, **filters):
    found = engine.search(text, **filters)
    return [doc.title for doc in found.page] if found.page else []


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- What is found ---------------------------------------------------------------


def test_every_kind_of_public_record_is_found(indexed):
    with indexed():
        PublicationFactory(title="Zanzibar workforce report")
        PersonFactory(given_name="Zanzibar", family_name="Person", bio="A planner.")
        GroupFactory(name="Zanzibar group")
        EventFactory(title="Zanzibar consultation")
        FunderFactory(name="Zanzibar Trust")
        StoryPageFactory(title="Zanzibar story", body="<p>Text</p>")

    found = engine.search("zanzibar")

    assert sorted(doc.kind for doc in found.page) == [
        "event", "funder", "group", "page", "person", "publication",
    ]  # fmt: skip
    assert found.count == 6


def test_unpublished_records_are_never_found_nor_counted(indexed):
    now = timezone.now()
    group = GroupFactory(name="Hidden quokka group", status=Status.DRAFT)
    with indexed():
        PublicationFactory(title="Quokka report")
        draft = PublicationFactory(title="Quokka draft twin", status=Status.DRAFT)
        draft.groups.add(group)
        PublicationFactory(title="Quokka scheduled", publish_at=now + datetime.timedelta(days=1))
        PublicationFactory(title="Quokka expired", expire_at=now - datetime.timedelta(days=1),
                           publish_at=now - datetime.timedelta(days=9))  # fmt: skip
        PersonFactory(given_name="Quokka", family_name="Private", is_public=False)
        FunderFactory(name="Quokka Fund", is_public=False)
        EventFactory(title="Quokka draft event", status=Status.DRAFT)
        StoryPageFactory(title="Quokka draft page", status=Status.DRAFT)

    found = engine.search("quokka")

    assert [doc.title for doc in found.page] == ["Quokka report"]
    assert found.count == 1
    assert found.facets["kind"] == [("publication", "Publication", 1)]
    assert found.facets["group"] == []
    assert titles("twin") == []
    assert engine.search("quokk").count == 1


def test_a_record_going_live_on_schedule_is_found_then_without_an_edit(indexed, monkeypatch):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    with indexed():
        PublicationFactory(title="Wombat report", publish_at=go_live)
    assert titles("wombat") == []

    later = go_live + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert titles("wombat") == ["Wombat report"]


def test_accents_and_case_are_ignored(indexed):
    with indexed():
        PublicationFactory(title="Santé des populations", language="fr")
        PublicationFactory(title="ECONOMIE de la sante", language="fr")

    assert sorted(titles("Sante")) == ["ECONOMIE de la sante", "Santé des populations"]
    assert sorted(titles("économie")) == ["ECONOMIE de la sante"]


def test_words_are_stemmed_in_the_records_language(indexed):
    with indexed():
        PublicationFactory(title="Training nurses", abstract="Nursing schools.")
        PublicationFactory(title="Formations des infirmières", language="fr")

    assert titles("nurse") == ["Training nurses"]
    assert titles("nursing") == ["Training nurses"]
    assert titles("formation infirmière") == ["Formations des infirmières"]


def test_phrases_exclusions_or_and_prefixes(indexed):
    with indexed():
        PublicationFactory(title="Brain drain of doctors")
        PublicationFactory(title="Drain the brain", abstract="doctors")
        PublicationFactory(title="Midwives in Ghana")

    assert titles('"brain drain"') == ["Brain drain of doctors"]
    assert titles("brain -doctors") == []
    assert titles('brain -"brain drain"') == ["Drain the brain"]
    assert sorted(titles("ghana OR drain")) == [
        "Brain drain of doctors", "Drain the brain", "Midwives in Ghana",
    ]  # fmt: skip
    assert titles("midw") == ["Midwives in Ghana"]


def test_the_title_ranks_above_the_pdf_text(indexed):
    with indexed():
        in_text = PublicationFactory(title="Annual report", published_on=datetime.date(2004, 1, 1))
        PublicationFactory(title="Capybara census", published_on=datetime.date(2002, 1, 1))
    in_text.text = "The capybara appears on page nine."
    with indexed():
        in_text.save(update_fields=["text", "text_status"])

    assert titles("capybara") == ["Capybara census", "Annual report"]
    assert titles("capybara", sort="date") == ["Annual report", "Capybara census"]


def test_facets_count_and_narrow(indexed):
    group = GroupFactory(name="Finance group", slug="finance")
    with indexed():
        report = PublicationFactory(title="Budget report", kind=PublicationKind.REPORT,
                                    published_on=datetime.date(2003, 1, 1))  # fmt: skip
        report.groups.add(group)
        PublicationFactory(title="Budget paper", published_on=datetime.date(2004, 1, 1))
        EventFactory(title="Budget workshop")

    found = engine.search("budget")

    assert found.facets["kind"] == [("publication", "Publication", 2), ("event", "Event", 1)]
    assert found.facets["ptype"] == [("report", "Report", 1), ("working_paper", "Working paper", 1)]
    assert found.facets["group"] == [("finance", "Finance group", 1)]
    assert ("2003", "2003", 2) in found.facets["year"]  # the report, and the 2003 event
    assert titles("budget", group="finance") == ["Budget report"]
    assert titles("budget", kind="event") == ["Budget workshop"]
    assert titles("budget", publication_kind="working_paper") == ["Budget paper"]
    assert titles("budget", year=2004) == ["Budget paper"]


def test_index_follows_edits_deletes_and_renamed_authors(indexed):
    person = PersonFactory(given_name="Ada", family_name="Okonjo")
    with indexed():
        publication = PublicationFactory(title="Staffing clinics")
        Authorship.objects.create(publication=publication, person=person)
    assert titles("okonjo") == ["Staffing clinics"]

    with indexed():
        person.family_name = "Mensah"
        person.save()
    assert sorted(titles("mensah")) == ["Ada Mensah", "Staffing clinics"]
    assert titles("okonjo") == []

    with indexed():
        publication.status = Status.DRAFT
        publication.save()
    assert titles("clinics") == []

    with indexed():
        publication.delete()
    assert not SearchDocument.objects.filter(kind="publication").exists()


def test_group_link_added_from_the_group_side_is_indexed(indexed):
    group = GroupFactory(slug="supply")
    with indexed():
        publication = PublicationFactory(title="Supply side")
    with indexed():
        group.publications.add(publication)

    assert titles("supply", group="supply") == ["Supply side"]


def test_search_reindex_rebuilds_everything(capsys):
    PublicationFactory(title="Pangolin paper")
    PersonFactory(given_name="Pangolin", family_name="Keeper")
    SearchDocument.objects.all().delete()

    call_command("search_reindex")

    assert "Indexed 2 records" in capsys.readouterr().out
    assert sorted(titles("pangolin")) == ["Pangolin Keeper", "Pangolin paper"]


# --- Snippets and suggestions ----------------------------------------------------


def test_snippet_marks_the_words_and_escapes_the_rest(indexed):
    with indexed():
        PublicationFactory(
            title="Report", abstract="<b>Bold</b> claims about okapi <script>x</script> counts."
        )

    [doc] = engine.search("okapi").page

    assert "<mark>okapi</mark>" in doc.snippet
    assert "Bold" in doc.snippet
    # Markup from content is escaped (SQLite) or dropped (PostgreSQL's headline parser).
    assert "<" not in doc.snippet.replace("<mark>", "").replace("</mark>", "")


def test_snippet_is_the_escaped_words_around_the_first_match_marked():
    # SQLite's excerpts (search.text): from two words before the first match, six words,
    # every match marked, everything else escaped, an ellipsis where the text goes on.
    text = 'one two "three" four & okapi <five> okapis six seven  '
    assert snippet([text], parse("okapi"), 6) == (
        "… three&quot; four &amp; <mark>okapi</mark> &lt;five&gt; <mark>okapis</mark> six …"
    )
    # No match: the start of the first text that has any.
    assert (
        snippet(["", "Nothing & here <b>.  "], parse("okapi"), 3) == "Nothing &amp; here &lt;b&gt;."
    )


def test_snippet_is_cut_from_where_the_match_is(indexed):
    """The abstract when it holds the word; the PDF's text when only it does; the start
    of the abstract when only the title does (both databases)."""
    with indexed():
        in_abstract = PublicationFactory(
            title="Budgets", abstract="Tapir counts fell.", published_on=datetime.date(2004, 1, 1)
        )
        in_text = PublicationFactory(
            title="Annual report", abstract="An overview.", published_on=datetime.date(2003, 1, 1)
        )
        PublicationFactory(
            title="Tapir census",
            abstract="Numbers by region.",
            published_on=datetime.date(2002, 1, 1),
        )
    in_text.text = "Nothing on page one. The tapir appears on page nine."
    with indexed():
        in_text.save(update_fields=["text", "text_status"])
    assert in_abstract.pk

    snippets = {doc.title: doc.snippet for doc in engine.search("tapir", sort="date").page}

    assert "<mark>Tapir</mark> counts fell." in snippets["Budgets"]
    assert "The <mark>tapir</mark> appears on page nine." in snippets["Annual report"]
    assert "Numbers by region." in snippets["Tapir census"]
    assert "<mark>" not in snippets["Tapir census"]


def test_suggestion_when_nothing_matched(indexed):
    with indexed():
        PublicationFactory(title="Midwives and migration")
        PublicationFactory(title="Secret midwifery", status=Status.DRAFT)

    found = engine.search("midwifes")

    assert found.count == 0
    assert found.suggestion == "midwives"
    assert engine.search("midwifery").suggestion != "midwifery"


def test_suggestion_draws_on_french_titles_too(indexed):
    with indexed():
        PublicationFactory(title="Nurses on the move", title_fr="La migration des infirmières")
        PublicationFactory(title="Draft", title_fr="Recrutement secret", status=Status.DRAFT)

    assert engine.search("infirmieres migratoin").suggestion == "infirmieres migration"
    assert engine.search("recrutemant").suggestion == ""


def test_bulk_publishing_in_the_admin_reindexes(indexed):
    from core.services import publishable_set_status
    from publications.models import Publication

    with indexed():
        PublicationFactory(title="Dugong draft", status=Status.DRAFT)
    assert titles("dugong") == []

    with indexed():
        publishable_set_status(queryset=Publication.objects.all(), status=Status.PUBLISHED)

    assert titles("dugong") == ["Dugong draft"]


# --- A broad term: bounded work, said plainly ------------------------------------------


@pytest.fixture
def broad(indexed, monkeypatch):
    """Five publications holding "okapi" (2001-2005) and a person: more than a limit of 3."""
    monkeypatch.setattr(engine, "COUNT_LIMIT", 3)
    with indexed():
        for year in range(2001, 2006):
            PublicationFactory(
                title=f"Okapi report {year}",
                abstract="okapi " * (2006 - year),  # the oldest the most relevant
                published_on=datetime.date(year, 1, 1),
            )
        PersonFactory(given_name="Okapi", family_name="Keeper")


def test_past_the_limit_the_newest_matches_are_ranked_and_counted(broad):
    found = engine.search("okapi")

    assert found.more
    assert found.count == 3
    # The three newest publications (the undated person comes last), ranked by relevance.
    assert [doc.title for doc in found.page] == [
        "Okapi report 2003",
        "Okapi report 2004",
        "Okapi report 2005",
    ]
    assert found.facets["year"] == [("2005", "2005", 1), ("2004", "2004", 1), ("2003", "2003", 1)]
    assert sum(count for _, _, count in found.facets["kind"]) == 3


def test_under_the_limit_every_match_is_ranked_and_counted(broad):
    found = engine.search("keeper OR 2001")

    assert not found.more
    assert sorted(doc.title for doc in found.page) == ["Okapi Keeper", "Okapi report 2001"]


def test_filters_combine_and_each_shape_is_compiled_once(indexed, monkeypatch):
    monkeypatch.setattr(engine._CANDIDATES, "_plans", {})  # this test's shapes only
    finance = GroupFactory(name="Finance group", slug="finance")
    with indexed():
        for title, kind, year in [
            ("Budget report", PublicationKind.REPORT, 2003),
            ("Budget paper", PublicationKind.WORKING_PAPER, 2003),
            ("Budget plan", PublicationKind.REPORT, 2004),
            ("Budget draft", PublicationKind.REPORT, 2003),
        ]:
            publication = PublicationFactory(
                title=title, kind=kind, published_on=datetime.date(year, 1, 1)
            )
            if title != "Budget plan":
                publication.groups.add(finance)
        EventFactory(title="Budget workshop", start_date=datetime.date(2003, 5, 1))

    every_filter = {"kind": "publication", "publication_kind": "report", "group": "finance"}
    assert sorted(titles("budget", year=2003, **every_filter)) == ["Budget draft", "Budget report"]
    assert titles("budget -draft", year=2003, **every_filter) == ["Budget report"]
    assert titles("budget", kind="event", year=2004) == []
    # (An exclusion is a shape of its own on PostgreSQL, part of one value on SQLite.)
    plans = len(engine._CANDIDATES._plans)

    # The same shapes with other values: the same compiled queries, the rows of the values.
    assert titles("plan", year=2004, **every_filter) == []
    assert titles("budget", year=2004, kind="publication", publication_kind="report") == [
        "Budget plan"
    ]
    assert titles("budget -report", year=2003, **every_filter) == ["Budget draft"]
    assert titles("workshop", kind="event", year=2003) == ["Budget workshop"]
    assert len(engine._CANDIDATES._plans) == plans + 1  # (without a group: a new shape)


def test_sorted_by_date_undated_records_come_last(indexed):
    with indexed():
        PersonFactory(given_name="Quokka", family_name="Keeper")
        PublicationFactory(title="Quokka report", published_on=datetime.date(2001, 1, 1))

    assert titles("quokka", sort="date") == ["Quokka report", "Quokka Keeper"]
