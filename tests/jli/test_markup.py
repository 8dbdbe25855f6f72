"""core.markup gives what Django's format_html and format_html_join give."""

from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core.markup import escaped, format_html, format_html_join

VALUES = [
    "<script>alert('x')</script> & \"quoted\"",
    "",
    "Plain title",
    mark_safe("<em>safe</em>"),
    3,
    None,
    gettext_lazy("Featured"),
]


def test_escaped_is_conditional_escape():
    for value in VALUES:
        assert escaped(value) == django_html.conditional_escape(value)


def test_format_html_escapes_as_django_and_is_safe():
    for value in VALUES:
        result = format_html('<a title="{}">{}</a>', value, value)
        assert result == django_html.format_html('<a title="{}">{}</a>', value, value)
        assert isinstance(result, SafeString)


def test_format_html_join_escapes_as_django():
    rows = [(value, "<b>") for value in VALUES]
    result = format_html_join(", <br>", "<li>{}{}</li>", rows)
    assert result == django_html.format_html_join(", <br>", "<li>{}{}</li>", rows)
    assert isinstance(result, SafeString)
