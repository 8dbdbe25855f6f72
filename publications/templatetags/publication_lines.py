"""A publication's one-line entry in the short lists of detail pages, written in Python.

A funder's page lists up to ten publications, an event's and a publication's page a
few: rendered by the template engine, each line (two lookups with filters, a `lang_of`,
the kind's label, the date) cost several hundred function calls (issue 13). These give
the same HTML: `format_html` escapes every value as the template engine would.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.choices import choice_label
from core.links import plain_url, slug_urls
from core.markup import escaped, format_html, format_html_join
from groups.models import Group
from publications.display import Reader, shown_date
from publications.models import Publication, PublicationKind

register = template.Library()


class _Lines:
    """What a list's lines share, looked up once per list (the page's language)."""

    def __init__(self):
        self.reader = reader = Reader()
        self.language = language = reader.language
        self.url = slug_urls("publications:publication_detail", language)
        self.title = reader.columns(Publication, "title")
        self.subtitle = reader.columns(Publication, "subtitle")
        # Publication.date_display's.
        self.date_unknown = escaped(gettext("Date unknown"))

    def date(self, publication):
        """Publication.date_display, escaped."""
        return shown_date(publication, self.language, self.date_unknown)

    def line(self, publication, style, url=None):
        reader = self.reader
        url = escaped(url if url is not None else self.url(publication.slug))
        title, code = reader.text(publication, self.title, "title")
        lang, title = reader.lang(publication, code), escaped(title)
        if style in ("linked", "cited"):
            label = escaped(choice_label(PublicationKind, publication.kind, self.language))
            if style == "linked":
                return (
                    f'<li><a href="{url}"{lang}>{title}</a> '
                    f'<span class="muted">({label}, {self.date(publication)})</span></li>'
                )
            return (
                f'<li><a href="{url}"><cite{lang}>{title}</cite></a> '
                f'<span class="muted">({label}, {self.date(publication)})</span></li>'
            )
        subtitle, code = reader.text(publication, self.subtitle, "subtitle")
        if subtitle:
            subtitle = f": <span{reader.lang(publication, code)}>{escaped(subtitle)}</span>"
        return (
            f'<li><a href="{url}"><cite{lang}>{title}</cite></a>{subtitle} '
            f'<span class="muted">({self.date(publication)})</span></li>'
        )


@register.simple_tag
def publication_line(publication, style="linked", url=None):
    """`<li>`: the title linked, then its kind and date in brackets.

    `style`: "linked" (a publication's related publications: the link marked with the
    title's language), "cited" (a funder's page: the title in `<cite>`), or "event" (an
    event's page: the title in `<cite>`, its subtitle, and the date alone). `url`: the
    link, if not the publication's page.
    """
    return SafeString(_Lines().line(publication, style, url))  # nosec B703 (every value escaped)


@register.simple_tag
def publication_lines(publications, style, indent):
    """`{% publication_line %}` for each publication, each on its own line indented by
    `indent` spaces (as a template's loop around the tag put them), what the lines
    share looked up once for the list (_Lines)."""
    lines = _Lines()
    space = "\n" + " " * indent
    return SafeString(  # nosec B703 (lines of escaped values, joined with whitespace)
        "".join(space + lines.line(publication, style) + space for publication in publications)
    )


@register.filter
def meta_tags(pairs, attribute):
    """`<meta {attribute}="name" content="...">` lines for (name, content) pairs: a
    publication's Google Scholar and Open Graph tags (about twenty), one per line."""
    return format_html_join(
        "", '<meta {}="{}" content="{}">\n', ((attribute, name, content) for name, content in pairs)
    )


# One citation style of a publication's page, with the whitespace the template's loop
# gave it.
_CITATION = (
    '\n    <details class="citation" name="citation-style"{}>\n'
    '      <summary class="citation__style">{}</summary>\n'
    '      <p class="citation__text">{}</p>\n'
    '      <details class="citation__plain">\n'
    "        <summary>{}</summary>\n"
    '        <label class="visually-hidden" for="cite-{}">{}</label>\n'
    '        <textarea class="citation__copy" id="cite-{}" rows="3" readonly data-copy="{}">'
    "{}</textarea>\n"
    "      </details>\n"
    "    </details>\n    "
)
_OPEN = SafeString(" open")


@register.simple_tag
def citation_styles(citations):
    """A publication's citations ((key, label, html, text) per style, the first open):
    each style's `<details>`, with its plain text to copy in its own. The messages are
    the template's `{% blocktranslate %}` ones, the style's name escaped in them as
    there (the translation itself is the translator's text)."""
    parts = []
    for index, (key, label, html, text) in enumerate(citations):
        style = {"style": escaped(label)}
        plain = SafeString(gettext("%(style)s citation as plain text, to copy") % style)  # nosec B703 (the translator's message with the style's name escaped, as blocktranslate makes it)
        parts.append(
            format_html(
                _CITATION,
                _OPEN if index == 0 else "",
                SafeString(gettext("%(style)s style") % style),  # nosec B703 (the translator's message with the style's name escaped, as blocktranslate makes it)
                html,
                plain,
                key,
                plain,
                key,
                SafeString(gettext("Copy the %(style)s citation") % style),  # nosec B703 (the translator's message with the style's name escaped, as blocktranslate makes it)
                text,
            )
        )
    return SafeString("".join(parts))  # nosec B703 (styles made by format_html, joined)


@register.simple_tag
def topic_links(topics):
    """Topics as their names linked to the publications list filtered by each."""
    url = plain_url("publications:publication_list")
    return format_html_join(
        ", ", '<a href="{}?topic={}">{}</a>', ((url, topic.slug, topic.name) for topic in topics)
    )


@register.simple_tag
def group_links(groups):
    """A publication's groups as their names linked to their pages, separated by commas
    (core_tags.linked_names' HTML), the names read by publications.display.Reader and
    the address pattern looked up once."""
    reader = Reader()
    url = slug_urls("groups:group_detail", reader.language)
    columns = reader.columns(Group, "name")
    return SafeString(  # nosec B703 (every value escaped)
        ", ".join(
            f'<a href="{escaped(url(group.slug))}">'
            f"{escaped(reader.text(group, columns, 'name')[0])}</a>"
            for group in groups
        )
    )
