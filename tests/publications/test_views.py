import datetime
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.contrib.syndication.views import Feed
from django.core.files.base import ContentFile
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date

from core.models import Status
from groups.models import Group
from publications import feeds, selectors, services
from publications.citations import full_title
from publications.models import DatePrecision, Publication, PublicationKind
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

LIST = reverse("publications:publication_list")
FEED = reverse("publications:publication_feed")
PAST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
FUTURE = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)

# Each way a publication is hidden from the public.
HIDDEN = [
    pytest.param({"status": Status.DRAFT}, id="draft"),
    pytest.param({"publish_at": FUTURE}, id="scheduled"),
    pytest.param(
        {"publish_at": PAST, "expire_at": PAST + datetime.timedelta(days=1)}, id="expired"
    ),
]


def _titles(response, key="page_obj"):
    return [publication.title for publication in response.context[key]]


def _with_pdf(publication, pages=2):
    publication.file.save("report.pdf", ContentFile(pdf_bytes(pages=pages)), save=True)
    return services.publication_file_changed(publication=publication)


# --- /publications/ ---------------------------------------------------------------


def test_list_shows_published_newest_first_with_count_undated_last(client):
    PublicationFactory(title="Old", published_on=datetime.date(2002, 11, 1))
    PublicationFactory(title="New", published_on=datetime.date(2004, 6, 1))
    PublicationFactory(title="Undated", published_on=None, date_precision=DatePrecision.UNKNOWN)
    PublicationFactory(title="Hidden draft", status=Status.DRAFT)

    response = client.get(LIST)

    assert _titles(response) == ["New", "Old", "Undated"]
    assert "3 publications" in response.text
    assert "Hidden draft" not in response.text
    assert "Date unknown" in response.text


def test_list_filters_by_kind_group_year_topic_and_sorts_by_title(client):
    supply = GroupFactory(slug="supply")
    migration = TopicFactory(slug="migration")
    a = PublicationFactory(title="B paper", published_on=datetime.date(2003, 1, 1))
    a.groups.add(supply)
    b = PublicationFactory(
        title="A report", kind=PublicationKind.REPORT, published_on=datetime.date(2004, 3, 1)
    )
    b.groups.add(supply)
    b.topics.add(migration)
    PublicationFactory(title="C other", published_on=datetime.date(2004, 1, 1))

    assert _titles(client.get(LIST, {"group": "supply"})) == ["A report", "B paper"]
    assert _titles(client.get(LIST, {"kind": "report"})) == ["A report"]
    assert _titles(client.get(LIST, {"year": "2004"})) == ["A report", "C other"]
    assert _titles(client.get(LIST, {"topic": "migration"})) == ["A report"]
    assert _titles(client.get(LIST, {"group": "supply", "sort": "title"})) == [
        "A report",
        "B paper",
    ]
    response = client.get(LIST, {"year": "2004", "kind": "report"})
    assert "1 publication" in response.text


def _options(response, field):
    return [
        (value, label) for value, label in response.context["form"].fields[field].widget.choices
    ]


