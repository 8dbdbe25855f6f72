"""OAI-PMH 2.0 data provider for publications (https://www.openarchives.org/OAI/2.0/).

`respond(arguments)` answers one request: its arguments as a QueryDict (GET or POST)
in, the XML document out. Everything the protocol says about errors is here; the view
only carries bytes.

- Records: publications that have been public. Public ones are full records;
  those that stopped being public (back to draft, deleted, expired) are deleted headers
  (`deletedRecord` is `transient`: publications deleted before this provider existed
  were never recorded). A publication that never was public never appears.
- Datestamps: the last change of the public record, a scheduled go-live or expiry
  included (opendata.selectors.harvestable_publications), to the second, in UTC.
- Sets: `kind` with `kind:<kind>` below it, and `group` with `group:<slug>` per
  published group.
- Resumption tokens: stateless, signed (Django's signing with SECRET_KEY), valid for
  TOKEN_LIFETIME; 100 records a page, in primary key order, so a page costs the same
  queries wherever it is. The harvest's start time travels in the token: records that
  change during a harvest are left to the next one (their datestamp is later).
- Errors: badVerb, badArgument, badResumptionToken, cannotDisseminateFormat,
  idDoesNotExist and noRecordsMatch as the specification says. noMetadataFormats and
  noSetHierarchy never apply: every record has oai_dc, and sets exist.
"""

import datetime
import functools
import operator
import re

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from core.choices import choice_label
from core.links import slug_url
from core.prepared import Prepared
from groups.models import Group
from opendata import selectors
from opendata.site import absolute_url, repository_identifier, slug_links
from publications.metadata import iso_date
from publications.models import Publication, PublicationKind

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
# Every namespace the documents use, by prefix, in the order the root declares them.
NAMESPACES = {"": OAI, "dc": DC, "oai_dc": OAI_DC, "xsi": XSI}

PAGE_SIZE = 100
TOKEN_LIFETIME = datetime.timedelta(hours=24)
RESUMPTION_SALT = "opendata.oai.resumption-token"
FORMATS = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        OAI_DC,
    ),
}
DATESTAMP = "%Y-%m-%dT%H:%M:%SZ"
# As ElementTree wrote it (the documents were once built with it: harvesters saw this).
XML_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"

# The arguments each verb takes: (required, optional, exclusive).
VERBS = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------------------
# XML, written as text
#
# The documents are small and of a fixed shape, so they are written as strings, each
# value escaped where it goes in, rather than built as an ElementTree and serialized: a
# page of 100 records has some 1,900 elements, and the tree cost several Python calls
# per element to build and a dozen more to serialize, half of a page's work. The text
# is what ElementTree wrote (tests/opendata/test_oai.py parses it as XML): namespace
# declarations on the root only, sorted by prefix, for the namespaces used; attributes
# in the order given; an element with no content as <name />.


def _text(value):
    """A value as character data: &, < and > escaped. What XML 1.0 cannot carry is
    dropped from the whole document at once (_document())."""
    text = value if value.__class__ is str else str(value)
    # Replaced only when needed: most values have none of these.
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
     "\t": "&#09;"}
)  # fmt: skip


def _element(name, content="", attributes=None):
    """<name attributes>content</name>, or <name attributes /> without content.
    `content` is XML already (_text() for a value, other elements); the attributes'
    values are escaped here."""
    if attributes:
        attributes = "".join(
            f' {key}="{str(value).translate(_ATTRIBUTE_ESCAPES)}"'
            for key, value in attributes.items()
        )
    else:
        attributes = ""
    if content:
        return f"<{name}{attributes}>{content}</{name}>"
    return f"<{name}{attributes} />"


def _elements(*pairs):
    """Elements with text and no attributes, from (name, value) pairs, one after the
    other: _element(name, _text(value)) each, written here, _text() too (a record has
    a dozen, a page 1,400)."""
    parts = []
    for name, value in pairs:
        text = value if value.__class__ is str else str(value)
        if "&" in text or "<" in text or ">" in text:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        parts.append(f"<{name}>{text}</{name}>" if text else f"<{name} />")
    return "".join(parts)


def datestamp(moment):
    return moment.astimezone(datetime.UTC).strftime(DATESTAMP)


@functools.lru_cache(maxsize=8)
def _repository(site_url):
    """repository_identifier() for this SITE_URL, worked out once (a page has 100)."""
    return repository_identifier()


