"""Reads for the site-wide pages."""

from jli.models import StoryPage


def home_intro():
    return StoryPage.objects.published().filter(is_home_intro=True).first()
