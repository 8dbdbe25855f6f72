import functools
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.template import loader
from django.templatetags.static import static
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.i18n import country_name as _country_name
from core.i18n import in_page_language as _in_page_language
from core.i18n import lang_attribute
from core.links import slug_urls
from core.markup import format_html_join
from core.pagination import page_links, page_links_html
from core.sanitize import sanitize_html

register = template.Library()


@register.filter
def rich_text(html):
    """Render stored rich text: sanitised by the site's one allow-list, then trusted."""
    html = html or ""
    if len(html) > _REMEMBERED_LENGTH:
        return _sanitized.__wrapped__(html)
    return _sanitized(html)


# Texts up to this long are remembered once sanitised (at most 256 of them: a few MB).
_REMEMBERED_LENGTH = 20_000


@functools.lru_cache(maxsize=256)
def _sanitized(html):
    """Each distinct text is sanitised once per process (two or more nh3 passes; the
    same story page or biography is shown again and again). The result depends on the
    text alone, so a changed text is simply another entry."""
    # Safe because nh3 has just removed everything outside the allow-list.
    return mark_safe(sanitize_html(html))  # noqa: S308  # nosec B308 B703


# The escapes of Django's json_script: the data cannot close the <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A schema.org data block: `<script type="application/ld+json">`, escaped like
    json_script. Browsers never run it, so the strict CSP does not block it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    # Safe: no <, > or & is left in the JSON text.
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308  # nosec B308 B703
    )


@register.simple_tag
def static_once(path):
    """`{% static path %}`, looked up once per process: a file's address (its hashed name,
    from the manifest the storage reads when the process starts) does not change while
    the process runs, and the storage's look-up cost a tenth of a millisecond per page.
    For a page's own files; the site frame's are in its fragments, rendered once
    (jli/templatetags/site_frame.py)."""
    return _static(path)


@functools.lru_cache(maxsize=64)
def _static(path):
    return static(path)


# A changed setting (tests: STATIC_URL, the storage) looks the addresses up again.
setting_changed.connect(
    lambda **kwargs: _static.cache_clear(), weak=False, dispatch_uid="core-static-once"
)


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """Render a registered section (core.sections) with its own context on top."""
    template = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return template.render(context)


@register.simple_tag(takes_context=True)
def pagination(context, page_obj):
    """A list's numbered page links (core.pagination), keeping the request's filters."""
    request = context["request"]
    return page_links_html(page_obj, page_links(page_obj, path=request.path, query=request.GET))


@register.simple_tag
def lang_of(instance, field_name):
    """` lang="xx"` for the element showing `instance.<field_name>` when that value is
    not in the page's language (WCAG 3.1.2): `<h1{% lang_of page "title" %}>`. Knows
    French versions and their English fallback (core/i18n.py)."""
    return lang_attribute(instance, field_name)


@register.filter
def startswith(value, prefix):
    """`request.path|startswith:groups_url`: the page is in that section (whatever the
    language prefix, since `prefix` is reversed in the page's language)."""
    return str(value).startswith(str(prefix))


@register.filter
def in_page_language(path):
    """A default-language address (a search result's) in the page's language."""
    return _in_page_language(path)


@register.filter
def country_name(instance):
    """`{{ funder|country_name }}`: `funder.country.name`, named once per country and
    language (core.i18n.country_name)."""
    return _country_name(instance)


@register.simple_tag
def linked_names(records, viewname):
    """Records with a page (a publication's funders, an event's) as their names linked
    to their pages (`viewname`'s, by their `slug`: the pattern looked up once),
    separated by commas. The records may be plain ones (core.selectors.union_rows)."""
    url = slug_urls(viewname)
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((url(record.slug), record.name) for record in records)
    )


@register.simple_tag(takes_context=True)
def filter_form(context, form, label, submit, clear_url):
    """A list page's filters (templates/includes/_filter_form.html) with `label` (the
    form's name for screen readers), `submit` (the button) and `clear_url` (the
    unfiltered list). Written in Python, its whitespace included, when the form has no
    errors (every list page a reader browses); the template shows a form with errors."""
    if form.errors:
        return loader.render_to_string(
            "includes/_filter_form.html",
            {"form": form, "label": label, "submit": submit, "clear_url": clear_url},
            request=context.get("request"),
        )
    escape = conditional_escape
    parts = [
        '\n<form class="filters" method="get" action="" role="search" aria-label="',
        escape(label),
        '">\n  \n\n\n  ',
        *(escape(field) for field in form.hidden_fields()),
        "\n  ",
    ]
    for field in form.visible_fields():
        parts.append("\n  \n  ")
        if getattr(field.field.widget, "has_options", None) is not False:
            parts += [
                f'\n  <div class="field">\n    <label for="{escape(field.id_for_label)}">',
                f"{escape(field.label)}</label>\n    {escape(field)}\n    \n  </div>\n  ",
            ]
        parts.append("\n  ")
    parts += ['\n  <button type="submit">', escape(submit), "</button>\n  "]
    request = context.get("request")
    if request is not None and request.GET:
        clear = escape(gettext("Clear"))  # (not in the f-string: makemessages skips those)
        parts.append(f'<a href="{escape(clear_url)}">{clear}</a>')
    parts.append("\n</form>\n")
    # Safe: every value was escaped where it went in (a field's widget is HTML already).
    return SafeString("".join(parts))  # nosec B703