def identifier_of(pk):
    return f"oai:{_repository(settings.SITE_URL)}:publications/{pk}"


def _pk_of(identifier):
    prefix = f"oai:{repository_identifier()}:publications/"
    local = identifier.removeprefix(prefix)
    if local == identifier or not local.isascii() or not local.isdigit() or len(local) > 18:
        raise OAIError("idDoesNotExist", f"No record has the identifier {identifier}.")
    return int(local)


def base_url():
    return absolute_url(reverse("opendata:oai"))


# ---------------------------------------------------------------------------------------
# Arguments


def _parse_arguments(query):
    """(verb, arguments) from the request's QueryDict; errors as the protocol names them."""
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if not verbs:
            raise OAIError("badVerb", "The verb argument is missing.")
        if len(verbs) > 1:
            raise OAIError("badVerb", "The verb argument is repeated.")
        raise OAIError("badVerb", "The verb argument is not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    arguments = {}
    for name in query:
        if name == "verb":
            continue
        values = query.getlist(name)
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument {name} is repeated.")
        if name not in required | optional and name != exclusive:
            raise OAIError("badArgument", f"{verb} takes no argument {name}.")
        arguments[name] = values[0]
    if exclusive and exclusive in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", f"{exclusive} must be the only argument besides verb.")
        return verb, arguments
    if missing := sorted(required - arguments.keys()):
        raise OAIError("badArgument", f"{verb} needs the argument {', '.join(missing)}.")
    return verb, arguments


def _parse_date(value, *, upper):
    """(first instant excluded or included, granularity) of a from or until argument."""
    try:
        if _DAY.match(value):
            day = datetime.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=datetime.UTC)
            return (day + datetime.timedelta(days=1) if upper else day), "day"
        if _SECOND.match(value):
            moment = datetime.datetime.strptime(value, DATESTAMP).replace(tzinfo=datetime.UTC)
            return (moment + datetime.timedelta(seconds=1) if upper else moment), "second"
    except (ValueError, OverflowError):
        pass
    raise OAIError("badArgument", f"{value} is not a date like 2004-05-31 or 2004-05-31T12:00:00Z.")


def _check_format(prefix):
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"The metadata format {prefix} is not offered.")


# ---------------------------------------------------------------------------------------
# Resumption tokens


def _token(state, now):
    return signing.dumps({**state, "n": now.isoformat()}, salt=RESUMPTION_SALT, compress=True)


def _read_token(token, verb):
    try:
        state = signing.loads(token, salt=RESUMPTION_SALT, max_age=TOKEN_LIFETIME)
    except signing.SignatureExpired:
        raise OAIError("badResumptionToken", "The resumption token has expired.") from None
    except signing.BadSignature:
        raise OAIError("badResumptionToken", "The resumption token is not valid.") from None
    if state.get("v") != verb:
        raise OAIError("badResumptionToken", "The resumption token belongs to another verb.")
    return state


# ---------------------------------------------------------------------------------------
# Verbs


def _identify(arguments, now):
    return _element("Identify", _elements(
        ("repositoryName", "Joint Learning Initiative on Human Resources for Health"),
        ("baseURL", base_url()),
        ("protocolVersion", "2.0"),
        ("adminEmail", settings.OAI_ADMIN_EMAIL),
        ("earliestDatestamp", datestamp(selectors.earliest_datestamp() or now)),
        ("deletedRecord", "transient"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ))  # fmt: skip


def _list_metadata_formats(arguments, now):
    if "identifier" in arguments:
        _find(_pk_of(arguments["identifier"]), now)
    formats = [
        (("metadataPrefix", prefix), ("schema", schema), ("metadataNamespace", namespace))
        for prefix, (schema, namespace) in FORMATS.items()
    ]
    formats = "".join(_element("metadataFormat", _elements(*each)) for each in formats)
    return _element("ListMetadataFormats", formats)


def _list_sets(arguments, now):
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "The list of sets is always complete.")
    sets = [("kind", "Publications by kind")]
    sets += [(f"kind:{value}", str(label)) for value, label in PublicationKind.choices]
    sets += [("group", "Publications by group")]
    sets += [(f"group:{group.slug}", group.name) for group in selectors.public_groups_for_sets()]
    return _element("ListSets", "".join(
        _element("set", _elements(("setSpec", spec), ("setName", name))) for spec, name in sets
    ))  # fmt: skip


