"""The people lines of a group's page and the period of a role, written in Python.

A group's page lists up to 48 members and 48 former roles (groups.selectors.group_detail);
rendered by the template engine, those lines (with an include per line for the period)
were most of the page's cost. `format_html` escapes every value as the template engine
would; the strings are the templates' own messages, so their translations hold.
"""

import functools

from django import template
from django.template.defaultfilters import date
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core.choices import choice_label
from core.i18n import country_name, lang_attribute
from core.links import slug_urls
from core.markup import escaped, format_html
from groups.models import Group, Role
from groups.selectors import GROUP_NAME_COLUMNS

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _month(day, language):
    """`day` as "Jan 2003" in `language` (the date filter's "M Y"), escaped: formatted once
    per day and language."""
    return conditional_escape(date(day, "M Y"))


@functools.lru_cache(maxsize=64)
def _period_messages(language):
    """The three forms of a period, translated once per language."""
    return gettext("%(start)s to %(end)s"), gettext("since %(start)s"), gettext("until %(end)s")


@functools.lru_cache(maxsize=4096)
def _period(start, end, language):
    if not (start or end):
        return ""
    both, since, until = _period_messages(language)
    if start and end:
        message, values = both, {"start": start, "end": end}
    elif start:
        message, values = since, {"start": start}
    else:
        message, values = until, {"end": end}
    values = {name: _month(value, language) for name, value in values.items()}
    # The message is the translator's text (as {% blocktranslate %} leaves it); the
    # dates are escaped.
    return mark_safe(message % values)  # noqa: S308  # nosec B308 B703


@register.simple_tag
def period(membership, language=None):
    """ "Jan 2003 to Dec 2004", "since Jan 2003", "until Dec 2004" or "" (made once per
    pair of dates and language)."""
    return _period(membership.start_date, membership.end_date, language or get_language())


@functools.lru_cache(maxsize=4096)
def _period_meta(start, end, language):
    """A people line's period, in its `<span>`, or ""."""
    when = _period(start, end, language)
    return format_html('<span class="person-line__meta">{}</span>', when) if when else ""


@functools.lru_cache(maxsize=4096)
def _meta(wrapper, affiliation, country):
    """ "affiliation, country" in `wrapper` (HTML with `{}{}{}` for the affiliation, the
    comma and the country's name), or "": made once per affiliation and country."""
    if not (affiliation or country):
        return ""
    return format_html(wrapper, affiliation, ", " if affiliation and country else "", country)


def _where(person, wrapper, language=None):
    """A person's "affiliation, country" in `wrapper` (see _meta), or ""."""
    return _meta(wrapper, person.affiliation, country_name(person, language=language))


@functools.lru_cache(maxsize=256)
def _role_label(role, language):
    """A role's label (`get_role_display()`), escaped."""
    return escaped(choice_label(Role, role, language))


def _person_line(membership, person_url, language):
    person, base = membership.person, membership.base
    return "".join(
        (
            '<li class="person-line"><a href="',
            escaped(person_url(person.slug)),  # person.get_absolute_url()
            '">',
            escaped(person.display_name),
            '</a>, <span class="role">',
            _role_label(membership.role, language),  # membership.get_role_display()
            "</span>",
            format_html(' <span class="muted">({})</span>', base) if base else "",
            " ",
            _where(person, '<span class="person-line__meta">{}{}{}</span>', language),
            " ",
            _period_meta(membership.start_date, membership.end_date, language),
            "</li>",
        )
    )


@register.simple_tag
def role_list(roles):
    """`<ul class="people">`: each role's person (linked), role, base, affiliation,
    country and period. The roles carry their `person` and `base`: Memberships
    (select_related), or groups.selectors' RoleLines."""
    language = get_language()
    person_url = slug_urls("groups:person_detail", language)
    lines = "".join(_person_line(membership, person_url, language) for membership in roles)
    # Each value escaped (core.markup.escaped), or made by format_html.
    return SafeString(f'<ul class="people">{lines}</ul>')  # nosec B703


