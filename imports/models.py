"""The record of each bulk import: who, when, which file, what it did, and to what."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People and roles (CSV or XLSX)")
    PUBLICATIONS = "publications", _("Publications (BibTeX or RIS)")


class ImportStatus(models.TextChoices):
    # The preview (a dry run) waits for a worker, or runs.
    PREVIEWING = "previewing", _("Preview being prepared")
    PREVIEWED = "previewed", _("Previewed, not confirmed")
    # Confirmed: the import waits for a worker, or runs.
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped, nothing written")
    # Asked to be reverted: a worker undoes it, or has.
    REVERTING = "reverting", _("Being reverted")
    REVERTED = "reverted", _("Reverted")


class ImportRecord(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWING
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
    # What the preview showed (its rows, for the page) and decided (per row: what it does to
    # which record), stored by the preview's task: the confirmed import checks that it
    # still decides the same, then writes exactly that (imports/services.py).
    preview = models.JSONField(_("preview"), default=dict, blank=True, editable=False)
    # The editor's author choices on the preview of publications, kept at confirmation.
    choices = models.JSONField(_("author choices"), default=dict, blank=True, editable=False)
    # The running task's progress (rows done of total; written outside its transaction on
    # PostgreSQL, imports/progress.py) and why it stopped, in words.
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    failure = models.TextField(_("why it stopped"), blank=True)
    started_at = models.DateTimeField(_("import started at"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reverted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
