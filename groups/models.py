"""People, the groups they form, and the roles they hold in them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from jli.models import Publishable, PublishableQuerySet, Timestamped
from jli.validators import UploadPath, validate_image_upload, validate_orcid


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
        return reverse("groups:person_detail", kwargs={"slug": self.slug})

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

    def get_absolute_url(self):
        return reverse("groups:group_detail", kwargs={"slug": self.slug})


class SecretariatBase(models.Model):
    """One of the secretariat's bases: a host institution in a city."""

    institution = models.CharField(_("host institution"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    website = models.URLField(_("web site"), blank=True)
    display_order = models.PositiveIntegerField(_("display order"), default=0)

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


class MembershipQuerySet(models.QuerySet):
    def in_role_order(self):
        """Co-chairs first, then the other roles in the order of `Role`."""
        order = Case(
            *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
            default=Value(len(Role.values)),
        )
        return self.alias(role_rank=order).order_by(
            "role_rank", "display_order", "person__family_name", "person__given_name"
        )

    def current(self, on=None):
        on = on or datetime.date.today()  # noqa: DTZ011 (a calendar date, not an instant)
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))

    def past(self, on=None):
        on = on or datetime.date.today()  # noqa: DTZ011
        return self.filter(end_date__lt=on)


class Membership(models.Model):
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

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
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
        ]

    def __str__(self):
        return _("%(person)s, %(role)s, %(group)s") % {
            "person": self.person,
            "role": self.get_role_display(),
            "group": self.group,
        }

    @property
    def is_current(self):
        return self.end_date is None or self.end_date >= datetime.date.today()  # noqa: DTZ011

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


# --- Member accounts and self-service profiles --------------------------------------


class PersonLink(models.Model):
    """A labelled web address on a person's profile (a blog, a staff page, ...)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="links"
    )
    label = models.CharField(_("label"), max_length=80)
    url = models.URLField(_("web address"), max_length=300)
    display_order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["person", "display_order", "pk"]
        # A person's page reads their links: the foreign key's index serves it.

    def __str__(self):
        return self.label


class InvitationQuerySet(models.QuerySet):
    def open(self, at=None):
        """Invitations not yet used and not expired."""
        at = at or timezone.now()
        return self.filter(accepted_at__isnull=True, expires_at__gt=at)


class Invitation(models.Model):
    """A one-time link, sent by e-mail, with which a person sets the password of a new account.

    Only a hash of the token is stored: a leaked database gives no working link.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        # The link's look-up uses the unique token_hash index; a person's invitations
        # (superseded when a new one is sent) use the foreign key's index.

    def __str__(self):
        return _("Invitation to %(person)s") % {"person": self.person}

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ProfileChange(models.Model):
    """A member's proposed profile, held until the secretariat approves or declines it.

    It holds every field the member may edit (the values they submitted, changed or not),
    a new photo if they sent one, and their links. The public keeps seeing the Person
    until approval copies these values onto it.
    """

    # The fields of Person a member may propose, in the order the form and review show them.
    PERSON_FIELDS = [
        "bio",
        "photo_alt",
        "affiliation",
        "position",
        "country",
        "website",
        "orcid",
        "is_public",
        "email_visibility",
        "allow_indexing",
    ]

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short biography"), max_length=3000, blank=True)
    photo = models.ImageField(
        _("new photo"),
        upload_to=UploadPath("people"),
        blank=True,
        validators=[validate_image_upload],
    )
    remove_photo = models.BooleanField(_("remove the photo"), default=False)
    photo_alt = models.CharField(_("photo description"), max_length=250, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("web site"), blank=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    links = models.JSONField(
        _("links"), default=list, blank=True, help_text=_("A list of {label, url}.")
    )
    is_public = models.BooleanField(_("profile is public"), default=True)
    email_visibility = models.CharField(
        _("e-mail shown to"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.NOBODY,
    )
    allow_indexing = models.BooleanField(_("search engines may index the profile"), default=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_message = models.TextField(_("message to the member"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["-submitted_at"]
        permissions = [("review_profilechange", _("Can approve or decline profile changes"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="profilechange_one_pending_per_person",
                violation_error_message=_("This person already has changes waiting for review."),
            ),
        ]
        indexes = [
            # The admin's review queue: pending changes, oldest first.
            models.Index(fields=["status", "submitted_at"], name="profilechange_queue"),
            # A member's profile page: their latest change.
            models.Index(fields=["person", "-submitted_at"], name="profilechange_person"),
        ]

    def __str__(self):
        return _("Changes to %(person)s's profile") % {"person": self.person}

    @property
    def is_pending(self):
        return self.status == ReviewStatus.PENDING

    def differences(self, person=None):
        """(label, current, proposed) for each field whose proposed value differs.

        Values are the display forms (country names, choice labels); links and photo
        are compared too.
        """
        person = person or self.person
        rows = []
        for name in self.PERSON_FIELDS:
            field = Person._meta.get_field(name)
            current, proposed = getattr(person, name), getattr(self, name)
            if current != proposed:
                rows.append(
                    (field.verbose_name, _display(field, current), _display(field, proposed))
                )
        if self.photo or (self.remove_photo and person.photo):
            rows.append((_("photo"), person.photo, self.photo or None))
        current_links = [{"label": link.label, "url": link.url} for link in person.links.all()]
        if current_links != list(self.links):
            rows.append((_("links"), current_links, list(self.links)))
        return rows


def _display(field, value):
    if field.name == "country":
        return value.name if value else ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
