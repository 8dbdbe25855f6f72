import functools

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ListFilterForm
from groups.models import Group, Role


class _KindOrdered(ModelChoiceIterator):
    """The groups as a menu lists them (`by_kind_order`: working groups first), ordered
    only when the menu is read (most requests read it from the cache: core.forms)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group in self.queryset.by_kind_order().iterator():
            yield self.choice(group)


class PublishedGroupField(forms.ModelChoiceField):
    """A list filter's group menu: the published groups (each form sets its queryset,
    `Group.objects.published()`, per request), in the menus' order. Building that
    order's expression costs more than the rest of the filter form: only a menu read
    from the database pays it, not the request that validates a choice."""

    iterator = _KindOrdered


class _Normalized(list, BaseChoiceIterator):
    """Choices already in Django's normal form, a list of (value, label) pairs, taken as
    they are: Django walks a plain list of choices again each time it is set on a field
    and on its widget (the country menu's 250 pairs, twice per request, were most of the
    directory's form). Shared between requests: never changed once made."""


@functools.lru_cache(maxsize=64)
def _country_choices(country_codes, language):
    """The country menu in `language`: "Any country", then the countries of
    `country_codes` (a frozenset) by name, made once per set of countries and language."""
    return _Normalized(
        [("", _("Any country"))]
        + [(code, name) for code, name in countries if code in country_codes]
    )


class DirectoryFilterForm(ListFilterForm):
    """The people directory's search and filters; every field is optional."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    group = PublishedGroupField(
        label=_("Group"),
        queryset=Group.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any group"),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role")), *Role.choices], required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.published()
        self.fields["country"].choices = _country_choices(frozenset(country_codes), get_language())
