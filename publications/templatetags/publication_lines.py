"""A publication's one-line entry in the short lists of detail pages, written in Python.

A funder's page lists up to ten publications, an event's and a publication's page a
few: rendered by the template engine, each line (two lookups with filters, a `lang_of`,
the kind's label, the date) cost several hundred function calls (issue 13). These give
the same HTML: `format_html` escapes every value as the template engine would.
"""

from django import template

from core.i18n import lang_attribute
from core.markup import format_html, format_html_join

register = template.Library()


@register.simple_tag
def publication_line(publication, style="linked"):
    """`<li>`: the title linked, then its kind and date in brackets.

    `style`: "linked" (a publication's related publications: the link marked with the
    title's language), "cited" (a funder's page: the title in `<cite>`), or "event" (an
    event's page: the title in `<cite>`, its subtitle, and the date alone).
    """
    url = publication.get_absolute_url()
    lang = lang_attribute(publication, "title")
    if style == "linked":
        return format_html(
            '<li><a href="{}"{}>{}</a> <span class="muted">({}, {})</span></li>',
            url,
            lang,
            publication.title,
            publication.get_kind_display(),
            publication.date_display,
        )
    if style == "cited":
        return format_html(
            '<li><a href="{}"><cite{}>{}</cite></a> <span class="muted">({}, {})</span></li>',
            url,
            lang,
            publication.title,
            publication.get_kind_display(),
            publication.date_display,
        )
    subtitle = ""
    if publication.subtitle:
        subtitle = format_html(
            ": <span{}>{}</span>", lang_attribute(publication, "subtitle"), publication.subtitle
        )
    return format_html(
        '<li><a href="{}"><cite{}>{}</cite></a>{} <span class="muted">({})</span></li>',
        url,
        lang,
        publication.title,
        subtitle,
        publication.date_display,
    )


@register.filter
def meta_tags(pairs, attribute):
    """`<meta {attribute}="name" content="...">` lines for (name, content) pairs: a
    publication's Google Scholar and Open Graph tags (about twenty), one per line."""
    return format_html_join(
        "", '<meta {}="{}" content="{}">\n', ((attribute, name, content) for name, content in pairs)
    )
