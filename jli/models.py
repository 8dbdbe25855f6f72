"""What the site's content models share: publishing states and story pages."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from jli.sanitize import EDITOR_EXTENSIONS, sanitize_rich_text


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
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and (self.publish_at is None or self.publish_at <= now)
            and (self.expire_at is None or self.expire_at > now)
        )


class StoryPage(Timestamped, Publishable):
    """A page of the initiative's story (goals, history, secretariat, ...)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for lists and search engines."),
    )
    # Edited with a WYSIWYG editor in the admin; a plain TextField in the database and
    # in migrations. Sanitised by the site's one allow-list when saved (here and in
    # save(), for writes that skip forms) and again when shown (`|rich_text`).
    body = ProseEditorField(
        _("body"), blank=True, extensions=EDITOR_EXTENSIONS, sanitize=sanitize_rich_text
    )
    show_in_navigation = models.BooleanField(_("show in navigation"), default=False)
    navigation_order = models.PositiveIntegerField(_("navigation order"), default=0)
    is_home_intro = models.BooleanField(
        _("home page introduction"),
        default=False,
        help_text=_("The home page shows this page's text as its introduction."),
    )

    class Meta(Publishable.Meta):
        verbose_name = _("story page")
        verbose_name_plural = _("story pages")
        ordering = ["navigation_order", "title"]
        indexes = [
            # The site header's menu, on every public page (jli.selectors.navigation_pages).
            models.Index(
                fields=["show_in_navigation", "navigation_order", "title"],
                name="storypage_navigation",
            ),
        ]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                fields=["is_home_intro"],
                condition=Q(is_home_intro=True),
                name="storypage_single_home_intro",
                violation_error_message=_("Another page is already the home page introduction."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_rich_text(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("story_page", kwargs={"slug": self.slug})