def _set_arguments(spec):
    """A set as the arguments of _set_filters() (and of _FIRST_PHASE), {} for no set,
    or None for a set with no record."""
    if not spec:
        return {}
    if spec == "kind":
        return {"whole": True}
    if spec == "group":
        return {"in_groups": True}
    kind = spec.removeprefix("kind:")
    if kind != spec and kind in PublicationKind.values:
        return {"kind": kind}
    slug = spec.removeprefix("group:")
    if slug != spec and _SLUG.match(slug):
        return {"group": slug}
    return None


def _set_filters(at, whole=False, in_groups=False, kind=None, group=None):
    """(filter of publications, filter of tombstones) for a set (_set_arguments()),
    (None, None) for no set; `at`: when groups are published."""
    if whole:
        return Q(), Q()
    if in_groups:
        return Q(pk__in=_in_groups(Group.objects.published(at))), ~Q(group_slugs="")
    if kind is not None:
        return Q(kind=kind), Q(kind=kind)
    if group is not None:
        groups = Group.objects.published(at).filter(slug=group)
        return Q(pk__in=_in_groups(groups)), Q(group_slugs__contains=f" {group} ")
    return None, None


def _in_groups(groups):
    return Publication.groups.through.objects.filter(group_id__in=groups.values("pk")).values(
        "publication_id"
    )


def _list(verb, arguments, now):
    """ListIdentifiers and ListRecords: one page of headers or records."""
    if "resumptionToken" in arguments:
        state = _read_token(arguments["resumptionToken"], verb)
        now = datetime.datetime.fromisoformat(state["n"])
    else:
        _check_format(arguments["metadataPrefix"])
        start = end = None
        if "from" in arguments:
            start, start_granularity = _parse_date(arguments["from"], upper=False)
        if "until" in arguments:
            end, end_granularity = _parse_date(arguments["until"], upper=True)
        if start and end:
            if start_granularity != end_granularity:
                raise OAIError("badArgument", "from and until must have the same granularity.")
            if start >= end:
                raise OAIError("badArgument", "from must not be later than until.")
        state = {
            "v": verb,
            "m": arguments["metadataPrefix"],
            "f": start.isoformat() if start else None,
            "u": end.isoformat() if end else None,
            "s": arguments.get("set"),
            "p": 1,
            "k": 0,
            "c": 0,
        }
    records, next_state = _page(state, now)
    if not records:
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    writer = _RecordWriter()
    write = writer.header if verb == "ListIdentifiers" else writer.record
    parts = [write(record) for record in records]
    if next_state is not None:
        expires = timezone.now() + TOKEN_LIFETIME
        parts.append(_element(
            "resumptionToken",
            _text(_token(next_state, now)),
            {"cursor": state["c"], "expirationDate": datestamp(expires)},
        ))  # fmt: skip
    elif state["c"]:
        parts.append(_element("resumptionToken", attributes={"cursor": state["c"]}))
    return _element(verb, "".join(parts))


def _page(state, now):
    """(records of this page, state of the next page or None)."""
    arguments = {}
    if state["s"]:
        arguments = _set_arguments(state["s"])
        if arguments is None:
            return [], None
    start = datetime.datetime.fromisoformat(state["f"]) if state["f"] else None
    end = datetime.datetime.fromisoformat(state["u"]) if state["u"] else None
    at = timezone.now()
    records, next_key = [], None
    phase, key = state["p"], state["k"]
    if phase == 1:
        rows = selectors.harvestable_rows_of(
            _first_phase(PAGE_SIZE + 1).rows(
                now=now, after=key, at=at, start=start, end=end, **arguments
            )
        )
        records = [
            _Record.of_publication(row) for row in selectors.with_metadata(rows[:PAGE_SIZE], now)
        ]
        if len(rows) > PAGE_SIZE:
            next_key = (1, rows[PAGE_SIZE - 1].pk)
        else:
            phase, key = 2, 0
    if phase == 2:
        set_filter = _set_filters(at, **arguments)[1]
        tombstones = _harvest(selectors.deleted_publications(now), "datestamp", set_filter,
                              start, end, now)  # fmt: skip
        room = PAGE_SIZE - len(records)
        rows = list(tombstones.filter(publication_pk__gt=key)[: room + 1])
        records += [_Record.of_tombstone(row) for row in rows[:room]]
        if len(rows) > room:
            next_key = (2, records[-1].pk if room else 0)
    if next_key is None:
        return records, None
    next_state = {**state, "p": next_key[0], "k": next_key[1], "c": state["c"] + len(records)}
    return records, next_state


