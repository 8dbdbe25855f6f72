from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ListFilterForm, counted, counted_choices
from funders.models import Funder
from groups.forms import PublishedGroupField
from groups.models import Group, Person
from publications.models import PublicationKind, Topic

SORTS = [("date", _("Newest first")), ("title", _("Title (A–Z)"))]


class PublicationFilterForm(ListFilterForm):
    """The publication list's filters and sort; every field is optional."""

    q = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *PublicationKind.choices], required=False
    )
    group = PublishedGroupField(
        label=_("Group"),
        queryset=Group.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any group"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any topic"),
    )
    # Any year validates; the menu offers the years present with their counts
    # (show_counts), so an old link to a year without publications still works.
    year = forms.IntegerField(
        label=_("Year"), min_value=1900, max_value=2100, required=False, widget=forms.Select
    )
    # Set by the "all publications" link on a person's page; not shown as a field.
    author = forms.ModelChoiceField(
        queryset=Person.objects.public(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )
    # Set by the "all its publications" link on a funder's page; not shown as a field.
    funder = forms.ModelChoiceField(
        queryset=Funder.objects.public(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.published()
        self.fields["year"].widget.choices = [("", _("Any year"))]

    def show_counts(self, counts):
        """Write in the kind and year menus how many publications each option gives
        (`counts`: selectors.ListCounts); the year menu lists the years present."""
        self.fields["kind"].choices = counted_choices(
            PublicationKind.choices, counts.kinds, blank=_("Any kind")
        )
        years = dict(counts.years)
        chosen = self.cleaned_data.get("year") if self.is_bound and self.is_valid() else None
        if chosen:
            years.setdefault(chosen, 0)  # the chosen year stays shown, even with none
        self.fields["year"].widget.choices = [("", _("Any year"))] + [
            (year, counted(year, total)) for year, total in sorted(years.items(), reverse=True)
        ]

    def filters(self):
        """The selector's keyword arguments: the valid filters, or none at all."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
