"""A publication's row in lists, and its authors' line, written in Python.

A list page shows twenty rows, a group's or a person's page ten; rendered by the
template engine, each row (an include, with another for its authors) cost about as much
as the rest of the page together. `format_html` escapes every value as the template
engine would; the strings are the templates' own messages, so their translations hold.

`{% publication_items %}` writes a list's rows at once: what every row shares (the
language, the address patterns, the messages, where each translated field is read from)
is looked up once per list (`_Rows`), not once per row (issue 13).
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.choices import choice_label
from core.i18n import translated_once
from core.links import slug_urls
from core.markup import escaped, format_html
from groups.models import Group
from publications.display import Reader, shown_date
from publications.models import Publication, PublicationKind

register = template.Library()


@register.simple_tag
def authors(authorships):
    """The authors as one line: "A, B and C", each with a link to their public profile."""
    return _authors(list(authorships), format_html(" {} ", gettext("and")))


def _authors(authorships, and_):
    """`authors()` for a list, " and " (escaped, with its spaces) given."""
    parts = []
    last = len(authorships) - 1
    for index, authorship in enumerate(authorships):
        url = authorship.profile_url
        name = escaped(authorship.display_name)
        parts.append(f'<a href="{escaped(url)}">{name}</a>' if url else name)
        if index == last - 1:
            parts.append(and_)
        elif index < last:
            parts.append(", ")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 (each part escaped)


@translated_once(maxsize=64)
def _messages(language):
    """What the rows say, translated once per `language` (the active one) and escaped:
    the featured badge, "From:", " and " and Publication.date_display's "Date unknown"."""
    return (
        format_html('<span class="badge">{}</span>', gettext("Featured")),
        escaped(gettext("From:")),
        format_html(" {} ", gettext("and")),
        escaped(gettext("Date unknown")),
    )


class _Rows:
    """What every row of a list shares, looked up once per list (`language`: the page's)."""

    def __init__(self, heading):
        self.reader = reader = Reader()
        self.language = language = reader.language
        self.heading = escaped(heading)
        self.detail_url = slug_urls("publications:publication_detail", language)
        self.cover_url = slug_urls("publications:publication_cover_thumbnail", language)
        self.group_url = slug_urls("groups:group_detail", language)
        self.badge, self.groups_label, self.and_, self.date_unknown = _messages(language)
        self.title = reader.columns(Publication, "title")
        self.subtitle = reader.columns(Publication, "subtitle")
        self.group_name = reader.columns(Group, "name")
        self.text, self.lang = reader.text, reader.lang

    def date(self, publication):
        """Publication.date_display, escaped."""
        return shown_date(publication, self.language, self.date_unknown)

    def groups(self, groups):
        url, columns = self.group_url, self.group_name
        return ", ".join(
            f'<a href="{escaped(url(group.slug))}">'
            f"{escaped(self.text(group, columns, 'name')[0])}</a>"
            for group in groups
        )

    def row(self, publication):
        """One `<li class="pub-item">` (see publication_item)."""
        kind = publication.kind
        if kind == PublicationKind.STRATEGY_REPORT:
            modifier = " pub-item--strategy"
        elif publication.is_featured:
            modifier = " pub-item--featured"
        else:
            modifier = ""
        cover = publication.__dict__.get("cover", _UNLOADED)
        if cover is _UNLOADED:
            cover = publication.cover
        if cover:
            cover = (
                '<img class="pub-item__cover" src="'
                f'{escaped(self.cover_url(publication.slug))}" alt="" width="80" loading="lazy">'
            )
        else:
            cover = ""
        title, title_language = self.text(publication, self.title, "title")
        subtitle, subtitle_language = self.text(publication, self.subtitle, "subtitle")
        if subtitle:
            subtitle = (
                f'<p class="pub-item__subtitle"{self.lang(publication, subtitle_language)}>'
                f"{escaped(subtitle)}</p>"
            )
        authorships = getattr(publication, "shown_authors", None)
        if authorships is None:
            authorships = publication.authorships.all()
        authorships = list(authorships)
        shown = (
            f'<p class="pub-item__authors">{_authors(authorships, self.and_)}</p>'
            if authorships
            else ""
        )
        groups = publication.public_groups
        groups = (
            f'<p class="pub-item__groups muted">{self.groups_label} {self.groups(groups)}</p>'
            if groups
            else ""
        )
        heading = self.heading
        label = escaped(choice_label(PublicationKind, kind, self.language))
        badge = self.badge if publication.is_featured else ""
        url = escaped(self.detail_url(publication.slug))
        return (
            f'<li class="pub-item{modifier}">{cover}<div class="pub-item__body">'
            f'<p class="pub-item__meta"><span class="pub-kind">{label}</span> {badge} · '
            f"<span>{self.date(publication)}</span></p>"
            f'<{heading} class="pub-item__title"><a href="{url}"'
            f"{self.lang(publication, title_language)}>{escaped(title)}</a></{heading}>"
            f"{subtitle}{shown}{groups}</div></li>\n"
        )


_UNLOADED = object()


@register.simple_tag
def publication_item(publication, heading="h2"):
    """One `<li class="pub-item">` of a publication list (`heading`: the title's element).

    Reads `publication.shown_authors` (else `publication.authorships.all`) and
    `publication.public_groups` (publications.selectors.with_shown_authors_and_groups
    gives both).
    """
    return SafeString(_Rows(heading).row(publication))  # nosec B703 (every value escaped)


@register.simple_tag
def publication_items(publications, heading, indent):
    """`{% publication_item %}` of each publication, each on its own line indented by
    `indent` spaces (as a template's loop around the tag put them), what the rows share
    looked up once (_Rows)."""
    rows = _Rows(heading)
    space = "\n" + " " * indent
    return SafeString(  # nosec B703 (rows of escaped values, joined with whitespace)
        "".join(space + rows.row(publication) + space for publication in publications)
    )
