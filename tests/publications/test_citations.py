"""Citations: formatted styles and exports that round-trip through their parsers."""

import datetime

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares

from publications import citations
from publications.models import DatePrecision, PublicationKind
from publications.selectors import publication_for_export
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory, TopicFactory

pytestmark = pytest.mark.django_db

TRICKY_TITLE = "Santé & {équité}: 人力资源 } 100% $ # _ ~ \\ “quoted”"


def _tricky_publication():
    publication = PublicationFactory(
        title=TRICKY_TITLE,
        subtitle="Ἀνθρώπινοι πόροι",
        slug="tricky",
        kind=PublicationKind.WORKING_PAPER,
        published_on=datetime.date(2003, 5, 1),
        date_precision=DatePrecision.MONTH,
        publisher="Global Equity Initiative, Harvard University",
        place="Cambridge, MA",
        series="JLI Working Paper",
        number="5-3",
        doi="10.1234/jli.{5}",
        isbn="978-3-16-148410-0",
        abstract="Line one\nline two & more",
        language="fr",
    )
    AuthorshipFactory(
        publication=publication,
        person=PersonFactory(given_name="Ådne", family_name="Núñez-O'Brien"),
        position=1,
    )
    AuthorshipFactory(publication=publication, person=None, name="张 伟", position=2)
    AuthorshipFactory(
        publication=publication,
        person=None,
        name="Joint Learning Initiative & Co",
        is_organisation=True,
        position=3,
    )
    publication.topics.add(TopicFactory(name="Migration & brain drain"))
    return publication_for_export(slug="tricky")


def _decoded(library):
    return {field.key: field.value for field in library.entries[0].fields}


def test_bibtex_round_trips_every_field_of_a_tricky_publication(settings):
    settings.SITE_URL = "https://jli.example.org"
    text = citations.bibtex([_tricky_publication()])

    parsed = bibtexparser.parse_string(
        text, append_middleware=[middlewares.LatexDecodingMiddleware()]
    )
    raw = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )

    assert parsed.failed_blocks == []
    entry = parsed.entries[0]
    assert (entry.entry_type, entry.key) == ("techreport", "tricky")
    fields = _decoded(parsed)
    # Every text field decodes back to exactly what was stored.
    assert {k: v for k, v in fields.items() if k not in {"author", "doi", "url"}} == {
        "title": TRICKY_TITLE,
        "subtitle": "Ἀνθρώπινοι πόροι",
        "year": "2003",
        "month": "5",
        "institution": "Global Equity Initiative, Harvard University",
        "address": "Cambridge, MA",
        "series": "JLI Working Paper",
        "number": "5-3",
        "type": "Working paper",
        "isbn": "978-3-16-148410-0",
        "language": "fr",
        "abstract": "Line one line two & more",
        "keywords": "Migration & brain drain",
    }
    # Web addresses are verbatim (a braced DOI is percent-encoded), never LaTeX-decoded.
    assert (raw.entries[0]["doi"], raw.entries[0]["url"]) == (
        "10.1234/jli.%7B5%7D",
        "https://jli.example.org/publications/tricky/",
    )
    # The authors split into three names; the organisation stays one braced name.
    names = raw.entries[0]["author"]
    assert [(name.last, name.first) for name in names] == [
        (["Núñez-O'Brien"], ["Ådne"]),
        (["伟"], ["张"]),
        (["{Joint Learning Initiative \\& Co}"], []),
    ]


def test_ris_round_trips_every_field_of_a_tricky_publication(settings):
    settings.SITE_URL = "https://jli.example.org"
    text = citations.ris([_tricky_publication()])

    assert text.startswith("TY  - RPRT")
    assert rispy.loads(text) == [
        {
            "type_of_reference": "RPRT",
            "title": TRICKY_TITLE + ": Ἀνθρώπινοι πόροι",
            "authors": ["Núñez-O'Brien, Ådne", "伟, 张", "Joint Learning Initiative & Co"],
            "year": "2003",
            "date": "2003/05//",
            "publisher": "Global Equity Initiative, Harvard University",
            "place_published": "Cambridge, MA",
            "tertiary_title": "JLI Working Paper",
            "number": "5-3",
            "type_of_work": "Working paper",
            "doi": "10.1234/jli.{5}",
            "issn": "978-3-16-148410-0",
            "language": "fr",
            "abstract": "Line one line two & more",
            "keywords": ["Migration & brain drain"],
            "urls": ["https://jli.example.org/publications/tricky/"],
        }
    ]


