"""People, the groups they form, and the roles they hold in them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.choices import choice_label
from core.history_records import TranslatedHistoricalRecords
from core.links import slug_url
from core.models import Publishable, PublishableQuerySet, Timestamped
from core.validators import UploadPath, validate_image_upload, validate_orcid


class Visibility(models.TextChoices):
    NOBODY = "nobody", _("Nobody")
    MEMBERS = "members", _("Signed-in members")
    EVERYONE = "everyone", _("Everyone")


class PersonQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Person(Timestamped):
    honorific = models.CharField(
        _("honorific"), max_length=40, blank=True, help_text=_("For example Dr or Prof.")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("The last part of the person's web address; letters, digits and hyphens."),
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(
        _("short biography"), max_length=3000, blank=True, help_text=_("Plain text.")
    )
    photo = models.ImageField(
        _("photo"),
        upload_to=UploadPath("people"),
        blank=True,
        validators=[validate_image_upload],
    )
    photo_alt = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    email_visibility = models.CharField(
        _("e-mail shown to"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.NOBODY,
    )
    website = models.URLField(_("web site"), blank=True)
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text=_("Like 0000-0002-1825-0097."),
    )
    is_public = models.BooleanField(
        _("profile is public"),
        default=True,
        help_text=_("A private profile answers 'not found' to the public."),
    )
    allow_indexing = models.BooleanField(_("search engines may index the profile"), default=True)
    self_editing = models.BooleanField(
        _("member may edit their own profile"),
        default=True,
        help_text=_("Untick to keep this profile in the secretariat's hands only."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]
        indexes = [
            # The public directory: public profiles in alphabetical order.
            models.Index(
                fields=["is_public", "family_name", "given_name"], name="person_directory"
            ),
            # The directory's country filter.
            models.Index(fields=["country"], name="person_country"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return slug_url("groups:person_detail", self.slug)

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def display_name(self):
        return f"{self.honorific} {self.full_name}".strip()

    def email_for(self, user):
        """The e-mail address if the person chose to show it to this viewer, else ''."""
        if self.email_visibility == Visibility.EVERYONE or (
            self.email_visibility == Visibility.MEMBERS and user.is_authenticated
        ):
            return self.email
        return ""

    @property
    def orcid_url(self):
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


class GroupKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working group")
    SECRETARIAT = "secretariat", _("Secretariat")
    RESEARCH_WRITING = "research_writing", _("Research and writing team")
    STEERING = "steering", _("Steering committee")
    ADVISORY = "advisory", _("Advisory group")
    OTHER = "other", _("Other group")


class GroupQuerySet(PublishableQuerySet):
    def by_kind_order(self):
        """Working groups first, then the secretariat, the writing team and the rest."""
        order = Case(
            *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(GroupKind.values)),
            default=Value(len(GroupKind.values)),
        )
        return self.alias(kind_rank=order).order_by("kind_rank", "display_order", "name")


class Group(Timestamped, Publishable):
    kind = models.CharField(
        _("kind"), max_length=20, choices=GroupKind.choices, default=GroupKind.WORKING_GROUP
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    theme = models.CharField(
        _("theme"), max_length=200, blank=True, help_text=_("A few words, like 'supply'.")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Plain text."))
    display_order = models.PositiveIntegerField(
        _("display order"), default=0, help_text=_("Lower numbers come first within a kind.")
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)

    objects = GroupQuerySet.as_manager()

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = TranslatedHistoricalRecords()

    class Meta(Publishable.Meta):
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["display_order", "name"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=F("active_from")),
                name="group_active_period_in_order",
                violation_error_message=_("A group cannot end before it starts."),
            ),
        ]
        indexes = [
            # The groups index and the home page: published groups by kind and order.
            models.Index(fields=["status", "kind", "display_order"], name="group_listing"),
        ]

    def __str__(self):
        return self.name

    def get_kind_display(self):
        """The label, looked up once per language (core.choices): lists call it per row."""
        return choice_label(GroupKind, self.kind)

    def get_absolute_url(self):
        return slug_url("groups:group_detail", self.slug)


class SecretariatBase(models.Model):
    """One of the secretariat's bases: a host institution in a city."""

    institution = models.CharField(_("host institution"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    website = models.URLField(_("web site"), blank=True)
    display_order = models.PositiveIntegerField(_("display order"), default=0)

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("secretariat base")
        verbose_name_plural = _("secretariat bases")
        ordering = ["display_order", "institution"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "city"],
                name="secretariatbase_unique_institution_city",
                violation_error_message=_("This base is already recorded."),
            ),
        ]

    def __str__(self):
        return _("%(institution)s, %(city)s") % {"institution": self.institution, "city": self.city}


