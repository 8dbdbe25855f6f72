from core.site import Sitemap
from publications.models import Publication


class PublicationSitemap(Sitemap):
    """Published publications only."""

    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Publication.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, publication):
        return publication.updated_at