def test_list_menus_count_what_each_option_gives_under_the_other_filters(client):
    supply = GroupFactory(slug="supply")
    PublicationFactory(kind=PublicationKind.REPORT, published_on=datetime.date(2003, 5, 1))
    PublicationFactory(
        kind=PublicationKind.REPORT, published_on=datetime.date(2004, 5, 1)
    ).groups.add(supply)
    PublicationFactory(
        kind=PublicationKind.WORKING_PAPER, published_on=datetime.date(2004, 1, 1)
    ).groups.add(supply)
    PublicationFactory(published_on=None, date_precision=DatePrecision.UNKNOWN)
    for hidden in HIDDEN:
        PublicationFactory(
            kind=PublicationKind.BROCHURE,
            published_on=datetime.date(2001, 1, 1),
            **hidden.values[0],
        )

    response = client.get(LIST)

    kinds = dict(_options(response, "kind"))
    assert kinds[""] == "Any kind"
    assert kinds["report"] == "Report (2)"
    assert kinds["working_paper"] == "Working paper (2)"  # one undated: in no year
    assert kinds["brochure"] == "Brochure (0)"  # only unpublished ones
    assert _options(response, "year") == [("", "Any year"), (2004, "2004 (2)"), (2003, "2003 (1)")]
    assert '<option value="2004">2004 (2)</option>' in response.text

    # Each menu counts under the other filters, not its own.
    response = client.get(LIST, {"group": "supply", "year": "2004", "kind": "report"})
    kinds = dict(_options(response, "kind"))
    assert (kinds["report"], kinds["working_paper"]) == ("Report (1)", "Working paper (1)")
    assert _options(response, "year") == [("", "Any year"), (2004, "2004 (1)")]
    assert '<option value="2004" selected>2004 (1)</option>' in response.text


def test_list_year_menu_keeps_a_chosen_year_without_publications(client):
    PublicationFactory(published_on=datetime.date(2003, 5, 1))
    response = client.get(LIST, {"year": "1999"})
    assert _titles(response) == []
    assert _options(response, "year") == [("", "Any year"), (2003, "2003 (1)"), (1999, "1999 (0)")]
    assert '<option value="1999" selected>1999 (0)</option>' in response.text


def test_list_menu_counts_have_the_thousands_separator(client, monkeypatch):
    counts = selectors.ListCounts(total=0, kinds={"report": 12_345}, years={2003: 1_500})
    monkeypatch.setattr("publications.selectors.list_counts", lambda filters: counts)
    english = client.get(LIST)
    french = client.get(f"/fr{LIST}")
    assert '<option value="report">Report (12,345)</option>' in english.text
    assert '<option value="2003">2003 (1,500)</option>' in english.text  # a year, not grouped
    assert '<option value="report">Rapport (12\xa0345)</option>' in french.text


def test_list_by_author_shows_their_publications(client):
    person = PersonFactory(slug="ana")
    AuthorshipFactory(person=person, publication__title="Hers")
    PublicationFactory(title="Not hers")
    assert _titles(client.get(LIST, {"author": "ana"})) == ["Hers"]


@pytest.mark.parametrize("bad", [{"group": "no-such"}, {"year": "abc"}, {"kind": "<script>"}])
def test_list_with_a_bad_filter_says_so_and_still_lists(client, bad):
    PublicationFactory(title="Kept")
    response = client.get(LIST, bad)
    assert response.status_code == 200
    assert "Please correct the problems below." in response.text
    assert _titles(response) == ["Kept"]
    assert "<script>" not in response.text


def test_list_is_paginated(client):
    PublicationFactory.create_batch(21)
    response = client.get(LIST)
    assert len(response.context["page_obj"]) == 20
    assert 'aria-current="page" aria-label="Page 1">1</a>' in response.text
    assert 'rel="next">Next</a>' in response.text
    assert len(client.get(LIST, {"page": 2}).context["page_obj"]) == 1


def test_list_marks_featured_publications_in_place_and_lists_each_once(client):
    PublicationFactory(
        title="Featured paper", is_featured=True, published_on=datetime.date(2004, 9, 1)
    )
    PublicationFactory(
        title="Strategy",
        kind=PublicationKind.STRATEGY_REPORT,
        is_featured=True,
        published_on=datetime.date(2004, 1, 1),
    )
    PublicationFactory(title="Hidden featured", is_featured=True, status=Status.DRAFT)

    response = client.get(LIST)

    assert [p.title for p in response.context["page_obj"]] == ["Featured paper", "Strategy"]
    # Each is listed once, marked where it stands (no separate "Featured" strip).
    assert response.text.count(">Strategy</a>") == 1
    assert response.text.count(">Featured paper</a>") == 1
    assert response.text.count('<span class="badge">Featured</span>') == 2
    assert "pub-item--strategy" in response.text
    assert "Hidden featured" not in response.text


