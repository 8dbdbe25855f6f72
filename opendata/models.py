"""What the open-data outputs must remember that the content tables forget."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletedPublication(models.Model):
    """A publication that was public once and may not be any more (OAI-PMH tombstone).

    Written whenever a publication that has been public is saved or deleted
    (opendata.services): the last such write is the moment it stopped being public when
    it did so by an edit or a deletion. A row whose publication is public (again) is
    ignored. Going live and expiring on schedule need no row: the publication's own
    times say when (opendata.selectors).
    """

    # The publication's primary key, not a foreign key: the row outlives a deletion.
    publication_pk = models.PositiveBigIntegerField(_("publication id"), unique=True)
    datestamp = models.DateTimeField(_("last public change"))
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    # The slugs of the published groups it belonged to, space-separated (its OAI sets).
    group_slugs = models.TextField(_("groups"), blank=True)

    class Meta:
        verbose_name = _("deleted publication")
        verbose_name_plural = _("deleted publications")
        ordering = ["publication_pk"]

    def __str__(self):
        return f"publication {self.publication_pk}"
