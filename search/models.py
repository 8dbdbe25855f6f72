"""The search index: one document per public-facing record.

A document stores what the results page shows (kind, title, address, date, language and
the texts snippets are cut from), the facets (kind, publication kind, year, groups) and
the record's visibility window. Visibility is applied when searching, with the meaning of
`published()` itself, so a record that goes live on schedule is found from that moment
with no edit, and one that expires disappears.

The full-text structures depend on the database and live outside the ORM, created by
migration 0002: on PostgreSQL two weighted `tsvector` columns of this table (with a GIN
index), on SQLite an FTS5 table keyed by this table's ids (search/backends/).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import PublishableQuerySet, Status, is_live


class Kind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    PERSON = "person", _("Person")
    GROUP = "group", _("Group")
    EVENT = "event", _("Event")
    FUNDER = "funder", _("Funder")
    PAGE = "page", _("Page")


class SearchDocumentQuerySet(PublishableQuerySet):
    """`published()` is the content models' own definition, applied to the copies of
    their status and schedule kept here."""


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("record"))
    title = models.CharField(_("title"), max_length=400)
    url = models.CharField(_("address"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    # The texts, by weight: the title (highest), then `lead` (subtitle, abstract,
    # authors, people), `body` (descriptions, body texts), `extra` (a PDF's text, lowest).
    lead = models.TextField(_("lead text"), blank=True)
    body = models.TextField(_("body text"), blank=True)
    extra = models.TextField(_("extra text"), blank=True)
    # The record's French version, where it has one (django-modeltranslation's `_fr`
    # columns): matched with French stemming, and shown on French pages (docs/design.md
    # "Languages"). Empty when the record has no French text. No French PDF text.
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    lead_fr = models.TextField(_("lead text (French)"), blank=True)
    body_fr = models.TextField(_("body text (French)"), blank=True)
    # The record's visibility, as `core.models.Publishable` defines it. People and
    # funders are "published" when their profile or acknowledgement is public.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    publish_at = models.DateTimeField(_("go live at"), null=True, blank=True)
    expire_at = models.DateTimeField(_("expire at"), null=True, blank=True)
    # Facets.
    publication_kind = models.CharField(_("publication kind"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    groups = models.ManyToManyField("groups.Group", verbose_name=_("groups"), related_name="+")
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchdocument_unique"),
        ]
        indexes = [
            # The visibility filter applied to every search (with the kind facet).
            models.Index(fields=["status", "kind"], name="searchdocument_visible"),
            # The candidates of a search, newest first with undated last: an index of
            # PostgreSQL only (migration 0003), as SQLite's CREATE INDEX has no NULLS LAST.
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        """`published()` for this one document (results marked in a staff preview)."""
        return is_live(self)

    @property
    def content_language(self):
        """The language its texts are in (core.i18n marks them with `lang`)."""
        return self.language
