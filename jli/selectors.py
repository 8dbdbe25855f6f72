"""Reads for the site-wide pages."""

from django.shortcuts import get_object_or_404

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
        StoryPage.objects.published().only("title", "slug").order_by("navigation_order", "title")
    )


def story_page(*, slug, preview=False):
    """A story page; staff may preview an unpublished one (`preview=True`)."""
    pages = StoryPage.objects.all() if preview else StoryPage.objects.published()
    return get_object_or_404(pages, slug=slug)
