"""Helpers that make cold pages cheaper give exactly what Django's own would."""

import pytest
from django import forms
from django.urls import reverse, translate_url
from django.utils import translation

from core.forms import ListFilterForm, MenuSelect
from core.links import slug_url, slug_urls_in

CHOICES = [("", "Any"), ("ke", "Kenya"), ("gh", "Ghana <&>")]


class _Filters(ListFilterForm):
    country = forms.ChoiceField(choices=CHOICES, required=False)
    name = forms.CharField(required=False)


@pytest.mark.parametrize("selected", ["", "ke", "gh"])
def test_a_menu_renders_as_djangos_select_whatever_is_selected(selected):
    plain = forms.Select(choices=CHOICES).render("country", selected, attrs={"id": "id_country"})

    # Twice: the second comes from the worker's memo.
    for _ in range(2):
        form = _Filters({"country": selected})
        assert isinstance(form.fields["country"].widget, MenuSelect)
        assert str(form["country"]) == plain


def test_a_menu_follows_its_choices_and_language():
    widget = MenuSelect(choices=CHOICES)
    before = widget.render("country", "ke")
    widget.choices = [*CHOICES, ("tz", "Tanzania")]
    assert "Tanzania" in widget.render("country", "ke")
    assert "Tanzania" not in before


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "viewname",
    ["groups:person_detail", "groups:group_detail", "publications:publication_detail",
     "events:event_detail", "funders:funder_detail", "story_page"],
)  # fmt: skip
def test_slug_urls_are_what_reverse_gives(viewname, language):
    with translation.override(language):
        for slug in ["ana-silva", "x_1", "0slug0"]:
            assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "viewname",
    ["groups:person_detail", "publications:publication_detail", "story_page"],
)
def test_slug_urls_in_a_language_are_what_translate_url_gives(viewname, language):
    # From the default language's address (what the search index keeps).
    localised = slug_urls_in(viewname, language)
    for slug in ["ana-silva", "x_1", "0slug0"]:
        path = slug_url(viewname, slug, "en")
        with translation.override("en"):
            assert localised(path) == translate_url(path, language)
    # Not an address of the pattern: none (the caller resolves it).
    other = slug_url("events:event_detail", "ana-silva", "en")
    for path in [other, "/", "/people//", "/people/a/b/", "/people/ana silva/"]:
        assert localised(path) is None
