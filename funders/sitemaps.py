from django.contrib.sitemaps import Sitemap

from funders.models import Funder
from jli.models import StoryPage


class FunderSitemap(Sitemap):
    """Public funders' pages (hidden ones never appear)."""

    changefreq = "yearly"

    def items(self):
        return Funder.objects.public().order_by("pk")

    def lastmod(self, funder):
        return funder.updated_at


class StoryPageSitemap(Sitemap):
    """Published story pages. Lives here because jli/sitemaps.py does not exist yet."""

    changefreq = "yearly"

    def items(self):
        return StoryPage.objects.published().order_by("pk")

    def lastmod(self, page):
        return page.updated_at
