from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from publications import selectors
from publications.citations import full_title
from publications.models import Publication

FEED_ITEMS = 50


class PublicationFeed(Feed):
    """The newest published publications as an Atom feed."""

    feed_type = Atom1Feed
    title = _("JLI publications")
    subtitle = _(
        "Reports, working papers and the Strategy Report of the Joint Learning Initiative."
    )
    link = reverse_lazy("publications:publication_list")

    def items(self):
        return (
            Publication.objects.published()
            .without_text()
            .newest_first()
            .prefetch_related(
                Prefetch("authorships", queryset=selectors.ordered_authorships()), "topics"
            )[:FEED_ITEMS]
        )

    def item_title(self, item):
        return full_title(item)

    def item_description(self, item):
        # RSS descriptions are HTML to feed readers: plain text is escaped to stay text.
        return escape(item.summary or item.abstract or item.get_kind_display())

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_author_name(self, item):
        return ", ".join(authorship.display_name for authorship in item.authorships.all())

    def item_pubdate(self, item):
        return item.publish_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
