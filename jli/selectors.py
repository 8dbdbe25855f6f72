"""Reads for the site-wide pages."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from core.cache import cached_value
from core.i18n import displayed
from jli.models import StoryPage


def home_intro():
    return StoryPage.objects.published().filter(is_home_intro=True).first()


def navigation_pages():
    """Published story pages shown in the site header, in the secretariat's order (lazy)."""
    return (
        StoryPage.objects.published()
        .filter(show_in_navigation=True)
        .only("title", "slug")
        .order_by("navigation_order", displayed("title"))
    )


def story_pages():
    """Every published story page, for the "About the JLI" list (home and story pages)."""
    return list(
        StoryPage.objects.published()
        .only("title", "slug")
        .order_by("navigation_order", displayed("title"))
    )


@dataclass(frozen=True)
class MenuLink:
    """A story page in the site header: its title and address, as the template reads a
    page's (`title`, `get_absolute_url`)."""

    title: str
    url: str

    def get_absolute_url(self):
        return self.url


def navigation_menu():
    """The site header's story pages as MenuLinks, for the active language.

    Every page's header shows them: kept in the cache until content changes
    (core.cache.cached_value), so a page renders its header without a query.
    """

    def compute():
        return [MenuLink(page.title, page.get_absolute_url()) for page in navigation_pages()]

    return cached_value(f"navigation:{get_language()}", compute)


def story_page(*, slug, preview=False):
    """A story page; staff may preview an unpublished one (`preview=True`)."""
    pages = StoryPage.objects.all() if preview else StoryPage.objects.published()
    return get_object_or_404(pages, slug=slug)