def test_list_hides_a_filter_with_nothing_to_choose(client):
    PublicationFactory()
    assert 'id="id_topic"' not in client.get(LIST).text
    TopicFactory(name="Migration")

    text = client.get(LIST).text

    assert '<label for="id_topic">Topic</label>' in text
    assert ">Migration</option>" in text


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_fixed(client, page_queries, count):
    group = GroupFactory()
    for _ in range(count):
        publication = PublicationFactory(is_featured=True)
        publication.groups.add(group)
        AuthorshipFactory(publication=publication)
        AuthorshipFactory(publication=publication, person=None, name="External Author")
    # 6 queries: the list's count with its kind and year menus' counts (one aggregate);
    # groups for the filter; topics for the filter; the page; its authorships with
    # people and its published groups (one UNION ALL); the header's story pages.
    with page_queries(6):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == count


# --- /publications/<slug>/ ----------------------------------------------------------


def test_detail_shows_everything_with_authors_linked_in_order(client, settings):
    settings.SITE_URL = "https://jli.example.org"
    publication = PublicationFactory(
        title="Health workers in Africa",
        subtitle="A review",
        slug="hw-africa",
        abstract="What we found.",
        publisher="JSI",
        series="JLI Working Paper",
        number="4",
        doi="10.1234/abc",
        published_on=datetime.date(2003, 5, 2),
        date_precision=DatePrecision.DAY,
    )
    AuthorshipFactory(
        publication=publication,
        position=2,
        person=PersonFactory(given_name="Bea", family_name="Young", slug="bea"),
    )
    AuthorshipFactory(
        publication=publication,
        position=1,
        person=PersonFactory(given_name="Ana", family_name="Silva", slug="ana"),
    )
    AuthorshipFactory(
        publication=publication,
        position=3,
        person=PersonFactory(given_name="Pri", family_name="Vate", is_public=False),
    )
    publication.groups.add(
        GroupFactory(name="Working group on Africa"),
        GroupFactory(name="Draft group", status=Status.DRAFT),
    )
    publication.funders.add(FunderFactory(name="Example Foundation"))
    _with_pdf(publication, pages=3)

    response = client.get(publication.get_absolute_url())
    text = response.text

    assert (
        'By <a href="/people/ana/">Ana Silva</a>, <a href="/people/bea/">Bea Young</a> and Pri Vate'
        in text
    )
    assert "2 May 2003" in text
    assert "Working group on Africa" in text
    assert "Draft group" not in text
    assert "Example Foundation" in text
    # The format named once, then the size and the pages.
    assert re.search(
        r"Download PDF<span class=\"button__meta\"> \([\d.]+\s(bytes|KB), 3 pages\)</span>", text
    )
    assert "(PDF" not in text
    # Title, authors, date and the download come before the summary and the citations.
    assert text.index("<h1>") < text.index("By <a") < text.index("2 May 2003")
    assert text.index("2 May 2003") < text.index("Download PDF") < text.index("Cite this")
    # One citation style shows; the other is a disclosure away; plain text in its own.
    assert text.count('<details class="citation" name="citation-style" open>') == 1
    assert text.count('<details class="citation" name="citation-style">') == 1
    assert text.count('<details class="citation__plain">') == 2
    assert "not available online" not in text
    assert '<meta name="citation_title" content="Health workers in Africa: A review">' in text
    assert '<meta name="citation_author" content="Silva, Ana">' in text
    assert '<meta name="citation_publication_date" content="2003/05/02">' in text
    assert (
        '<meta name="citation_pdf_url" content="https://jli.example.org/publications/hw-africa/download/">'
        in text
    )
    assert '<meta property="og:title" content="Health workers in Africa: A review">' in text
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)[1]
    )
    assert data["@type"] == "Report"
    assert data["datePublished"] == "2003-05-02"
    assert [a["name"] for a in data["author"]] == ["Ana Silva", "Bea Young", "Pri Vate"]
    assert [key for key, *_ in response.context["citations"]] == ["vancouver", "apa"]
    assert "Silva A, Young B, Vate P. Health workers in Africa: A review" in text


