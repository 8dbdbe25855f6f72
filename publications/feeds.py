import datetime
import io

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from core.site import SiteRequest, absolute_url
from publications import selectors
from publications.citations import full_title

FEED_ITEMS = selectors.FEED_ITEMS


class BufferedAtom1Feed(Atom1Feed):
    """Atom, written to memory and handed to the response at once: the XML writer
    otherwise writes each of its thousands of pieces to the response separately."""

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


class PublicationFeed(Feed):
    """The newest published publications as an Atom feed."""

    feed_type = BufferedAtom1Feed
    title = _("JLI publications")
    subtitle = _(
        "Reports, working papers and the Strategy Report of the Joint Learning Initiative."
    )
    link = reverse_lazy("publications:publication_list")

    def get_feed(self, obj, request):
        # The feed's links on SITE_URL, never on the Host the request named (core/site.py).
        return super().get_feed(obj, SiteRequest(request))

    def items(self):
        # The authors as plain values (one query, no model instance per author), the
        # topics read for all entries at once.
        return selectors.feed_publications()

    def item_title(self, item):
        return full_title(item)

    def item_description(self, item):
        # RSS descriptions are HTML to feed readers: plain text is escaped to stay text.
        return escape(item.summary or item.abstract or item.get_kind_display())

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_author_name(self, item):
        return ", ".join(author.display_name for author in item.shown_authors)

    # An entry's dates are the document's own: a report of June 2003 was published in June
    # 2003, whenever its record was typed in. Atom needs an <updated> instant, so a dated
    # document's is its date too (the document has not changed since); only an undated one
    # (the brochure) falls back to the day its record was added, the one date we know.
    def item_pubdate(self, item):
        return _start_of(item.published_on)

    def item_updateddate(self, item):
        return _start_of(item.published_on) or item.created_at

    def item_categories(self, item):
        # Topics as Atom categories, so feed readers can sort and filter by them.
        return [topic.name for topic in item.listed_topics]


def _start_of(day):
    """Midnight UTC of `day` (the first day of its month or year at a coarser precision)."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
