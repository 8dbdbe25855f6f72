"""The detail pages' publication lines in Python give the templates' own HTML."""

import pytest
from django.template import Context, Template
from django.utils import translation

from publications.templatetags.publication_lines import meta_tags, publication_line
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

# The templates' lines these replaced (related publications; a funder's; an event's).
REPLACED = {
    "linked": '<li><a href="{{ p.get_absolute_url }}"{% lang_of p "title" %}>{{ p.title }}</a>'
    ' <span class="muted">({{ p.get_kind_display }}, {{ p.date_display }})</span></li>',
    "cited": '<li><a href="{{ p.get_absolute_url }}"><cite{% lang_of p "title" %}>{{ p.title }}'
    '</cite></a> <span class="muted">({{ p.get_kind_display }}, {{ p.date_display }})</span></li>',
    "event": '<li><a href="{{ p.get_absolute_url }}"><cite{% lang_of p "title" %}>{{ p.title }}'
    '</cite></a>{% if p.subtitle %}: <span{% lang_of p "subtitle" %}>{{ p.subtitle }}</span>'
    '{% endif %} <span class="muted">({{ p.date_display }})</span></li>',
}


@pytest.mark.parametrize("style", sorted(REPLACED))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_publication_line_is_the_templates_line(style, language):
    publications = [
        PublicationFactory(title="Brain <drain> & gain", subtitle='A "review"', title_fr=""),
        PublicationFactory(title="Workforce", title_fr="Main-d'œuvre", subtitle=""),
    ]
    template = Template("{% load core_tags %}" + REPLACED[style])
    with translation.override(language):
        for publication in publications:
            expected = template.render(Context({"p": publication}))
            assert publication_line(publication, style) == expected
    assert "&lt;drain&gt; &amp; gain" in publication_line(publications[0], style)


def test_meta_tags_are_the_templates_lines_escaped():
    pairs = [("citation_title", 'Brain "drain" <& gain>'), ("citation_author", "Chen, Lincoln")]
    template = Template(
        '{% for name, content in pairs %}<meta name="{{ name }}" content="{{ content }}">\n'
        "{% endfor %}"
    )

    assert meta_tags(pairs, "name") == template.render(Context({"pairs": pairs}))
    assert 'content="Brain &quot;drain&quot; &lt;&amp; gain&gt;"' in meta_tags(pairs, "name")