def test_detail_json_ld_cannot_close_its_script_element(client):
    publication = PublicationFactory(title="</script><script>alert(1)</script>")
    text = client.get(publication.get_absolute_url()).text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)[1]
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in text


def test_detail_without_file_says_not_available_online(client):
    publication = PublicationFactory(published_on=None, date_precision=DatePrecision.UNKNOWN)
    response = client.get(publication.get_absolute_url())
    assert "This document is not available online." in response.text
    assert "Download PDF" not in response.text
    assert "Date unknown" in response.text


def test_detail_lists_related_published_publications(client):
    group = GroupFactory()
    publication = PublicationFactory()
    publication.groups.add(group)
    sibling = PublicationFactory(title="Sibling")
    sibling.groups.add(group)
    draft = PublicationFactory(title="Draft sibling", status=Status.DRAFT)
    draft.groups.add(group)
    PublicationFactory(title="Stranger")

    response = client.get(publication.get_absolute_url())
    assert [p.title for p in response.context["related"]] == ["Sibling"]


def test_related_publications_by_group_and_topic_newest_first_once_each(client):
    group, topic = GroupFactory(), TopicFactory()
    publication = PublicationFactory()
    publication.groups.add(group)
    publication.topics.add(topic)
    dates = {"Both": 2004, "Group only": 2003, "Topic only": 2002, "Oldest": 1999}
    for title, year in dates.items():
        other = PublicationFactory(title=title, published_on=datetime.date(year, 1, 1))
        if title != "Topic only":
            other.groups.add(group)
        if title in ("Both", "Topic only"):
            other.topics.add(topic)
    PublicationFactory(title="Newest topic", published_on=datetime.date(2005, 1, 1)).topics.add(
        topic
    )

    response = client.get(publication.get_absolute_url())

    # The four newest of both links, each once, newest first whichever link found it.
    assert [p.title for p in response.context["related"]] == [
        "Newest topic",
        "Both",
        "Group only",
        "Topic only",
    ]


def test_related_publications_kept_for_each_page_of_the_same_links(
    client, settings, django_assert_num_queries
):
    # The newest of a group and topic are read once, then kept (list counts' cache) for
    # every publication of that group and topic: each page leaves out itself, and a
    # change shows at once.
    settings.COUNT_CACHE_SECONDS = 300
    group, topic = GroupFactory(), TopicFactory()
    publications = {}
    for year in range(2000, 2006):
        publication = PublicationFactory(title=str(year), published_on=datetime.date(year, 1, 1))
        publication.groups.add(group)
        publication.topics.add(topic)
        publications[year] = publication

    def related(year):
        response = client.get(publications[year].get_absolute_url())
        return [p.title for p in response.context["related"]]

    assert related(2005) == ["2004", "2003", "2002", "2001"]
    # The second page of the same group and topic: no query for its related publications
    # (3: the publication, its authors, its topics, groups and funders).
    with django_assert_num_queries(3):
        assert related(2003) == ["2005", "2004", "2002", "2001"]
    assert related(2000) == ["2005", "2004", "2003", "2002"]

    newest = PublicationFactory(title="2006", published_on=datetime.date(2006, 1, 1))
    newest.topics.add(topic)
    assert related(2003) == ["2006", "2005", "2004", "2002"]
    publications[2004].groups.remove(group)
    publications[2004].topics.remove(topic)
    assert related(2003) == ["2006", "2005", "2002", "2001"]


