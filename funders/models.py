"""Funding partners and supporters, and how the initiative acknowledges them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit

from core.history_records import TranslatedHistoricalRecords
from core.links import slug_url
from core.models import Timestamped
from core.validators import UploadPath, validate_image_upload


class OrganisationKind(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    BILATERAL = "bilateral", _("Bilateral agency")
    MULTILATERAL = "multilateral", _("Multilateral organisation")
    GOVERNMENT = "government", _("Government")
    ACADEMIC = "academic", _("Academic institution")
    NGO = "ngo", _("Non-governmental organisation")
    PRIVATE = "private", _("Private company")
    OTHER = "other", _("Other")


class Tier(models.TextChoices):
    # In the order the acknowledgements page shows them.
    FUNDING_PARTNER = "funding_partner", _("Funding partner")
    PARTICIPATING_CONTRIBUTOR = "contributor", _("Participating contributor")
    INSTITUTIONAL_SUPPORTER = "institutional", _("Institutional supporter")


class SupportKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    IN_KIND = "in_kind", _("In-kind")
    INSTITUTIONAL = "institutional", _("Institutional")


class FunderQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Funder(Timestamped):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    organisation_kind = models.CharField(
        _("kind of organisation"),
        max_length=20,
        choices=OrganisationKind.choices,
        default=OrganisationKind.FOUNDATION,
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("web site"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=UploadPath("funders"),
        blank=True,
        validators=[validate_image_upload],
    )
    # The logo as the acknowledgements show it: fitted into 240 x 120 px, made when
    # first asked for and cached in the media storage (no database column).
    logo_thumbnail = ImageSpecField(source="logo", processors=[ResizeToFit(240, 120)], format="PNG")
    tier = models.CharField(
        _("tier"), max_length=20, choices=Tier.choices, default=Tier.FUNDING_PARTNER
    )
    support_kind = models.CharField(
        _("kind of support"),
        max_length=20,
        choices=SupportKind.choices,
        default=SupportKind.FINANCIAL,
    )
    acknowledgement = models.TextField(
        _("acknowledgement"),
        blank=True,
        help_text=_("What it did for the initiative, in a sentence or two. Plain text."),
    )
    # Left empty, a new funder goes to the end of its tier (save()).
    display_order = models.PositiveIntegerField(
        _("display order"),
        default=None,
        blank=True,
        help_text=_(
            "Where the funder appears among its tier on the acknowledgements page and the "
            "home page: lower numbers come first. Leave empty to put it at the end."
        ),
    )
    is_public = models.BooleanField(_("shown publicly"), default=True)

    objects = FunderQuerySet.as_manager()

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = TranslatedHistoricalRecords()

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["display_order", "name"]
        indexes = [
            # The acknowledgements page: public funders by tier in the secretariat's order.
            models.Index(fields=["is_public", "tier", "display_order"], name="funder_listing"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("funders:funder_detail", self.slug)

    def save(self, *args, **kwargs):
        if self.display_order is None:
            last = (
                Funder.objects.filter(tier=self.tier)
                .exclude(pk=self.pk)
                .aggregate(last=models.Max("display_order"))["last"]
            )
            self.display_order = 0 if last is None else last + 1
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        """The name with its acronym, as the acknowledgements print it."""
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name