def test_bibtex_and_ris_of_several_publications_parse_as_several_records():
    for n in range(3):
        AuthorshipFactory(publication=PublicationFactory(slug=f"paper-{n}"))
    publications = [publication_for_export(slug=f"paper-{n}") for n in range(3)]

    assert [e.key for e in bibtexparser.parse_string(citations.bibtex(publications)).entries] == [
        "paper_0",
        "paper_1",
        "paper_2",
    ]
    assert len(rispy.loads(citations.ris(publications))) == 3


def test_formatted_citations_in_vancouver_and_apa(settings):
    settings.SITE_URL = "https://jli.example.org"
    publication = PublicationFactory(
        title="Human Resources for Health",
        subtitle="Overcoming the Crisis",
        slug="hrh",
        kind=PublicationKind.STRATEGY_REPORT,
        published_on=datetime.date(2004, 1, 1),
        publisher="Harvard University Press",
        place="Cambridge, MA",
    )
    AuthorshipFactory(
        publication=publication, person=None, name="Joint Learning Initiative", is_organisation=True
    )

    styles = {
        key: (str(html), text)
        for key, _label, html, text in citations.formatted_citations(
            publication_for_export(slug="hrh")
        )
    }

    assert styles["vancouver"][1] == (
        "Joint Learning Initiative. Human Resources for Health: Overcoming the Crisis "
        "[Strategy report] [Internet]. Cambridge, MA: Harvard University Press; 2004. "
        "Available from: https://jli.example.org/publications/hrh/"
    )
    assert styles["apa"] == (
        "Joint Learning Initiative. (2004). <i>Human Resources for Health: Overcoming the "
        "Crisis</i> [Strategy report]. Harvard University Press. "
        "https://jli.example.org/publications/hrh/",
        "Joint Learning Initiative. (2004). Human Resources for Health: Overcoming the "
        "Crisis [Strategy report]. Harvard University Press. "
        "https://jli.example.org/publications/hrh/",
    )


def test_formatted_citation_html_escapes_a_hostile_title():
    PublicationFactory(title='<script>alert(1)</script> & <i onclick="x">', slug="x")

    html = {
        key: str(h)
        for key, _l, h, _t in citations.formatted_citations(publication_for_export(slug="x"))
    }

    assert "<script>" not in html["apa"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;i onclick=" in html["apa"]
    assert "<i onclick" not in html["vancouver"]


def test_undated_publication_is_cited_without_a_date():
    publication = PublicationFactory(
        slug="undated", published_on=None, date_precision=DatePrecision.UNKNOWN
    )
    publication = publication_for_export(slug="undated")

    apa = {k: t for k, _l, _h, t in citations.formatted_citations(publication)}["apa"]
    assert "(n.d.)" in apa
    assert "year" not in _decoded(bibtexparser.parse_string(citations.bibtex([publication])))
    assert "year" not in rispy.loads(citations.ris([publication]))[0]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Silva, Ana Maria", ("Silva", "Ana Maria")),
        ("Ana Maria Silva", ("Silva", "Ana Maria")),
        ("Plato", ("Plato", "")),
    ],
)
def test_name_parts_of_typed_names(name, parts):
    assert citations.name_parts(name) == parts


def test_vancouver_puts_a_space_between_the_year_and_the_month(settings):
    settings.SITE_URL = "https://jli.example.org"
    PublicationFactory(
        title="Health workers",
        slug="hw",
        published_on=datetime.date(2003, 6, 1),
        date_precision=DatePrecision.MONTH,
    )

    styles = {
        key: text
        for key, _label, _html, text in citations.formatted_citations(
            publication_for_export(slug="hw")
        )
    }

    assert " 2003 Jun. " in styles["vancouver"]
    assert "2003Jun" not in styles["vancouver"]
