"""What every content model shares: publishing states, "published", timestamps."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self, at=None):
        """The one definition of what the public may see: published, live, not expired."""
        at = at or timezone.now()
        return self.filter(
            Q(status=Status.PUBLISHED),
            Q(publish_at__isnull=True) | Q(publish_at__lte=at),
            Q(expire_at__isnull=True) | Q(expire_at__gt=at),
        )


class Timestamped(models.Model):
    """When a record was created and last changed (feeds, sitemaps and calendars use it)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def is_live(record) -> bool:
    """`published()` for one record with a `status`, `publish_at` and `expire_at`."""
    now = timezone.now()
    return (
        record.status == Status.PUBLISHED
        and (record.publish_at is None or record.publish_at <= now)
        and (record.expire_at is None or record.expire_at > now)
    )


class Publishable(models.Model):
    """Draft or published, with an optional go-live time and expiry."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Drafts are never shown to the public; staff can preview them."),
    )
    publish_at = models.DateTimeField(
        _("go live at"),
        null=True,
        blank=True,
        help_text=_("Optional: a published item stays hidden until this time."),
    )
    expire_at = models.DateTimeField(
        _("expire at"),
        null=True,
        blank=True,
        help_text=_("Optional: the item is hidden again from this time on."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(expire_at__isnull=True)
                | Q(expire_at__gt=models.F("publish_at")),
                name="%(app_label)s_%(class)s_expires_after_going_live",
                violation_error_message=_("The expiry time must come after the go-live time."),
            ),
        ]

    @property
    def is_live(self):
        return is_live(self)


class LoadedValue(models.Model):
    """What a content loader (`manage.py load_jli`) last wrote into one field of one record.

    Only a fingerprint (SHA-256) of the value: enough to tell, on the next run, whether the
    field still holds what the loader wrote (then a newer text may replace it) or what the
    secretariat wrote since (then it is theirs and stays). See core/content.py.
    """

    model = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    field = models.CharField(_("field"), max_length=100)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("loaded value")
        verbose_name_plural = _("loaded values")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id", "field"], name="loadedvalue_one_per_field"
            ),
        ]

    def __str__(self):
        return f"{self.model} {self.object_id} {self.field}"
