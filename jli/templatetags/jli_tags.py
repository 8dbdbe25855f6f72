from django import template
from django.utils.safestring import mark_safe

from jli.sanitize import sanitize_html

register = template.Library()


@register.filter
def rich_text(html):
    """Render stored rich text: sanitised by the site's one allow-list, then trusted."""
    # Safe because nh3 has just removed everything outside the allow-list.
    return mark_safe(sanitize_html(html))  # noqa: S308  # nosec B308 B703
