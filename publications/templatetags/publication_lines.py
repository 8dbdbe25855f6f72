"""A publication's one-line entry in the short lists of detail pages, written in Python.

A funder's page lists up to ten publications, an event's and a publication's page a
few: rendered by the template engine, each line (two lookups with filters, a `lang_of`,
the kind's label, the date) cost several hundred function calls (issue 13). These give
the same HTML: `format_html` escapes every value as the template engine would.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from core.choices import choice_label
from core.i18n import lang_attribute
from core.links import plain_url, slug_urls
from core.markup import escaped, format_html, format_html_join
from publications.models import PublicationKind

register = template.Library()


@register.simple_tag
def publication_line(publication, style="linked", url=None, language=None):
    """`<li>`: the title linked, then its kind and date in brackets.

    `style`: "linked" (a publication's related publications: the link marked with the
    title's language), "cited" (a funder's page: the title in `<cite>`), or "event" (an
    event's page: the title in `<cite>`, its subtitle, and the date alone). `url` and
    `language`: a list's (publication_lines).
    """
    url = url(publication.slug) if url else publication.get_absolute_url()
    lang = lang_attribute(publication, "title", language)
    if style == "linked":
        return format_html(
            '<li><a href="{}"{}>{}</a> <span class="muted">({}, {})</span></li>',
            url,
            lang,
            publication.title,
            choice_label(PublicationKind, publication.kind, language),
            publication.date_display,
        )
    if style == "cited":
        return format_html(
            '<li><a href="{}"><cite{}>{}</cite></a> <span class="muted">({}, {})</span></li>',
            url,
            lang,
            publication.title,
            choice_label(PublicationKind, publication.kind, language),
            publication.date_display,
        )
    subtitle = ""
    if publication.subtitle:
        subtitle = format_html(
            ": <span{}>{}</span>",
            lang_attribute(publication, "subtitle", language),
            publication.subtitle,
        )
    return format_html(
        '<li><a href="{}"><cite{}>{}</cite></a>{} <span class="muted">({})</span></li>',
        url,
        lang,
        publication.title,
        subtitle,
        publication.date_display,
    )


@register.simple_tag
def publication_lines(publications, style, indent):
    """`{% publication_line %}` for each publication, each on its own line indented by
    `indent` spaces (as a template's loop around the tag put them), the language and
    the address pattern looked up once for the list."""
    language = get_language()
    url = slug_urls("publications:publication_detail", language)
    space = "\n" + " " * indent
    return SafeString(  # nosec B703 (lines made by format_html, joined with whitespace)
        "".join(
            space + publication_line(publication, style, url, language) + space
            for publication in publications
        )
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
