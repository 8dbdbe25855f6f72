"""A publication's row in lists, and its authors' line, written in Python.

A list page shows twenty rows, a group's or a person's page ten; rendered by the
template engine, each row (an include, with another for its authors) cost about as much
as the rest of the page together. `format_html` escapes every value as the template
engine would; the strings are the templates' own messages, so their translations hold.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.i18n import lang_attribute
from core.links import slug_url
from core.markup import format_html, format_html_join

register = template.Library()


@register.simple_tag
def authors(authorships):
    """The authors as one line: "A, B and C", each with a link to their public profile."""
    authorships = list(authorships)
    parts = []
    for index, authorship in enumerate(authorships):
        url = authorship.profile_url
        if url:
            parts.append(format_html('<a href="{}">{}</a>', url, authorship.display_name))
        else:
            parts.append(format_html("{}", authorship.display_name))
        remaining = len(authorships) - index - 1
        if remaining == 1:
            parts.append(format_html(" {} ", gettext("and")))
        elif remaining > 1:
            parts.append(", ")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 (each part escaped)


def _groups(groups):
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((group.get_absolute_url(), group.name) for group in groups)
    )


@register.simple_tag
def publication_item(publication, heading="h2"):
    """One `<li class="pub-item">` of a publication list (`heading`: the title's element).

    Reads `publication.shown_authors` (else `publication.authorships.all`) and
    `publication.public_groups` (publications.selectors.with_shown_authors_and_groups
    gives both).
    """
    if publication.is_strategy_report:
        modifier = " pub-item--strategy"
    elif publication.is_featured:
        modifier = " pub-item--featured"
    else:
        modifier = ""
    cover = ""
    if publication.cover:
        cover = format_html(
            '<img class="pub-item__cover" src="{}" alt="" width="80" loading="lazy">',
            slug_url("publications:publication_cover_thumbnail", publication.slug),
        )
    badge = format_html('<span class="badge">{}</span>', gettext("Featured"))
    subtitle = format_html(
        '<p class="pub-item__subtitle"{}>{}</p>',
        lang_attribute(publication, "subtitle"),
        publication.subtitle,
    )
    authorships = getattr(publication, "shown_authors", None)
    if authorships is None:
        authorships = publication.authorships.all()
    groups = publication.public_groups
    return format_html(
        '<li class="pub-item{}">{}<div class="pub-item__body">'
        '<p class="pub-item__meta"><span class="pub-kind">{}</span> {} · <span>{}</span></p>'
        '<{} class="pub-item__title"><a href="{}"{}>{}</a></{}>{}{}{}</div></li>\n',
        modifier,
        cover,
        publication.get_kind_display(),
        badge if publication.is_featured else "",
        publication.date_display,
        heading,
        publication.get_absolute_url(),
        lang_attribute(publication, "title"),
        publication.title,
        heading,
        subtitle if publication.subtitle else "",
        format_html('<p class="pub-item__authors">{}</p>', authors(authorships))
        if authorships
        else "",
        format_html(
            '<p class="pub-item__groups muted">{} {}</p>', gettext("From:"), _groups(groups)
        )
        if groups
        else "",
    )
