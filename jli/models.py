"""The initiative's story pages (goals, history, secretariat, ...)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from core.history_records import TranslatedHistoricalRecords
from core.links import slug_url
from core.models import Publishable, Timestamped
from core.sanitize import EDITOR_EXTENSIONS, sanitize_rich_text


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

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = TranslatedHistoricalRecords()

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
        # Every language's version (jli/translation.py), each column itself: assigning
        # `self.body` would write the active language's column, copying the English
        # fallback into an empty French version.
        for name in ("body", *(f"body_{code}" for code, _name in settings.LANGUAGES)):
            value = self.__dict__.get(name)
            if value:
                self.__dict__[name] = sanitize_rich_text(value)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("story_page", self.slug)
