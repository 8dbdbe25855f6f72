"""Reports, working papers and the Strategy Report, with their authors and files."""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit
from simple_history.models import HistoricalRecords

from core.choices import choice_label
from core.history_records import TranslatedHistoricalRecords
from core.links import slug_url
from core.models import Publishable, PublishableQuerySet, Timestamped
from core.validators import UploadPath, validate_image_upload, validate_pdf_upload
from funders.models import Support, to_the_end


class PublicationKind(models.TextChoices):
    STRATEGY_REPORT = "strategy_report", _("Strategy report")
    REPORT = "report", _("Report")
    WORKING_PAPER = "working_paper", _("Working paper")
    CONSULTATION_REPORT = "consultation_report", _("Consultation report")
    BROCHURE = "brochure", _("Brochure")
    ARTICLE = "article", _("Article")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year only")
    MONTH = "month", _("Year and month")
    DAY = "day", _("Full date")
    UNKNOWN = "unknown", _("Date unknown")


class Language(models.TextChoices):
    """The languages the initiative published in or may (ISO 639-1 codes, as citations,
    schema.org and Dublin Core want them), shown to the editor by name."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    RUSSIAN = "ru", _("Russian")
    GERMAN = "de", _("German")
    SWAHILI = "sw", _("Swahili")


class TextStatus(models.TextChoices):
    """Where the extraction of a publication's PDF text stands."""

    NONE = "none", _("no PDF")
    PENDING = "pending", _("waiting for extraction")
    EXTRACTED = "extracted", _("extracted")
    NO_TEXT = "no_text", _("no searchable text (a scan?)")
    FAILED = "failed", _("extraction failed")


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PublicationQuerySet(PublishableQuerySet):
    def without_text(self):
        """Without the PDF's text: it may run to megabytes, and pages never show it."""
        return self.defer("text")

    def newest_first(self):
        """Newest first; undated publications last on every database.

        Ordered by an expression (undated sort as the year 1) rather than
        `published_on DESC NULLS LAST`, so that one index serves it on PostgreSQL and on
        SQLite (whose indexes cannot say NULLS LAST): `publication_newest`.
        """
        return self.order_by(NEWEST.desc(), "title", "pk")


# The sort key of "newest first": the publication date, undated ones as the year 1.
NEWEST = Coalesce("published_on", Value(datetime.date(1, 1, 1)), output_field=models.DateField())

# Paths under /publications/ that are pages of their own, not publications.
RESERVED_SLUGS = {"feed", "cite"}


@functools.lru_cache(maxsize=1024)
def _language_name(code, language):
    """`Publication.language_name` for `code` in `language` (active), looked up once."""
    if code in Language.values:
        return choice_label(Language, code)
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


@functools.lru_cache(maxsize=4096)
def _date_display(day, precision, language):
    """`day` as "May 2004" or "3 May 2004" in `language` (active): formatted once per
    date, precision and language, as lists and detail pages show the same few dates."""
    if precision == DatePrecision.MONTH:
        return formats.date_format(day, "F Y")
    return formats.date_format(day, "j F Y")


