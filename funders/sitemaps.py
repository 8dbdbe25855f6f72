from core.site import Sitemap
from funders.models import Funder


class FunderSitemap(Sitemap):
    """Public funders' pages (hidden ones never appear)."""

    changefreq = "yearly"

    def items(self):
        return Funder.objects.public().order_by("pk")

    def lastmod(self, funder):
        return funder.updated_at
