import functools

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ListFilterForm
from core.prepared import Prepared
from groups.models import Group, Role


class _KindOrdered(ModelChoiceIterator):
    """The groups as a menu lists them (`by_kind_order`: working groups first), ordered
    only when the menu is read (most requests read it from the cache: core.forms). A
    field without a queryset lists the groups published when it is read."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = Group.objects.published() if self.queryset is None else self.queryset
        for group in queryset.by_kind_order().iterator():
            yield self.choice(group)


# A list's group filter: the published group of a slug, by one query compiled once per
# process and language (core.prepared).
_PUBLISHED_GROUP = Prepared(lambda slug, at: Group.objects.published(at=at).filter(slug=slug))


class PublishedGroupField(forms.ModelChoiceField):
    """A list filter's group menu: the published groups, in the menus' order. Building
    that order's expression costs more than the rest of the filter form: only a menu
    read from the database pays it, not the request that validates a choice.

    A form may set its queryset, `Group.objects.published()`, per request; or leave it
    None (`queryset=None`): then the menu and the validation read the groups published
    at that moment, and the request builds no queryset at all. A choice is a group's
    slug (`to_field_name="slug"`, as every list's filter links it)."""

    iterator = _KindOrdered

    def to_python(self, value):
        """The published group whose slug is `value` (ModelChoiceField's
        `queryset.get(slug=value)` on the published groups, by a query compiled once
        per process rather than on every request)."""
        if value in self.empty_values:
            return None
        if isinstance(value, Group):
            value = value.slug
        value = str(value)
        self.validate_no_null_characters(value)
        try:
            return _PUBLISHED_GROUP.get(slug=value, at=timezone.now())
        except Group.DoesNotExist:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


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
        # The groups published when the menu or a choice is read (PublishedGroupField).
        queryset=None,
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
        self.fields["country"].choices = _country_choices(frozenset(country_codes), get_language())