@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_is_fixed(client, page_queries, count):
    publication = PublicationFactory()
    for _ in range(count):
        AuthorshipFactory(publication=publication)
        publication.groups.add(GroupFactory())
        publication.topics.add(TopicFactory())
        publication.funders.add(FunderFactory())
        PublicationFactory().groups.add(publication.groups.first())
        EventFactory().publications.add(publication)
    # 6 queries: the publication; authorships with people; its topics, published groups
    # and public funders (one UNION ALL); related publications by group and by topic (one
    # UNION ALL); the published events it came out of; the header's story pages.
    with page_queries(6):
        client.get(publication.get_absolute_url())


def test_detail_of_a_publication_from_no_event_runs_no_query_for_events(client, page_queries):
    # Most publications came out of no event: the publication's own query says so, and
    # the events section is not asked, nor shown. 4 queries: the publication (with
    # whether it has events), its authors, its topics, groups and funders, the header's
    # story pages (no groups nor topics: no related publications to read). An
    # unpublished event does not count.
    publication = PublicationFactory()
    EventFactory(title="Draft consultation", status=Status.DRAFT).publications.add(publication)
    with page_queries(4):
        response = client.get(publication.get_absolute_url())
    assert response.status_code == 200
    assert "Draft consultation" not in response.text
    assert not [s for s in response.context["related_sections"] if s.name == "events"]

    EventFactory(title="Regional consultation").publications.add(publication)
    response = client.get(publication.get_absolute_url())
    assert "Regional consultation" in response.text
    assert "Draft consultation" not in response.text


@pytest.mark.parametrize("hidden", HIDDEN)
def test_hidden_publication_is_404_for_public_and_members_everywhere(persona, hidden):
    name, client = persona
    publication = PublicationFactory(title="Secret paper", slug="secret", **hidden)
    _with_pdf(publication)
    person = PersonFactory(slug="author")
    AuthorshipFactory(publication=publication, person=person)
    group = GroupFactory(slug="wg")
    publication.groups.add(group)
    staff = name in {"editor_client", "superuser_client"}

    detail = client.get(publication.get_absolute_url())
    assert detail.status_code == (200 if staff else 404)
    if staff:
        assert "Preview: this publication is not visible to the public." in detail.text
        assert '<meta name="robots" content="noindex">' in detail.text
    for suffix in ["download/", "cite.bib", "cite.ris"]:
        assert client.get(publication.get_absolute_url() + suffix).status_code == (
            200 if staff else 404
        )
    # Lists, feed, exports and person and group pages never show it, even to staff.
    for url in [
        LIST,
        FEED,
        reverse("publications:publication_list_cite", args=["bib"]),
        reverse("publications:publication_list_cite", args=["ris"]),
        person.get_absolute_url(),
        group.get_absolute_url(),
        "/",
    ]:
        assert "Secret paper" not in client.get(url).content.decode(), url


# --- downloads ------------------------------------------------------------------------


def test_download_is_an_attachment_with_type_and_size(client):
    publication = _with_pdf(PublicationFactory(slug="report"))
    response = client.get(reverse("publications:publication_download", args=["report"]))
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert int(response["Content-Length"]) == publication.file_size == len(body)
    assert body.startswith(b"%PDF-")


def test_download_without_file_is_404(client):
    publication = PublicationFactory()
    assert client.get(publication.get_absolute_url() + "download/").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_download_query_count_is_fixed(client, page_queries, count):
    publication = _with_pdf(PublicationFactory())
    AuthorshipFactory.create_batch(count, publication=publication)
    # 1 query: the publication.
    # Not a cached page (a file, and drafts for staff): no schedule look-up.
    with page_queries(1, schedule=False):
        client.get(publication.get_absolute_url() + "download/")


# --- exports and feed --------------------------------------------------------------


