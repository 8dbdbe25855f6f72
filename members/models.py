"""Member accounts: invitations to make one, and profile changes held for review.

The people themselves (`groups.Person`) belong to the directory; this app owns what
members do with their accounts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.validators import UploadPath, validate_image_upload, validate_orcid
from groups.models import Person, Visibility


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