class Role(models.TextChoices):
    # Listed in the order a group page shows them.
    CO_CHAIR = "co_chair", _("Co-chair")
    COORDINATOR = "coordinator", _("Coordinator")
    LEAD_WRITER = "lead_writer", _("Lead writer")
    WRITER = "writer", _("Writer")
    STAFF = "staff", _("Staff")
    ADVISER = "adviser", _("Adviser")
    MEMBER = "member", _("Member")


# A date before any real membership, so undated roles compare equal in the constraint.
_UNDATED = datetime.date(1900, 1, 1)


def role_order():
    """The order of a group's roles on its page: co-chairs first, then the other roles
    in the order of `Role`, then as the secretariat ordered them, then by name (order
    expressions)."""
    rank = Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
        default=Value(len(Role.values)),
    )
    by_name = ("display_order", "person__family_name", "person__given_name")
    return [rank.asc(), *(F(name).asc() for name in by_name)]


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or datetime.date.today()  # noqa: DTZ011 (a calendar date, not an instant)
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))

    def past(self, on=None):
        on = on or datetime.date.today()  # noqa: DTZ011
        return self.filter(end_date__lt=on)


class Membership(Timestamped):
    # Timestamped: the open-data API's `updated_since` finds memberships changed since a
    # client's last sync (README, "Open data").
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty while the role lasts.")
    )
    base = models.ForeignKey(
        SecretariatBase,
        verbose_name=_("secretariat base"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        help_text=_("For secretariat staff: the base they work at."),
    )
    display_order = models.PositiveIntegerField(_("display order"), default=0)

    objects = MembershipQuerySet.as_manager()

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = HistoricalRecords()

    class Meta:
        # "Roles in groups" in the admin, beside Django's permission groups.
        verbose_name = _("role in a group")
        verbose_name_plural = _("roles in groups")
        ordering = ["group", "display_order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("A role cannot end before it starts."),
            ),
            # The same role twice in one group from the same date (or both undated).
            models.UniqueConstraint(
                "person",
                "group",
                "role",
                Coalesce("start_date", Value(_UNDATED)),
                name="membership_unique_role",
                violation_error_message=_(
                    "This person already holds this role in this group for the same period."
                ),
            ),
        ]
        indexes = [
            # A person's page and the directory's group and role filters.
            models.Index(fields=["person", "group", "role"], name="membership_person"),
            models.Index(fields=["group", "role"], name="membership_group_role"),
            # The directory's role filter alone (an index-only scan of the role's people;
            # for the role nearly everyone holds, "member", a scan is the better plan).
            models.Index(fields=["role", "person"], name="membership_role"),
            # A group's page: the last day any of its roles ended, and whether any is
            # still open (groups.selectors.group_detail), each one probe of this index.
            models.Index(fields=["group", "end_date"], name="membership_group_end"),
        ]

    def __str__(self):
        return _("%(person)s, %(role)s, %(group)s") % {
            "person": self.person,
            "role": self.get_role_display(),
            "group": self.group,
        }

    def get_role_display(self):
        """The label, looked up once per language (core.choices): lists call it per row."""
        return choice_label(Role, self.role)

    def clean(self):
        """Refuse the same role in the same group over overlapping periods.

        The database constraint catches identical start dates; overlaps of
        different periods need this comparison.
        """
        super().clean()
        if not (self.person_id and self.group_id and self.role):
            return
        start = self.start_date or datetime.date.min
        end = self.end_date or datetime.date.max
        overlapping = (
            Membership.objects.filter(
                person_id=self.person_id, group_id=self.group_id, role=self.role
            )
            .exclude(pk=self.pk)
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=end))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        )
        if overlapping.exists():
            raise ValidationError(
                _("This person already holds this role in this group for an overlapping period.")
            )


# --- What a person's page lists besides their roles ---------------------------------


class PersonLink(models.Model):
    """A labelled web address on a person's profile (a blog, a staff page, ...)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="links"
    )
    label = models.CharField(_("label"), max_length=80)
    url = models.URLField(_("web address"), max_length=300)
    display_order = models.PositiveIntegerField(_("display order"), default=0)

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["person", "display_order", "pk"]
        # A person's page reads their links: the foreign key's index serves it.

    def __str__(self):
        return self.label