def _harvest(queryset, datestamp_field, set_filter, start, end, now):
    """`queryset` cut to what the harvest asks: datestamps up to its start (`now`), from
    `start` and until `end` (None: no bound), in its set."""
    queryset = queryset.filter(**{f"{datestamp_field}__lte": now})
    if start is not None:
        queryset = queryset.filter(**{f"{datestamp_field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{datestamp_field}__lt": end})
    if set_filter is not None:
        queryset = queryset.filter(set_filter)
    return queryset


@functools.cache
def _first_phase(size):
    """The query of the publications of a page: the harvest's values change from one
    page to the next, never the query's shape (one per set kind, bounds and language),
    so it is compiled once per process (core.prepared). The tombstones (a harvest's last
    pages) are queried as built."""

    def build(now, after, at, start=None, end=None, **set_arguments):
        """The values of the first `size` publications after primary key `after`, in
        the harvest (its start `now`, `start`, `end`, its set)."""
        set_filter = _set_filters(at, **set_arguments)[0]
        publications = _harvest(selectors.harvestable_publications(now), "oai_datestamp",
                                set_filter, start, end, now)  # fmt: skip
        return selectors.harvestable_values(publications.filter(pk__gt=after)[:size])

    return Prepared(build)


def _find(pk, now):
    """The record with this primary key, public or deleted; idDoesNotExist otherwise."""
    found = selectors.harvestable_rows(selectors.harvestable_publications(now).filter(pk=pk)[:1])
    if found:
        return _Record.of_publication(selectors.with_metadata(found, now)[0])
    tombstone = selectors.deleted_publications(now).filter(publication_pk=pk).first()
    if tombstone is not None:
        return _Record.of_tombstone(tombstone)
    raise OAIError("idDoesNotExist", f"No record has the identifier {identifier_of(pk)}.")


def _get_record(arguments, now):
    pk = _pk_of(arguments["identifier"])
    _check_format(arguments["metadataPrefix"])
    return _element("GetRecord", _RecordWriter().record(_find(pk, now)))


class _Record:
    """What a header and a record show, from a publication or a tombstone."""

    def __init__(self, pk, stamp, sets, deleted, publication=None):
        self.pk = pk
        self.datestamp = stamp
        self.sets = sets
        self.deleted = deleted
        self.publication = publication

    @classmethod
    def of_publication(cls, publication):
        sets = [f"kind:{publication.kind}"]
        sets += [f"group:{slug}" for slug in publication.group_slugs]
        return cls(
            publication.pk,
            publication.oai_datestamp,
            sets,
            publication.oai_deleted,
            publication,
        )

    @classmethod
    def of_tombstone(cls, tombstone):
        sets = [f"kind:{tombstone.kind}"] if tombstone.kind else []
        sets += [f"group:{slug}" for slug in tombstone.group_slugs.split()]
        return cls(tombstone.publication_pk, tombstone.datestamp, sets, True)


DC_SCHEMA_LOCATION = {"xsi:schemaLocation": f"{OAI_DC} {FORMATS['oai_dc'][0]}"}