@functools.lru_cache(maxsize=4096)
def _directory_role(role, names, language):
    """One role of a directory line, "Role, <span>Group</span>", for a page in
    `language`: the role's label and the group's name (`names`: its columns
    groups.selectors.GROUP_NAME_COLUMNS) as `get_role_display` and `group.name` give
    them, the span marked with the name's language when not the page's (`lang_of`).
    Made once per role, group name and language."""
    group = Group(**dict(zip(GROUP_NAME_COLUMNS, names, strict=True)))
    return format_html(
        "{}, <span{}>{}</span>",
        choice_label(Role, role, language),
        lang_attribute(group, "name", language),
        group.name,
    )


def _directory_item(person, person_url, language):
    meta = _where(person, '<p class="muted">{}{}{}</p>', language)
    roles = ""
    if person.directory_roles:
        roles = format_html(
            "\n    <p>{}</p>\n    ",
            SafeString(  # nosec B703 (each role made by format_html)
                "; ".join(
                    _directory_role(role, tuple(names), language)
                    for role, *names in person.directory_roles
                )
            ),
        )
    return format_html(
        '\n  <li class="directory__item">\n    <h2 class="directory__name"><a href="{}">{}</a>'
        "</h2>\n    {}\n    {}\n  </li>\n  ",
        person_url(person.slug),  # person.get_absolute_url()
        person.display_name,
        meta,
        roles,
    )


@register.simple_tag
def directory_item(person):
    """One `<li class="directory__item">` of the people directory, with the whitespace
    the template's loop gave it: the person (linked), affiliation and country, and their
    roles in published groups (`person.directory_roles`: groups.selectors.load_public_roles)."""
    language = get_language()
    return _directory_item(person, slug_urls("groups:person_detail", language), language)


@register.simple_tag
def directory_items(people):
    """The directory's items (directory_item for each person), the person's address
    pattern and the language looked up once."""
    language = get_language()
    person_url = slug_urls("groups:person_detail", language)
    return SafeString(  # nosec B703 (items made by format_html, joined)
        "".join(_directory_item(person, person_url, language) for person in people)
    )


def _role_line(membership, language):
    group, base = membership.group, membership.base
    when = period(membership, language)
    return format_html(
        '\n  <li>{}, <a href="{}"{}>{}</a>{}{}</li>\n  ',
        choice_label(Role, membership.role, language),
        group.get_absolute_url(),
        lang_attribute(group, "name", language),
        group.name,
        format_html(" ({})", base) if base else "",
        format_html(' <span class="muted">{}</span>', when) if when else "",
    )


@register.simple_tag
def person_roles(roles):
    """A person's page: each role (`person.public_roles`, with their groups and bases)
    as an `<li>`: the role, the group linked, its base and period, with the whitespace
    the template's loop gave it."""
    language = get_language()
    return SafeString("".join(_role_line(membership, language) for membership in roles))  # nosec B703 (lines made by format_html, joined)


@functools.lru_cache(maxsize=64)
def _theme_message(language):
    """The card's "Theme: %(theme)s", translated once per language."""
    return gettext("Theme: %(theme)s")


@register.simple_tag
def group_cards(groups):
    """The groups index's cards, as the template's loop over
    groups/includes/_group_card.html wrote them (whitespace included): each group's
    name linked (marked with its language when not the page's) and its theme."""
    language = get_language()
    group_url = slug_urls("groups:group_detail", language)
    theme_message = _theme_message(language)
    cards = []
    for group in groups:
        theme = group.theme
        meta = ""
        if theme:
            # The translator's text (as {% blocktranslate %} leaves it); the theme escaped.
            meta = '<p class="card__meta">' + theme_message % {"theme": escaped(theme)} + "</p>"
        cards.append(
            format_html(
                '\n    <li class="card">\n  <h3 class="card__title"><a href="{}"{}>{}</a></h3>'
                "\n  {}\n</li>\n\n    ",
                group_url(group.slug),
                lang_attribute(group, "name", language),
                group.name,
                SafeString(meta),  # nosec B703 (the translator's text and the escaped theme)
            )
        )
    return SafeString("".join(cards))  # nosec B703 (cards made by format_html, joined)