def test_publication_exports_are_attachments_of_the_right_type(client):
    publication = PublicationFactory(slug="paper")
    bib = client.get(publication.get_absolute_url() + "cite.bib")
    ris = client.get(publication.get_absolute_url() + "cite.ris")
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bib["Content-Disposition"] == 'attachment; filename="paper.bib"'
    assert bib.content.decode().startswith("@techreport{paper,")
    assert ris["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert ris.content.decode().startswith("TY  - RPRT")
    assert client.get(publication.get_absolute_url() + "cite.xml").status_code == 404


def test_list_export_follows_the_filters_and_is_bounded(client, monkeypatch):
    monkeypatch.setattr("publications.selectors.EXPORT_LIMIT", 2)
    for n in range(3):
        PublicationFactory(
            slug=f"wp-{n}",
            published_on=datetime.date(2003, 1, n + 1),
            date_precision=DatePrecision.DAY,
        )
    PublicationFactory(slug="report", kind=PublicationKind.REPORT)

    bib = client.get(
        reverse("publications:publication_list_cite", args=["bib"]), {"kind": "working_paper"}
    )
    assert re.findall(r"@techreport\{(\w+),", bib.content.decode()) == ["wp_2", "wp_1"]


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("fmt", ["bib", "ris"])
def test_export_query_counts_are_fixed(client, page_queries, count, fmt):
    for _ in range(count):
        publication = PublicationFactory()
        AuthorshipFactory(publication=publication)
        publication.topics.add(TopicFactory())
    # 3 queries: the publications; their authorships with people; their topics.
    with page_queries(3):
        client.get(reverse("publications:publication_list_cite", args=[fmt]))
    # 3 queries: the publication; its authorships with people; its topics.
    with page_queries(3):
        client.get(publication.get_absolute_url() + f"cite.{fmt}")


def test_feed_is_atom_of_published_publications(client):
    publication = PublicationFactory(title="Fresh & new", abstract="Abstract text")
    AuthorshipFactory(
        publication=publication, person__given_name="Ana", person__family_name="Silva"
    )
    PublicationFactory(title="Draft", status=Status.DRAFT)

    response = client.get(FEED)
    text = response.content.decode()
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert '<feed xml:lang="en" xmlns="http://www.w3.org/2005/Atom">' in text
    assert "<title>Fresh &amp; new</title>" in text
    assert "<name>Ana Silva</name>" in text
    assert "Draft" not in text


class _FrameworkFeed(Feed):
    """The feed as Django's syndication framework writes it over model instances: what
    publications.feeds writes from plain records must be the same bytes."""

    feed_type = Atom1Feed
    title = feeds.TITLE
    subtitle = feeds.SUBTITLE
    link = reverse_lazy("publications:publication_list")

    def items(self):
        return Publication.objects.published().newest_first()[: feeds.FEED_ITEMS]

    def item_title(self, item):
        return full_title(item)

    def item_description(self, item):
        return escape(item.summary or item.abstract or item.get_kind_display())

    def item_guid(self, item):
        return "https://testserver" + item.get_absolute_url()

    def item_author_name(self, item):
        return ", ".join(a.display_name for a in item.authorships.order_by("position", "pk"))

    def item_pubdate(self, item):
        return feeds._start_of(item.published_on)

    def item_updateddate(self, item):
        return feeds._start_of(item.published_on) or item.created_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_feed_is_written_as_django_writes_it(client, rf, settings, prefix):
    """The feed written from plain records is, byte for byte, what the syndication
    framework writes from the publications themselves: titles, French summaries with
    their fallbacks, the kind where a publication has no summary or abstract, authors,
    topics and dates."""
    settings.SITE_URL = "https://testserver"
    with_all = PublicationFactory(
        title="Fresh & <new>", subtitle="A subtitle", summary="Short & sweet",
        summary_fr="Court", abstract="Long", published_on=datetime.date(2003, 6, 1),
    )  # fmt: skip
    AuthorshipFactory(publication=with_all, position=1, person__given_name="Ana",
                      person__family_name="Silva")  # fmt: skip
    AuthorshipFactory(publication=with_all, position=2, person=None, name="WHO & co")
    with_all.topics.add(TopicFactory(name="Pay"), TopicFactory(name="Migration & mobility"))
    PublicationFactory(title="Abstract only", summary="", abstract="An abstract",
                       abstract_fr="Un résumé", published_on=datetime.date(2001, 1, 1))  # fmt: skip
    PublicationFactory(
        title="Bare", summary="", abstract="", published_on=None,
        date_precision=DatePrecision.UNKNOWN, kind=PublicationKind.WORKING_PAPER,
    )  # fmt: skip
    PublicationFactory(title="Draft", status=Status.DRAFT)
    path = prefix + FEED

    with translation.override("fr" if prefix else "en"):
        feed = _FrameworkFeed().get_feed(None, rf.get(path, HTTP_HOST="testserver", secure=True))
    plain = io.StringIO()
    feed.write(plain, "utf-8")
    response = client.get(path)

    assert response.content == plain.getvalue().encode()
    assert response.content.count(b"<entry>") == 3
    assert response["Last-Modified"] == http_date(feed.latest_post_date().timestamp())
    text = response.content.decode()
    assert f"<name>{escape('Ana Silva, WHO & co')}</name>" in text
    # Atom's summary is HTML, so its text is escaped once for HTML and once for XML.
    assert ("Court" if prefix else escape(escape("Short & sweet"))) in text
    assert "Un résumé" in text if prefix else "An abstract" in text


def test_feed_entries_carry_their_topics_as_categories(client):
    publication = PublicationFactory(title="Tagged")
    publication.topics.add(TopicFactory(name="Migration & mobility"), TopicFactory(name="Pay"))
    PublicationFactory(title="Untagged")

    feed = ElementTree.fromstring(client.get(FEED).content)  # noqa: S314 (our own feed)

    atom = "{http://www.w3.org/2005/Atom}"
    terms = {
        entry.findtext(f"{atom}title"): sorted(
            category.get("term") for category in entry.iter(f"{atom}category")
        )
        for entry in feed.iter(f"{atom}entry")
    }
    assert terms == {"Tagged": ["Migration & mobility", "Pay"], "Untagged": []}


def test_feed_dates_are_the_publications_own(client):
    PublicationFactory(
        title="Dated",
        published_on=datetime.date(2003, 6, 1),
        date_precision=DatePrecision.MONTH,
    )
    undated = PublicationFactory(
        title="Undated", published_on=None, date_precision=DatePrecision.UNKNOWN
    )

    feed = ElementTree.fromstring(client.get(FEED).content)  # noqa: S314 (our own feed)

    atom = "{http://www.w3.org/2005/Atom}"
    entries = {
        entry.findtext(f"{atom}title"): (
            entry.findtext(f"{atom}published"),
            entry.findtext(f"{atom}updated"),
        )
        for entry in feed.iter(f"{atom}entry")
    }
    # A report of June 2003 was published then, whenever its record was typed in.
    assert entries["Dated"] == ("2003-06-01T00:00:00+00:00", "2003-06-01T00:00:00+00:00")
    # An undated one has no published date; its entry changed when its record was added.
    assert entries["Undated"] == (None, undated.created_at.isoformat())


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_is_fixed(client, page_queries, count):
    for _ in range(count):
        publication = PublicationFactory()
        AuthorshipFactory(publication=publication)
        publication.topics.add(TopicFactory())
    # 3 queries: the newest publications; their topics; their authors (as values).
    with page_queries(3):
        client.get(FEED)


# --- person, group and home pages ------------------------------------------------------


def test_person_and_group_pages_list_their_published_publications(client):
    person = PersonFactory()
    group = GroupFactory()
    mine = PublicationFactory(title="Ours")
    AuthorshipFactory(publication=mine, person=person)
    mine.groups.add(group)
    PublicationFactory(title="Someone else's")

    for url in [person.get_absolute_url(), group.get_absolute_url()]:
        response = client.get(url)
        assert [p.title for p in response.context["publications"]] == ["Ours"], url
        assert "Someone else" not in response.text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_person_and_group_shortlists_are_their_newest_with_authors_and_groups(
    language, django_assert_num_queries
):
    """A person's and a group's page read their newest publications with the authors and
    published groups of each in one query: the same publications, in the same order
    (newest first, undated last, then by the title in the page's language), as
    Publication.newest_first gives them, each with its authors and groups in order."""
    person, group = PersonFactory(), GroupFactory(display_order=2)
    earlier_group = GroupFactory(display_order=1)
    hidden_group = GroupFactory(status=Status.DRAFT)
    day = datetime.date(2004, 5, 1)
    made = [
        # The same day: English and French titles sort the other way round.
        PublicationFactory(published_on=day, title_en="Alpha", title_fr="Zeta"),
        PublicationFactory(published_on=day, title_en="Beta", title_fr="Epsilon"),
        PublicationFactory(
            published_on=None, date_precision=DatePrecision.UNKNOWN, title_en="Undated"
        ),
        PublicationFactory(status=Status.DRAFT, published_on=datetime.date(2010, 1, 1)),
        *(PublicationFactory(published_on=datetime.date(2000 + n, 1, 1)) for n in range(9)),
    ]
    for n, publication in enumerate(made):
        AuthorshipFactory(publication=publication, person=None, name=f"Org {n}", position=2)
        AuthorshipFactory(publication=publication, person=person, position=1)
        publication.groups.add(group, hidden_group)
        if n % 2:
            publication.groups.add(earlier_group)

    def expected(publications):
        return [
            (
                shown.pk,
                [(a.display_name, a.profile_url) for a in shown.authorships.order_by("position")],
                list(
                    Group.objects.published()
                    .filter(publications=shown)
                    .order_by("display_order", "name")
                    .values_list("slug", flat=True)
                ),
            )
            for shown in publications.newest_first()[:10]
        ]

    def read(shortlist):
        return [
            (
                shown.pk,
                [(a.display_name, a.profile_url) for a in shown.shown_authors],
                [g.slug for g in shown.public_groups],
            )
            for shown in shortlist
        ]

    with translation.override(language):
        for shortlist, owner, publications in [
            (
                selectors.person_publications,
                person,
                Publication.objects.filter(authorships__person=person),
            ),
            (selectors.group_publications, group, Publication.objects.filter(groups=group)),
        ]:
            with django_assert_num_queries(1):
                shown = shortlist(owner)
            assert read(shown) == expected(publications.published())
            assert shown.has_more  # 12 published, 10 shown
    same_day = [made[0].pk, made[1].pk]
    order = [row[0] for row in read(selectors.person_publications(person))]
    assert made[3].pk not in order  # the draft
    assert made[2].pk not in order  # undated: last, the twelfth
    assert [pk for pk in order if pk in same_day] == same_day  # English: Alpha, Beta


def test_person_page_links_to_all_their_publications_when_more_than_ten(client):
    person = PersonFactory(slug="prolific")
    for _ in range(11):
        AuthorshipFactory(person=person)
    response = client.get(person.get_absolute_url())
    assert '<a href="/publications/?author=prolific">All their publications</a>' in response.text
    assert response.text.count('<li class="pub-item') == 10


def test_home_page_features_the_strategy_report(client):
    PublicationFactory(title="Featured paper", is_featured=True)
    PublicationFactory(title="Strategy", kind=PublicationKind.STRATEGY_REPORT, is_featured=True)
    response = client.get("/")
    assert [p.title for p in response.context["featured_publications"]] == ["Strategy"]
    strategy = response.context["featured_publications"][0].get_absolute_url()
    # The Strategy Report is one of the ways in and a key fact, not a "featured" box.
    assert f'<a href="{strategy}"><strong>The Strategy Report</strong>' in response.text
    assert f'<a href="{strategy}">the Strategy Report</a>' in response.text
    assert "Featured publication" not in response.text
