"""Reads for the site-wide pages."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language

from core.cache import cached_value
from core.i18n import content_language, displayed
from core.prepared import Prepared
from jli.models import StoryPage

# The home page's introduction: `.first()` of the published intro pages, in the pages'
# order (one query, compiled once per process and language: core.prepared).
_HOME_INTRO = Prepared(lambda at: StoryPage.objects.published(at=at).filter(is_home_intro=True)[:1])


def home_intro(at=None):
    rows = _HOME_INTRO.rows(at=at or timezone.now())
    return rows[0] if rows else None


def navigation_pages():
    """Published story pages shown in the site header, in the secretariat's order (lazy)."""
    return (
        StoryPage.objects.published()
        .filter(show_in_navigation=True)
        .only("title", "slug")
        .order_by("navigation_order", displayed("title"))
    )


@dataclass(frozen=True)
class MenuLink:
    """A story page in a menu: its title and address, as the template reads a page's
    (`title`, `get_absolute_url`), its slug, and the language its title is written in
    (which `{% lang_of link "title" %}` reads, as it would a page's French version)."""

    title: str
    url: str
    slug: str = ""
    content_language: str = ""

    def get_absolute_url(self):
        return self.url


def _links(pages):
    return [
        MenuLink(page.title, page.get_absolute_url(), page.slug, content_language(page, "title"))
        for page in pages
    ]


def navigation_menu():
    """The site header's story pages as MenuLinks, for the active language.

    Every page's header shows them: kept in the cache until content changes
    (core.cache.cached_value), so a page renders its header without a query.
    """
    return cached_value(f"navigation:{get_language()}", lambda: _links(navigation_pages()))


def story_pages():
    """Every published story page as MenuLinks, for the "About the JLI" list (home and
    story pages), from the cache until content changes, like the header's menu."""

    def compute():
        return _links(
            StoryPage.objects.published()
            .only("title", "slug")
            .order_by("navigation_order", displayed("title"))
        )

    return cached_value(f"story-pages:{get_language()}", compute)


# A story page's query, compiled once per process and language (core.prepared).
_STORY_PAGE = Prepared(
    lambda slug, at: StoryPage.objects.published(at=at).filter(slug=slug), keep_plan=True
)
_PREVIEW = Prepared(lambda slug: StoryPage.objects.filter(slug=slug))


def story_page(*, slug, preview=False):
    """A story page; staff may preview an unpublished one (`preview=True`)."""
    if preview:
        return _PREVIEW.get_or_404(slug=slug)
    return _STORY_PAGE.get_or_404(slug=slug, at=timezone.now())
