"""OAI-PMH 2.0 at /oai/: the six verbs, every error of the protocol, a whole harvest.

The error cases are those the OAI-PMH validator (openarchives.org) sends: missing,
unknown and repeated verbs, illegal, missing and repeated arguments, bad dates and
mixed granularities, invalid and expired resumption tokens, unknown formats and
identifiers, and empty answers.
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from core.models import Status
from core.services import publishable_set_status
from opendata import oai
from publications.models import Publication, PublicationKind
from tests.factories import (
    AuthorshipFactory,
    GroupFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

NS = {"o": oai.OAI, "dc": oai.DC, "oai_dc": oai.OAI_DC}
REPOSITORY = "oai:testserver.example:publications/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://testserver.example"
    settings.OAI_ADMIN_EMAIL = "secretariat@jli.example.org"


def harvest(client, method="get", **arguments):
    response = getattr(client, method)("/oai/", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == f"{{{oai.OAI}}}OAI-PMH"
    return root


def error_code(root):
    errors = root.findall("o:error", NS)
    return errors[0].get("code") if errors else None


def identifiers(root):
    return [node.text for node in root.iterfind(".//o:header/o:identifier", NS)]


def deleted(root):
    return [
        header.find("o:identifier", NS).text
        for header in root.iterfind(".//o:header", NS)
        if header.get("status") == "deleted"
    ]


def ident(publication):
    return f"{REPOSITORY}{publication.pk}"


def stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_times(publication, **times):
    """Change times as the clock or an old save would, without a save now."""
    Publication.objects.filter(pk=publication.pk).update(**times)


# --- Identify, ListMetadataFormats, ListSets --------------------------------------------


def test_identify_describes_the_repository(client):
    publication = PublicationFactory()
    set_times(publication, updated_at=datetime.datetime(2004, 5, 3, 10, 0, 1, tzinfo=datetime.UTC))
    root = harvest(client, verb="Identify")
    node = root.find("o:Identify", NS)
    assert node.findtext("o:baseURL", namespaces=NS) == "https://testserver.example/oai/"
    assert node.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert node.findtext("o:adminEmail", namespaces=NS) == "secretariat@jli.example.org"
    assert node.findtext("o:earliestDatestamp", namespaces=NS) == "2004-05-03T10:00:01Z"
    assert node.findtext("o:deletedRecord", namespaces=NS) == "transient"
    assert node.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    request = root.find("o:request", NS)
    assert request.attrib == {"verb": "Identify"}
    assert request.text == "https://testserver.example/oai/"


def test_post_is_answered_like_get(client):
    root = harvest(client, "post", verb="Identify")
    assert root.find("o:Identify", NS) is not None


def test_list_metadata_formats_offers_oai_dc(client):
    publication = PublicationFactory()
    for root in (
        harvest(client, verb="ListMetadataFormats"),
        harvest(client, verb="ListMetadataFormats", identifier=ident(publication)),
    ):
        prefixes = [n.text for n in root.iterfind(".//o:metadataPrefix", NS)]
        assert prefixes == ["oai_dc"]
        assert root.findtext(".//o:metadataNamespace", namespaces=NS) == oai.OAI_DC


def test_list_sets_lists_kinds_and_published_groups(client):
    GroupFactory(slug="workforce", name="Workforce")
    GroupFactory(slug="draft-group", status=Status.DRAFT)
    root = harvest(client, verb="ListSets")
    specs = [n.text for n in root.iterfind(".//o:setSpec", NS)]
    kinds = [f"kind:{value}" for value in PublicationKind.values]
    assert specs == ["kind", *kinds, "group", "group:workforce"]


# --- Errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"verb": "Frobnicate"},
        {"verb": ["Identify", "Identify"]},
        {"verb": ["Identify", "ListSets"]},
        {"verb": "identify"},
    ],
    ids=["missing", "unknown", "repeated", "two verbs", "wrong case"],
)
def test_bad_verbs_are_bad_verb(client, query):
    root = harvest(client, **query)
    assert error_code(root) == "badVerb"
    # After badVerb or badArgument the request element has no attributes.
    assert root.find("o:request", NS).attrib == {}


@pytest.mark.parametrize(
    "query",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "ListIdentifiers", "from": "2004-01-01"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "foo": "bar"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "GetRecord", "identifier": f"{REPOSITORY}1"},
        {"verb": "ListMetadataFormats", "metadataPrefix": "oai_dc"},
        {"verb": "ListSets", "set": "kind"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2004-13-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2004-02-30"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2004-1-1"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2004-01-01T00:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2004-01-01T00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2004-01-01T25:00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "a long time ago"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "99999-01-01"},
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2004-01-01",
            "until": "2005-01-01T00:00:00Z",
        },
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2005-01-01",
            "until": "2004-01-01",
        },
    ],
)
def test_bad_arguments_are_bad_argument(client, query):
    root = harvest(client, **query)
    assert error_code(root) == "badArgument"
    assert root.find("o:request", NS).attrib == {}


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers", "ListSets"])
def test_a_forged_resumption_token_is_refused(client, verb):
    root = harvest(client, verb=verb, resumptionToken="not-a-token")
    assert error_code(root) == "badResumptionToken"
    assert root.find("o:request", NS).get("resumptionToken") == "not-a-token"


def _first_token(client, verb="ListRecords"):
    root = harvest(client, verb=verb, metadataPrefix="oai_dc")
    return root.find(f".//o:{verb}/o:resumptionToken", NS).text


def test_an_expired_resumption_token_is_refused(client, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 1)
    PublicationFactory.create_batch(2)
    token = _first_token(client)
    monkeypatch.setattr(oai, "TOKEN_LIFETIME", datetime.timedelta(seconds=-1))
    root = harvest(client, verb="ListRecords", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"
    assert "expired" in root.findtext("o:error", namespaces=NS)


def test_a_token_of_another_verb_is_refused(client, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 1)
    PublicationFactory.create_batch(2)
    token = _first_token(client, "ListIdentifiers")
    assert error_code(harvest(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_an_unknown_format_cannot_be_disseminated(client, verb):
    PublicationFactory()
    root = harvest(client, verb=verb, metadataPrefix="marc21")
    assert error_code(root) == "cannotDisseminateFormat"
    assert root.find("o:request", NS).get("metadataPrefix") == "marc21"


def test_get_record_of_an_unknown_format_cannot_be_disseminated(client):
    publication = PublicationFactory()
    root = harvest(client, verb="GetRecord", identifier=ident(publication), metadataPrefix="x")
    assert error_code(root) == "cannotDisseminateFormat"


@pytest.mark.parametrize(
    "identifier",
    [
        f"{REPOSITORY}999999",
        "oai:elsewhere.org:publications/1",
        "nonsense",
        f"{REPOSITORY}-1",
        f"{REPOSITORY}１",
        f"{REPOSITORY}{'9' * 40}",
    ],
)
def test_unknown_identifiers_do_not_exist(client, identifier):
    PublicationFactory()
    for query in (
        {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "oai_dc"},
        {"verb": "ListMetadataFormats", "identifier": identifier},
    ):
        assert error_code(harvest(client, **query)) == "idDoesNotExist"


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"from": "2999-01-01"},
        {"until": "1999-01-01"},
        {"set": "kind:brochure"},
        {"set": "group:no-such-group"},
        {"set": "nonsense"},
    ],
)
def test_empty_lists_are_no_records_match(client, extra):
    if extra:
        PublicationFactory(kind=PublicationKind.REPORT)
    for verb in ("ListRecords", "ListIdentifiers"):
        root = harvest(client, verb=verb, metadataPrefix="oai_dc", **extra)
        assert error_code(root) == "noRecordsMatch"


def test_control_characters_in_arguments_keep_the_xml_well_formed(client):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc\x01\x02")
    assert error_code(root) == "cannotDisseminateFormat"


def test_markup_in_values_and_arguments_is_escaped(client):
    """The document is written as text (opendata.oai._element): what looks like markup
    in a record or an argument stays text, and the XML stays well formed."""
    publication = PublicationFactory(title='R&D <draft> "one"\tand\ttwo', subtitle="")
    root = harvest(client, verb="GetRecord", identifier=ident(publication), metadataPrefix="oai_dc")
    assert root.findtext(".//dc:title", namespaces=NS) == 'R&D <draft> "one"\tand\ttwo'
    root = harvest(client, verb="ListRecords", metadataPrefix='x<&"\n\ty')
    assert error_code(root) == "cannotDisseminateFormat"
    assert root.find("o:request", NS).get("metadataPrefix") == 'x<&"\n\ty'


def test_a_value_of_characters_xml_cannot_carry_is_written_empty(client):
    """What XML 1.0 cannot carry is dropped (from the whole document at once): a value
    of nothing else is an empty element, as ElementTree wrote it, and the rest of the
    record and of the document stays as written."""
    publication = PublicationFactory(title="Caf\x01e <1>", subtitle="", publisher="\x01\x02")
    response = client.get("/oai/", {"verb": "GetRecord", "identifier": ident(publication),
                                    "metadataPrefix": "oai_dc\x0b"})  # fmt: skip
    assert b'<error code="cannotDisseminateFormat">' in response.content
    assert b'metadataPrefix="oai_dc"' in response.content
    response = client.get("/oai/", {"verb": "GetRecord", "identifier": ident(publication),
                                    "metadataPrefix": "oai_dc"})  # fmt: skip
    assert b"<dc:title>Cafe &lt;1&gt;</dc:title>" in response.content
    assert b"<dc:publisher />" in response.content
    assert b"\x01" not in response.content


# --- Records ----------------------------------------------------------------------------


def test_get_record_gives_dublin_core(client):
    group = GroupFactory(slug="workforce")
    publication = PublicationFactory(
        title="Human Resources for Health",
        subtitle="Overcoming the Crisis",
        kind=PublicationKind.STRATEGY_REPORT,
        published_on=datetime.date(2004, 11, 1),
        date_precision="month",
        abstract="The strategy\x0b report.",
        publisher="Harvard University Press",
        doi="10.1234/jli",
        licence="CC BY 4.0",
    )
    publication.groups.add(group, GroupFactory(status=Status.DRAFT))
    publication.topics.add(TopicFactory(name="Migration"))
    AuthorshipFactory(publication=publication, person=PersonFactory(
        given_name="Lincoln", family_name="Chen"), position=1)  # fmt: skip
    AuthorshipFactory(publication=publication, person=None, name="JLI", position=2)
    root = harvest(client, verb="GetRecord", identifier=ident(publication), metadataPrefix="oai_dc")
    header = root.find(".//o:header", NS)
    assert header.findtext("o:identifier", namespaces=NS) == ident(publication)
    assert [n.text for n in header.iterfind("o:setSpec", NS)] == [
        "kind:strategy_report",
        "group:workforce",
    ]
    publication.refresh_from_db()
    assert header.findtext("o:datestamp", namespaces=NS) == stamp(publication.updated_at)
    dc = root.find(".//o:metadata/oai_dc:dc", NS)

    def values(name):
        return [n.text for n in dc.iterfind(f"dc:{name}", NS)]

    assert values("title") == ["Human Resources for Health: Overcoming the Crisis"]
    assert values("creator") == ["Chen, Lincoln", "JLI"]
    assert values("subject") == ["Migration"]
    assert values("description") == ["The strategy report."]
    assert values("date") == ["2004-11"]
    assert values("type") == ["Text", "Strategy report"]
    assert values("identifier") == [
        f"https://testserver.example/publications/{publication.slug}/",
        "https://doi.org/10.1234/jli",
    ]
    assert values("rights") == ["CC BY 4.0"]
    assert values("publisher") == ["Harvard University Press"]


def test_never_public_publications_never_appear(client):
    PublicationFactory(status=Status.DRAFT)
    scheduled = PublicationFactory(publish_at=timezone.now() + datetime.timedelta(days=1))
    born_expired = PublicationFactory()
    set_times(born_expired, expire_at=born_expired.created_at - datetime.timedelta(seconds=1),
              publish_at=born_expired.created_at - datetime.timedelta(days=1))  # fmt: skip
    # A scheduled publication taken back to draft before it went live.
    scheduled.status = Status.DRAFT
    scheduled.save()
    assert error_code(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == (
        "noRecordsMatch"
    )
    for publication in Publication.objects.all():
        root = harvest(
            client, verb="GetRecord", identifier=ident(publication), metadataPrefix="oai_dc"
        )
        assert error_code(root) == "idDoesNotExist"


def test_publications_that_stop_being_public_are_deleted_records(client):
    unpublished, removed, bulk, expired, public = PublicationFactory.create_batch(5)
    unpublished.status = Status.DRAFT
    unpublished.save()
    removed_id = ident(removed)
    removed.delete()
    publishable_set_status(queryset=Publication.objects.filter(pk=bulk.pk), status=Status.DRAFT)
    expiry = timezone.now() - datetime.timedelta(minutes=1)
    day_before = expiry - datetime.timedelta(days=1)
    set_times(expired, expire_at=expiry, created_at=day_before, updated_at=day_before)
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert sorted(identifiers(root)) == sorted(
        [ident(p) for p in (unpublished, bulk, expired, public)] + [removed_id]
    )
    assert sorted(deleted(root)) == sorted(
        [ident(p) for p in (unpublished, bulk, expired)] + [removed_id]
    )
    record = harvest(client, verb="GetRecord", identifier=ident(expired), metadataPrefix="oai_dc")
    assert record.find(".//o:header", NS).get("status") == "deleted"
    assert record.findtext(".//o:datestamp", namespaces=NS) == stamp(expiry)
    assert record.find(".//o:metadata", NS) is None
    # Published again: a full record once more.
    unpublished.status = Status.PUBLISHED
    unpublished.save()
    root = harvest(client, verb="GetRecord", identifier=ident(unpublished), metadataPrefix="oai_dc")
    assert root.find(".//o:header", NS).get("status") is None
    assert root.find(".//o:metadata", NS) is not None


def test_a_scheduled_go_live_changes_the_datestamp(client):
    """No save happens at go-live: a harvester asking what changed since must see it."""
    publication = PublicationFactory(publish_at=timezone.now() + datetime.timedelta(days=1))
    last_harvest = timezone.now() - datetime.timedelta(minutes=10)
    set_times(publication, updated_at=last_harvest - datetime.timedelta(days=30))
    assert error_code(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == (
        "noRecordsMatch"
    )
    went_live = timezone.now() - datetime.timedelta(minutes=1)
    set_times(publication, publish_at=went_live)  # the clock moved on
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                   **{"from": stamp(last_harvest)})  # fmt: skip
    assert identifiers(root) == [ident(publication)]
    assert root.findtext(".//o:datestamp", namespaces=NS) == stamp(went_live)


def test_from_and_until_are_inclusive_at_both_granularities(client):
    publication = PublicationFactory()
    moment = datetime.datetime(2010, 6, 1, 12, 30, 15, 500000, tzinfo=datetime.UTC)
    set_times(publication, updated_at=moment)
    inside = [
        {"from": "2010-06-01T12:30:15Z", "until": "2010-06-01T12:30:15Z"},
        {"from": "2010-06-01", "until": "2010-06-01"},
        {"until": "2010-06-01"},
        {"from": "2010-06-01"},
    ]
    outside = [{"from": "2010-06-01T12:30:16Z"}, {"until": "2010-06-01T12:30:14Z"},
               {"until": "2010-05-31"}, {"from": "2010-06-02"}]  # fmt: skip
    for extra in inside:
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **extra)
        assert identifiers(root) == [ident(publication)], extra
    for extra in outside:
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **extra)
        assert error_code(root) == "noRecordsMatch", extra


def test_sets_select_by_kind_and_by_group(client):
    group = GroupFactory(slug="workforce")
    report = PublicationFactory(kind=PublicationKind.REPORT)
    paper = PublicationFactory(kind=PublicationKind.WORKING_PAPER)
    paper.groups.add(group)
    gone = PublicationFactory(kind=PublicationKind.WORKING_PAPER)
    gone.groups.add(group)
    gone_id = ident(gone)
    gone.delete()

    def listed(spec):
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        return sorted(identifiers(root))

    assert listed("kind:report") == [ident(report)]
    assert listed("kind:working_paper") == sorted([ident(paper), gone_id])
    assert listed("group:workforce") == sorted([ident(paper), gone_id])
    assert listed("group") == sorted([ident(paper), gone_id])
    assert listed("kind") == sorted([ident(report), ident(paper), gone_id])


# --- A whole harvest --------------------------------------------------------------------


def _walk(client, verb, **arguments):
    """(identifiers, page sizes, cursors) of a whole harvest, following resumption tokens."""
    item = "header" if verb == "ListIdentifiers" else "record"
    root = harvest(client, verb=verb, metadataPrefix="oai_dc", **arguments)
    found, sizes, cursors = [], [], []
    while True:
        found += identifiers(root)
        sizes.append(len(root.findall(f"o:{verb}/o:{item}", NS)))
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is not None:
            cursors.append(int(token.get("cursor")))
        if token is None or not token.text:
            return found, sizes, cursors
        root = harvest(client, verb=verb, resumptionToken=token.text)


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_a_harvest_finds_exactly_the_public_publications(client, monkeypatch, verb):
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    public = PublicationFactory.create_batch(7)
    PublicationFactory.create_batch(2, status=Status.DRAFT)
    PublicationFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    withdrawn = PublicationFactory.create_batch(2)
    withdrawn_ids = [ident(publication) for publication in withdrawn]
    for publication in withdrawn:
        publication.delete()
    found, sizes, cursors = _walk(client, verb)
    assert found == [ident(publication) for publication in public] + withdrawn_ids
    assert sizes == [3, 3, 3]
    assert cursors == [0, 3, 6]


def test_a_full_page_holds_one_hundred_records(client):
    Publication.objects.bulk_create(
        Publication(title=f"Paper {n}", slug=f"paper-{n}", status=Status.PUBLISHED,
                    published_on=datetime.date(2004, 1, 1))
        for n in range(101)
    )  # fmt: skip
    found, sizes, cursors = _walk(client, "ListIdentifiers")
    assert sizes == [100, 1]
    assert cursors == [0, 100]
    assert len(set(found)) == 101


def _publication_with_everything():
    publication = PublicationFactory()
    publication.groups.add(GroupFactory())
    publication.topics.add(TopicFactory())
    AuthorshipFactory(publication=publication)
    return publication


@pytest.mark.parametrize("count", [1, 3])
def test_a_page_of_records_runs_constant_queries(client, django_assert_num_queries, count):
    for _ in range(count):
        _publication_with_everything()
    PublicationFactory().delete()
    # The page of publications, its authors, their people, its topics and published
    # groups together (one UNION ALL), then the page of deleted records.
    with django_assert_num_queries(5):
        root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(identifiers(root)) == count + 1


def test_answers_are_kept_until_content_changes_and_say_when_they_were_given(
    client, page_cache, monkeypatch, django_assert_num_queries
):
    """With the page cache on, a repeated harvest is answered from the cache (no query)
    with the same records and the time of its own request; a change of content, saved
    anywhere, shows at once."""
    PublicationFactory(slug="first")
    now = [timezone.now() + datetime.timedelta(minutes=1)]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    arguments = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    first = client.get("/oai/", arguments).content
    now[0] += datetime.timedelta(seconds=1)
    with django_assert_num_queries(0):
        again = client.get("/oai/", arguments).content
    given = [oai.datestamp(now[0] - datetime.timedelta(seconds=1)), oai.datestamp(now[0])]
    assert f"<responseDate>{given[0]}</responseDate>".encode() in first
    assert f"<responseDate>{given[1]}</responseDate>".encode() in again
    assert again.replace(given[1].encode(), given[0].encode(), 1) == first
    assert len(identifiers(ET.fromstring(again))) == 1  # noqa: S314 (our own output)
    monkeypatch.undo()
    PublicationFactory(slug="second")  # saved anywhere: the content version changes
    assert len(identifiers(harvest(client, **arguments))) == 2


def test_a_kept_answer_is_sent_plain_with_the_etag_of_its_own_body(client, page_cache, monkeypatch):
    """Rewritten on every hit (its time of response), a kept answer is kept and sent
    uncompressed, and its ETag is that of the body sent: a harvester revalidating an
    answer given at another second gets the new one, not a 304."""
    PublicationFactory()
    now = [timezone.now() + datetime.timedelta(minutes=1)]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    arguments = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip"}
    first = client.get("/oai/", arguments, **gzip)
    now[0] += datetime.timedelta(seconds=1)
    again = client.get("/oai/", arguments, **gzip)
    same_second = client.get("/oai/", arguments, HTTP_IF_NONE_MATCH=again["ETag"], **gzip)
    now[0] += datetime.timedelta(seconds=1)
    later = client.get("/oai/", arguments, HTTP_IF_NONE_MATCH=again["ETag"], **gzip)

    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert "Content-Encoding" not in again
    assert again["Content-Length"] == str(len(again.content))
    assert again["ETag"] != first["ETag"]
    assert same_second.status_code == 304
    assert later.status_code == 200
    assert f"<responseDate>{oai.datestamp(now[0])}</responseDate>".encode() in later.content


def test_a_post_is_answered_afresh(client, page_cache):
    """A POST's arguments are in its body, not in the address an answer is kept under:
    it is answered afresh, where a GET is answered from the cache until the content
    version changes (here it does not: the title is changed without a signal)."""
    publication = PublicationFactory(title="Before")
    arguments = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    assert b"Before" in client.get("/oai/", arguments).content
    Publication.objects.filter(pk=publication.pk).update(title="After")
    assert b"After" in client.post("/oai/", arguments).content
    assert b"Before" in client.get("/oai/", arguments).content
