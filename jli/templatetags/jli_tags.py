from django import template
from django.utils.safestring import mark_safe

from jli.sanitize import sanitize_html

register = template.Library()


@register.filter
def rich_text(html):
    """Render stored rich text: sanitised by the site's one allow-list, then trusted."""
    return mark_safe(sanitize_html(html))  # noqa: S308 (sanitised by nh3 just above)
