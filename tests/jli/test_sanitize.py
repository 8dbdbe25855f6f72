from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_html, sanitize_rich_text

# Markup-ish text: tags the allow-list keeps and tags it drops, attributes good and
# bad, entities, quotes and stray brackets, so the sanitiser meets real nesting,
# malformed markup and escaping edge cases rather than plain words.
TAGS = [*sorted(ALLOWED_TAGS), "script", "svg", "style", "iframe", "math", "noscript", "div"]
ATTRIBUTES = [
    'href="javascript:alert(1)"',
    'href="https://example.org/?a=1&b=2"',
    'href="/about/x/"',
    "onerror=alert(1)",
    'style="color:red"',
    'alt="A logo"',
    'src="x.png"',
    'title="t"',
    "colspan=2",
    "",
]
fragments = st.one_of(
    st.builds(
        lambda tag, attr: f"<{tag} {attr}>", st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES)
    ),
    st.builds(lambda tag: f"</{tag}>", st.sampled_from(TAGS)),
    st.sampled_from(
        [
            "&amp;",
            "&lt;",
            "&gt;",
            "&quot;",
            "&#x3C;",
            "&nbsp;",
            "<",
            ">",
            '"',
            "'",
            "<!--",
            "-->",
            "<![CDATA[",
        ]
    ),
    st.text(max_size=10),
)
markup = st.lists(fragments, max_size=30).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(markup)
# Found by this test: the parser's repair of links nested in a table moved on re-parsing.
@example('<a href="javascript:alert(1)"><table><a href="javascript:alert(1)">')
def test_sanitising_twice_changes_nothing(html):
    once = sanitize_html(html)
    assert sanitize_html(once) == once


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(markup)
def test_stored_rich_text_is_stable_and_inert(html):
    stored = sanitize_rich_text(html)
    assert sanitize_rich_text(stored) == stored
    # Text may mention "javascript:" (inert, escaped); elements and attributes may not.
    for tag, attrs in _elements(stored):
        assert tag in ALLOWED_TAGS
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        if tag == "a":
            allowed |= {"rel"}  # Set by the sanitiser itself: noopener noreferrer.
        assert set(attrs) <= allowed
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:"))


@given(st.text())
def test_sanitising_any_text_twice_changes_nothing(text):
    once = sanitize_html(text)
    assert sanitize_html(once) == once


@pytest.mark.parametrize(
    "source",
    [
        "https://tracker.example.net/pixel.gif",
        "http://example.org/a.png",
        "//cdn.example.net/a.png",
        "/\\evil.example.net/a.png",
        "/\t/evil.example.net/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
    ],
)
def test_images_from_other_sites_are_dropped_as_the_csp_would_block_them(source):
    html = f'<p>Before<img src="{source}" alt="A chart">after</p>'
    assert sanitize_html(html) == "<p>Beforeafter</p>"
    assert sanitize_rich_text(html) == "<p>Beforeafter</p>"


@pytest.mark.parametrize("source", ["/media/stories/chart.png", "chart.png", "../media/a.png"])
def test_images_of_this_site_are_kept(source):
    html = f'<p><img src="{source}" alt="A chart" width="300"></p>'
    assert sanitize_html(html) == html


@pytest.mark.parametrize("repeat", ["short", "long"])
def test_rich_text_filter_sanitises_what_the_database_holds_every_time(repeat):
    """Text written past the forms (a shell, an import) is sanitised when shown, on every
    render: whether the filter remembers the result (short texts) or not (long ones)."""
    from core.templatetags.core_tags import _REMEMBERED_LENGTH, rich_text

    padding = "<p>words</p>" * (_REMEMBERED_LENGTH // 10 if repeat == "long" else 1)
    hostile = f'{padding}<p onclick="x()">Hi<script>alert(1)</script></p>'
    for _ in range(2):
        shown = rich_text(hostile)
        assert shown == sanitize_html(hostile)
        assert "script" not in shown
        assert "onclick" not in shown
        assert "<p>Hi</p>" in shown
    assert rich_text(None) == ""
