"""The newest published publications as an Atom feed (Django's feed generator).

Written by a view rather than `django.contrib.syndication.views.Feed`: the framework
asks its `item_*` methods for each of twenty attributes of every entry through a
look-up that inspects the method each time (some 760 calls for 50 entries), over
model instances. Here each entry is one plain record (publications.selectors
.feed_publications) and each of its values is worked out once; the XML is Django's
`Atom1Feed`'s, the same bytes as the framework writes (tests/publications).
"""

import datetime
import io

from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import choice_label
from core.links import slug_urls
from core.site import absolute_url
from publications import selectors
from publications.citations import full_title
from publications.display import Reader
from publications.models import Publication, PublicationKind

FEED_ITEMS = selectors.FEED_ITEMS
TITLE = _("JLI publications")
SUBTITLE = _("Reports, working papers and the Strategy Report of the Joint Learning Initiative.")


class BufferedAtom1Feed(Atom1Feed):
    """Atom, written to memory and handed to the response at once: the XML writer
    otherwise writes each of its thousands of pieces to the response separately."""

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


def build_feed(path):
    """The feed (a BufferedAtom1Feed) as served at `path`, its links on SITE_URL
    (core/site.py), never on the Host the request named."""
    language = get_language()
    feed = BufferedAtom1Feed(
        title=TITLE,
        subtitle=SUBTITLE,
        link=absolute_url(reverse("publications:publication_list")),
        description=None,
        language=language,
        feed_url=absolute_url(path),
    )
    reader = Reader()
    summary = reader.columns(Publication, "summary")
    abstract = reader.columns(Publication, "abstract")
    page_url = slug_urls("publications:publication_detail", language)
    for entry in selectors.feed_publications():
        link = absolute_url(page_url(entry.slug))
        # An entry's dates are the document's own: a report of June 2003 was published
        # in June 2003, whenever its record was typed in. Atom needs an <updated>
        # instant, so a dated document's is its date too (the document has not changed
        # since); only an undated one (the brochure) falls back to the day its record
        # was added, the one date we know.
        published = _start_of(entry.published_on)
        feed.add_item(
            title=full_title(entry),
            link=link,
            # Atom's summary is HTML to feed readers: plain text is escaped to stay text.
            description=escape(
                reader.text(entry, summary, "summary")[0]
                or reader.text(entry, abstract, "abstract")[0]
                or choice_label(PublicationKind, entry.kind, language)
            ),
            unique_id=link,
            pubdate=published,
            updateddate=published or entry.created_at,
            author_name=", ".join(author.display_name for author in entry.shown_authors),
            # Topics as Atom categories, so feed readers can sort and filter by them.
            categories=[topic.name for topic in entry.listed_topics],
        )
    return feed


def publication_feed(request):
    feed = build_feed(request.path)
    response = HttpResponse(content_type=feed.content_type)
    # Conditional GET: ConditionalGetMiddleware answers 304 Not Modified from it.
    response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
    feed.write(response, "utf-8")
    return response


def _start_of(day):
    """Midnight UTC of `day` (the first day of its month or year at a coarser precision)."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