class _RecordWriter:
    """Writes the headers and records of one response. What they share is worked out
    once, not once a record: the addresses' patterns (opendata.site.slug_links) and
    the kinds' labels in the active language."""

    def __init__(self):
        self.detail = slug_links(lambda slug: slug_url("publications:publication_detail", slug))
        self.download = slug_links(lambda slug: slug_url("publications:publication_download", slug))
        self.kinds = {}
        # full_title()'s own title and subtitle: their columns named once, not per record.
        self.own_title = operator.attrgetter(
            *(build_localized_fieldname(name, settings.LANGUAGE_CODE)
              for name in ("title", "subtitle"))
        )  # fmt: skip

    def header(self, record):
        return _element(
            "header",
            _elements(
                ("identifier", identifier_of(record.pk)),
                ("datestamp", datestamp(record.datestamp)),
                *(("setSpec", spec) for spec in record.sets),
            ),
            {"status": "deleted"} if record.deleted else None,
        )

    def record(self, record):
        metadata = ""
        if not record.deleted:
            metadata = _element("metadata", self.dublin_core(record.publication))
        return _element("record", self.header(record) + metadata)

    def kind_label(self, kind):
        if kind not in self.kinds:
            self.kinds[kind] = choice_label(PublicationKind, kind)
        return self.kinds[kind]

    def dublin_core(self, publication):
        title, subtitle = self.own_title(publication)
        elements = [("title", f"{title}: {subtitle}" if subtitle else title)]  # full_title()
        for author in publication.authors:
            if author.has_person:
                elements.append(
                    ("creator", f"{author.family_name}, {author.given_name}".strip(", "))
                )
            else:
                elements.append(("creator", author.name))
        elements += [("subject", name) for _slug, name in publication.topic_list]
        elements += [
            ("description", publication.abstract or publication.summary),
            ("publisher", publication.publisher),
            ("date", iso_date(publication)),
            ("type", "Text"),
            ("type", self.kind_label(publication.kind)),
            ("format", "application/pdf" if publication.file else None),
            ("identifier", self.detail(publication.slug)),
            ("identifier", self.download(publication.slug) if publication.file else None),
            ("identifier", publication.doi and f"https://doi.org/{publication.doi}"),
            ("identifier", publication.isbn and f"ISBN {publication.isbn}"),
            ("language", publication.language),
        ]
        if publication.series:
            number = f" {publication.number}" if publication.number else ""
            elements.append(("relation", f"{publication.series}{number}"))
        elements.append(("rights", publication.licence))
        # Only the elements with a value, each in the Dublin Core namespace.
        elements = [(f"dc:{name}", value) for name, value in elements if value]
        return _element("oai_dc:dc", _elements(*elements), DC_SCHEMA_LOCATION)


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": functools.partial(_list, "ListIdentifiers"),
    "ListRecords": functools.partial(_list, "ListRecords"),
    "GetRecord": _get_record,
}
ROOT_ATTRIBUTES = {"xsi:schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"}


def respond(query):
    """The OAI-PMH response (bytes, UTF-8) to a request's arguments (a QueryDict)."""
    now = timezone.now()
    echoed = {}
    try:
        verb, arguments = _parse_arguments(query)
        echoed = {"verb": verb, **arguments}
        body = HANDLERS[verb](arguments, now)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            echoed = {}  # the request is not echoed: it is not a valid one
        body = _element("error", _text(error.message), {"code": error.code})
    content = (
        _element("responseDate", _text(datestamp(now)))
        + _element("request", _text(base_url()), echoed)
        + body
    )
    # The namespaces the document uses (text is escaped: "<dc:" is only ever a tag).
    declared = {
        f"xmlns:{prefix}" if prefix else "xmlns": uri
        for prefix, uri in NAMESPACES.items()
        if prefix in ("", "xsi") or f"<{prefix}:" in content
    }
    root = _element("OAI-PMH", content, {**declared, **ROOT_ATTRIBUTES})
    return XML_DECLARATION + _document(root).encode()


# The answer's responseDate element: the first in the document (respond() writes it first).
_RESPONSE_DATE = re.compile(rb"<responseDate>[^<]*</responseDate>")


def redated_response(response):
    """A kept answer (an HttpResponse), given now as its responseDate, as the page cache
    serves it on each hit (core.cache). Its ETag went with the old date: the
    conditional GET works out the new one."""
    now = datestamp(timezone.now()).encode()
    response.content = _RESPONSE_DATE.sub(
        b"<responseDate>" + now + b"</responseDate>", response.content, count=1
    )
    response["Content-Length"] = str(len(response.content))
    del response["ETag"]
    return response


# An element written with content, the content then all dropped by _document(): written
# <name /> as any element without content is (_element() never writes <name></name>).
_EMPTIED = re.compile(r"<([^\s<>/]+)([^<>]*)(?<!/)></\1>")


def _document(text):
    """The document without what XML 1.0 cannot carry, even escaped: dropped here from
    the whole text at once rather than from each of a page's 1,500 values (the same
    text: neither the tags nor the escapes hold such a character, and dropping one
    does not change how the others escape). An element whose every character was
    dropped is written empty, <name />, as if its value had been empty."""
    text, dropped = _NOT_XML.subn("", text)
    if dropped:
        text = _EMPTIED.sub(r"<\1\2 />", text)
    return text
