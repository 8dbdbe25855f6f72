"""The record of each bulk import: who, when, which file, what it did, and to what."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People and roles (CSV or XLSX)")
    PUBLICATIONS = "publications", _("Publications (BibTeX or RIS)")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed, not confirmed")
    DONE = "done", _("Imported")


class ImportRecord(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    file_name = models.CharField(_("file"), max_length=255)
    attachments_name = models.CharField(_("PDF files (ZIP)"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # The uploaded files, kept between the preview and the confirmation only (never
    # served: they stay in the database, out of the media storage), emptied once imported.
    source = models.BinaryField(_("uploaded file"), blank=True, editable=False)
    attachments = models.BinaryField(_("uploaded ZIP"), blank=True, editable=False)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # What the import created or changed: the import's records, found from it.
    people = models.ManyToManyField(
        "groups.Person", verbose_name=_("people"), blank=True, related_name="imports"
    )
    memberships = models.ManyToManyField(
        "groups.Membership", verbose_name=_("roles"), blank=True, related_name="imports"
    )
    publications = models.ManyToManyField(
        "publications.Publication",
        verbose_name=_("publications"),
        blank=True,
        related_name="imports",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("%(file)s, %(when)s") % {
            "file": self.file_name,
            "when": self.created_at.strftime("%Y-%m-%d %H:%M") if self.created_at else "",
        }
