"""`{% load i18n i18n_once %}`: `{% translate %}` renders what Django's renders, in
every form of the tag, in each language."""

import pytest
from django.template import engines
from django.utils import translation

FORMS = [
    '{% translate "Events" %}',
    '{% trans "Events" %}',
    '{% translate "100%% sure" %}',
    "{% translate \"a < b & 'c'\" %}",
    '{% translate "Events" as label %}[{{ label }}]',
    '{% translate "May" context "month name" %}',
    '{% translate "Events"|upper %}',
    '{% translate "Events" noop %}',
    '{% translate "" %}',
    '{% with v="Supported by" %}{% translate v %}{% endwith %}',
    '{% autoescape off %}{% translate "a<b" %}{% endautoescape %}',
    '{% translate "Supported by" %}',
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("form", FORMS)
def test_translate_renders_as_django(form, language):
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string("{% load i18n %}" + form).render({})
        once = engine.from_string("{% load i18n i18n_once %}" + form)
        assert once.render({}) == expected
        assert once.render({}) == expected  # kept, the same


def test_translate_follows_the_active_language():
    template = engines["django"].from_string('{% load i18n i18n_once %}{% translate "Events" %}')
    with translation.override("fr"):
        french = template.render({})
    with translation.override("en"):
        assert template.render({}) == "Events"
    assert french != "Events"


def test_a_changed_setting_forgets_what_was_translated(settings):
    """core.i18n.translated_once (the tag's, the choices' labels, the publication rows'
    messages): a setting changed (tests switch LANGUAGES, LOCALE_PATHS) translates anew."""
    from core.i18n import translated_once

    made = []

    @translated_once(maxsize=8)
    def label(language):
        made.append(language)
        return language.upper()

    assert (label("fr"), label("fr")) == ("FR", "FR")
    assert made == ["fr"]
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
    assert label("fr") == "FR"
    assert made == ["fr", "fr"]
