"""One factory per model. Unique fields use sequences; nothing happens behind the scenes."""

import datetime
import io

import factory
from django.contrib.auth import get_user_model

from core.models import Status
from events.models import Event, EventKind, Participation
from funders.models import Funder
from groups.models import Group, GroupKind, Membership, Person, PersonLink, Role, SecretariatBase
from jli.models import StoryPage
from members.models import ProfileChange
from publications.models import Authorship, Publication, PublicationKind, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    affiliation = "Example University"
    country = "KE"
    is_public = True


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    kind = GroupKind.WORKING_GROUP
    theme = factory.Sequence(lambda n: f"Theme {n}")
    status = Status.PUBLISHED


class SecretariatBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecretariatBase

    institution = factory.Sequence(lambda n: f"Institution {n}")
    city = "Boston"
    country = "US"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)
    role = Role.MEMBER


class PersonLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonLink

    person = factory.SubFactory(PersonFactory)
    label = factory.Sequence(lambda n: f"Link {n}")
    url = factory.Sequence(lambda n: f"https://example.org/link-{n}")


class ProfileChangeFactory(factory.django.DjangoModelFactory):
    """A pending change proposing the person's current values with a new biography."""

    class Meta:
        model = ProfileChange

    person = factory.SubFactory(PersonFactory)
    submitted_by = factory.LazyAttribute(lambda change: change.person.user)
    bio = "A proposed biography (sample)."
    affiliation = factory.LazyAttribute(lambda change: change.person.affiliation)
    position = factory.LazyAttribute(lambda change: change.person.position)
    country = factory.LazyAttribute(lambda change: change.person.country)
    website = factory.LazyAttribute(lambda change: change.person.website)
    orcid = factory.LazyAttribute(lambda change: change.person.orcid)
    photo_alt = factory.LazyAttribute(lambda change: change.person.photo_alt)
    is_public = factory.LazyAttribute(lambda change: change.person.is_public)
    email_visibility = factory.LazyAttribute(lambda change: change.person.email_visibility)
    allow_indexing = factory.LazyAttribute(lambda change: change.person.allow_indexing)


class StoryPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryPage

    title = factory.Sequence(lambda n: f"Story page {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    body = "<p>What the initiative learned.</p>"
    status = Status.PUBLISHED


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    title = factory.Sequence(lambda n: f"Working paper {n}")
    slug = factory.Sequence(lambda n: f"publication-{n}")
    kind = PublicationKind.WORKING_PAPER
    published_on = datetime.date(2004, 1, 1)
    status = Status.PUBLISHED


def pdf_bytes(pages=2, width=200, height=280):
    """A small, real PDF document of blank pages, made with pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=height)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _pdf_document(page_streams, *, resources=b"", extra_objects=()):
    """A PDF written by hand: one page per content stream, with a correct cross-reference."""
    count = len(page_streams)
    first_page = 4 + len(extra_objects)
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * n) for n in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    for n, stream in enumerate(page_streams):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> %s >> >>" % (first_page + 2 * n + 1, resources)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


def pdf_with_text(*pages):
    """A PDF with a text layer: one page per string given, the string written on it."""

    def escaped(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")

    return _pdf_document([b"BT /F1 12 Tf 20 250 Td (%s) Tj ET" % escaped(text) for text in pages])


def pdf_with_image_only():
    """A PDF like a scan: its one page shows an image and has no text layer."""
    image = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
    image += b" /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    return _pdf_document(
        [b"q 200 0 0 200 50 50 cm /Im1 Do Q"],
        resources=b"/XObject << /Im1 4 0 R >>",
        extra_objects=[image],
    )


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    publication = factory.SubFactory(PublicationFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = EventKind.CONSULTATION
    start_date = datetime.date(2003, 6, 2)
    status = Status.PUBLISHED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Foundation {n}")
    slug = factory.Sequence(lambda n: f"funder-{n}")
    acknowledgement = "Supported the initiative."
