"""/sitemap.xml: published, public pages only."""

from django.urls import reverse

from core.site import Sitemap
from events.sitemaps import EventSitemap
from funders.sitemaps import FunderSitemap
from groups.models import Group, Person
from jli.models import StoryPage
from publications.sitemaps import PublicationSitemap


class StaticViewSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "groups:group_list",
            "groups:person_list",
            "publications:publication_list",
            "events:event_list",
            "funders:funder_list",
        ]

    def location(self, item):
        return reverse(item)


class StoryPageSitemap(Sitemap):
    def items(self):
        return StoryPage.objects.published().only("slug", "updated_at")

    def lastmod(self, page):
        return page.updated_at


class GroupSitemap(Sitemap):
    def items(self):
        return Group.objects.published().only("slug", "updated_at")

    def lastmod(self, group):
        return group.updated_at


class PersonSitemap(Sitemap):
    limit = 5000

    def items(self):
        # People who asked search engines not to index them are left out.
        return Person.objects.public().filter(allow_indexing=True).only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


SITEMAPS = {
    "pages": StaticViewSitemap,
    "story": StoryPageSitemap,
    "groups": GroupSitemap,
    "people": PersonSitemap,
    "publications": PublicationSitemap,
    "events": EventSitemap,
    "funders": FunderSitemap,
}
