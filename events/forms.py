from django import forms
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ListFilterForm, counted_choices
from events.models import EventKind
from funders.models import Funder
from groups.forms import PublishedGroupField
from groups.models import Group


class EventFilterForm(ListFilterForm):
    """The events list's filters; every field is optional."""

    q = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *EventKind.choices], required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    # Its chosen group read by a query compiled once per process (PublishedGroupField).
    group = PublishedGroupField(
        label=_("Organised by"),
        queryset=Group.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any group"),
    )
    # Set by the "all its events" link on a funder's page; not shown as a field.
    funder = forms.ModelChoiceField(
        queryset=Funder.objects.public(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, country_codes=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["year"], [("", _("Any year"))] + [(y, str(y)) for y in years])
        _set_choices(self.fields["country"], _country_choices(frozenset(country_codes)))
        # The published groups, built only when read: to check a chosen group, or to
        # list them when the menu's choices are not cached (core.forms.MenuSelect).
        # Building `published()` cost a fifth of the form; most requests read neither.
        group = self.fields["group"]
        group._queryset = SimpleLazyObject(Group.objects.published)
        group.widget.choices = group.choices

    def show_counts(self, kind_counts):
        """Write in the kind menu how many events each kind has (selectors.kind_counts)."""
        _set_choices(
            self.fields["kind"],
            counted_choices(EventKind.choices, kind_counts, blank=_("Any kind")),
        )


def _set_choices(field, choices):
    """`field.choices = choices` for a flat list of (value, label) pairs, which Django's
    setter would copy twice, once for the field and once for its widget
    (`normalize_choices`, a call per choice: a tenth of the events list's CPU)."""
    field._choices = field.widget._choices = choices


# The country menu's choices by language and countries offered, the last few kept.
_COUNTRY_CHOICES = {}
COUNTRY_CHOICES_KEPT = 32


def _country_choices(codes):
    key = (get_language(), codes)
    choices = _COUNTRY_CHOICES.get(key)
    if choices is None:
        choices = [("", _("Any country"))] + [
            (code, name) for code, name in countries if code in codes
        ]
        if len(_COUNTRY_CHOICES) >= COUNTRY_CHOICES_KEPT:
            _COUNTRY_CHOICES.pop(next(iter(_COUNTRY_CHOICES)), None)
        _COUNTRY_CHOICES[key] = choices
    return choices
