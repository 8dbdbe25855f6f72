"""Funding partners and supporters, and how the initiative acknowledges them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit
from simple_history.models import HistoricalRecords

from core.choices import choice_label
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

    # The labels, looked up once per language (core.choices): the lists show them per row.
    def get_tier_display(self):
        return choice_label(Tier, self.tier)

    def get_organisation_kind_display(self):
        return choice_label(OrganisationKind, self.organisation_kind)

    def get_support_kind_display(self):
        return choice_label(SupportKind, self.support_kind)

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


class Support(models.Model):
    """One record a funder supported, at its place in the funder's own order: the
    through model of a `funders` relation (publications', events'), which the apps
    above subclass with a foreign key named `supported_field`.

    The funder's page (admin) orders them by hand; the public funder page and the open
    data list them in that order. A link added from the supported record's side (its
    funders ticked on a publication's form) goes to the end of the funder's order
    (`to_the_end`, connected to each subclass's `m2m_changed`).
    """

    funder = models.ForeignKey(
        Funder,
        verbose_name=_("funder"),
        on_delete=models.CASCADE,
        related_name="supported_%(app_label)s",
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    # The name of the other foreign key (the supported record), set by each subclass.
    supported_field = ""
    # The record whose page orders these rows: the audit log links a row's change to
    # the funder's history (core.history.parent_link).
    history_parent = "funder"

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.funder} — {getattr(self, self.supported_field)}"


def to_the_end(sender, *, instance, action, reverse, pk_set, **kwargs):
    """After links are added through the relation's manager (`.add()`, `.set()`: a
    form's ticked funders, an import), put each new link at the end of its funder's
    order, and record it in the links' history (the manager writes them in bulk, which
    history does not see)."""
    if action != "post_add" or not pk_set:
        return
    supported = sender.supported_field
    if reverse:  # from the funder's side: `pk_set` holds supported records
        new = sender.objects.filter(funder=instance, **{f"{supported}_id__in": pk_set})
    else:
        new = sender.objects.filter(**{supported: instance}, funder_id__in=pk_set)
    new = list(new.order_by("pk"))
    ends = dict(
        sender.objects.filter(funder_id__in={row.funder_id for row in new})
        .exclude(pk__in=[row.pk for row in new])
        .values_list("funder_id")
        .annotate(last=models.Max("position"))
        .order_by()
    )
    for row in new:
        last = ends.get(row.funder_id)
        row.position = 1 if last is None else last + 1
        ends[row.funder_id] = row.position
    sender.objects.bulk_update(new, ["position"])
    user = getattr(instance, "_history_user", None) or _request_user()
    sender.history.bulk_history_create(new, default_user=user)


def _request_user():
    """The signed-in user of the request being served, if any (simple-history's
    middleware keeps it), to credit links written in bulk."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
