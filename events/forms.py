from django import forms
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
        self.fields["year"].choices = [("", _("Any year"))] + [(y, str(y)) for y in years]
        self.fields["country"].choices = [("", _("Any country"))] + [
            (code, name) for code, name in countries if code in country_codes
        ]
        self.fields["group"].queryset = Group.objects.published()

    def show_counts(self, kind_counts):
        """Write in the kind menu how many events each kind has (selectors.kind_counts)."""
        self.fields["kind"].choices = counted_choices(
            EventKind.choices, kind_counts, blank=_("Any kind")
        )