class Publication(Timestamped, Publishable):
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PublicationKind.choices, default=PublicationKind.REPORT
    )
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_(
            "For a year alone, enter 1 January and choose 'year only' below. "
            "Leave empty only when the date is unknown."
        ),
    )
    date_precision = models.CharField(
        _("date known to"), max_length=7, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    abstract = models.TextField(_("abstract"), blank=True)
    summary = models.TextField(_("plain-language summary"), blank=True)
    body = models.TextField(_("body text"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    place = models.CharField(_("place of publication"), max_length=100, blank=True)
    series = models.CharField(_("series"), max_length=200, blank=True)
    number = models.CharField(_("number in series"), max_length=30, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, help_text=_("Like 10.1234/abcd."))
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    external_url = models.URLField(_("external link"), blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="publications"
    )
    groups = models.ManyToManyField(
        "groups.Group", verbose_name=_("groups"), blank=True, related_name="publications"
    )
    # In each funder's own order (PublicationFunder.position, set on the funder's page).
    funders = models.ManyToManyField(
        "funders.Funder",
        verbose_name=_("funders"),
        blank=True,
        related_name="publications",
        through="PublicationFunder",
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    file = models.FileField(
        _("PDF file"),
        upload_to=UploadPath("publications"),
        blank=True,
        validators=[validate_pdf_upload],
    )
    file_size = models.PositiveBigIntegerField(
        _("file size in bytes"), null=True, blank=True, editable=False
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    # The PDF's text, extracted by a background task (never in a request) so that search
    # can find the publication by what its file says.
    text = models.TextField(_("text of the PDF"), blank=True, editable=False)
    text_status = models.CharField(
        _("searchable text"),
        max_length=10,
        choices=TextStatus.choices,
        default=TextStatus.NONE,
        editable=False,
    )
    # The formatted citations (publications.citations.render_citations), made when the
    # publication, its authors or an author's name change (publications.services), not on
    # every view: citeproc takes tens of milliseconds. Each page checks they still match.
    citations = models.JSONField(_("formatted citations"), default=dict, blank=True, editable=False)
    cover = models.ImageField(
        _("cover image"),
        upload_to=UploadPath("covers"),
        blank=True,
        validators=[validate_image_upload],
    )
    cover_alt = models.CharField(
        _("cover description"),
        max_length=250,
        blank=True,
        help_text=_("What the cover shows, for people who cannot see it."),
    )
    # Made on first use from the cover and kept in storage: no database query.
    cover_thumbnail = ImageSpecField(
        source="cover",
        processors=[ResizeToFit(160, 226)],
        format="JPEG",
        options={"quality": 80},
    )

    objects = PublicationQuerySet.as_manager()

    # Every change kept with who made it, its groups, topics and funders included
    # (core/history.py). Not what is derived from the file or the record: the PDF's
    # text (megabytes, extracted again from the file), its status and the citations.
    history = TranslatedHistoricalRecords(
        excluded_fields=["text", "text_status", "citations"],
        m2m_fields=["groups", "topics", "funders"],
    )

    class Meta(Publishable.Meta):
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = [F("published_on").desc(nulls_last=True), "title"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(date_precision="unknown") & Q(published_on__isnull=True))
                | (~Q(date_precision="unknown") & Q(published_on__isnull=False)),
                name="publication_date_matches_precision",
                violation_error_message=_(
                    "Enter the publication date, or choose 'date unknown' and leave it empty."
                ),
            ),
        ]
        indexes = [
            # The public list, its feed, and group and person pages, newest first: the
            # index is walked in order and stops at the page's end (newest_first()).
            models.Index("status", NEWEST.desc(), "title", "id", name="publication_newest"),
            # The year filter (a date range), then sorted.
            models.Index(fields=["status", "-published_on", "title"], name="publication_by_date"),
            # The kind filter, newest first.
            models.Index("kind", NEWEST.desc(), "title", "id", name="publication_by_kind"),
            # Sorting by title.
            models.Index(fields=["title"], name="publication_by_title"),
            # The home page's featured publication: a handful of rows among many.
            models.Index(
                fields=["-published_on"],
                condition=Q(is_featured=True),
                name="publication_featured",
            ),
        ]
        # The group and topic filters use the indexes Django puts on the M2M tables
        # (group_id, topic_id) and on Authorship.person for a person's page.

    def __str__(self):
        return self.title

    def get_kind_display(self):
        """The label, looked up once per language (core.choices): lists call it per row."""
        return choice_label(PublicationKind, self.kind)

    def get_absolute_url(self):
        return slug_url("publications:publication_detail", self.slug)

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("“%(slug)s” is taken by a page of the site; choose another.")
                 % {"slug": self.slug}}
            )  # fmt: skip

    @property
    def date_display(self):
        """The publication date at the precision it is known."""
        if self.published_on is None:
            return _("Date unknown")
        if self.date_precision == DatePrecision.YEAR:
            return str(self.published_on.year)
        return _date_display(self.published_on, self.date_precision, translation.get_language())

    @property
    def year(self):
        return self.published_on.year if self.published_on else None

    @property
    def content_language(self):
        """The language of its own text (core.i18n): the publication's."""
        return self.language

    @property
    def language_name(self):
        """The language's name in the reader's language, or its code if Django does not know it."""
        return _language_name(self.language, translation.get_language())

    @property
    def is_strategy_report(self):
        return self.kind == PublicationKind.STRATEGY_REPORT

    @property
    def file_format(self):
        return "PDF" if self.file else ""


class Authorship(models.Model):
    """One author of a publication, in order: a person of the site or a name."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="authorships",
    )
    person = models.ForeignKey(
        "groups.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorships",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("For an author who is not on the site, or an organisation."),
    )
    is_organisation = models.BooleanField(_("organisation"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(name=""))
                | (Q(person__isnull=True) & ~Q(name="")),
                name="authorship_person_xor_name",
                violation_error_message=_("Choose a person or type a name, not both."),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.person.full_name if self.person_id else self.name

    @property
    def profile_url(self):
        """The author's page on this site, or "": only people with a public profile get a
        link (on the publication's page, in lists and in its schema.org data)."""
        if self.person_id and self.person.is_public:
            return self.person.get_absolute_url()
        return ""


class PublicationFunder(Support):
    """A funder's support of a publication, at its place in the funder's order."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="funder_links",
    )

    supported_field = "publication"

    # Every change kept with who made it, additions and reordering on the funder's page
    # included. (The publication's own versions list its funders too: that copy of the
    # links is simple-history's HistoricalPublicationFunder, hence this name.)
    history = HistoricalRecords(custom_model_name="HistoricalPublicationFunderLink")

    class Meta(Support.Meta):
        # The table of the relation before it had an order, kept.
        db_table = "publications_publication_funders"
        verbose_name = _("funder of a publication")
        verbose_name_plural = _("funders of publications")
        # As the table had it (Django's own through tables are unique so).
        unique_together = [("publication", "funder")]


models.signals.m2m_changed.connect(to_the_end, sender=PublicationFunder)
