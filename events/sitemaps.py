from core.site import Sitemap
from events.models import Event


class EventSitemap(Sitemap):
    """Published events."""

    changefreq = "monthly"

    def items(self):
        return Event.objects.published().order_by("-starts_at", "pk").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at
