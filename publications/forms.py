from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Person
from publications.models import PublicationKind, Topic

SORTS = [("date", _("Newest first")), ("title", _("Title (A–Z)"))]


class PublicationFilterForm(forms.Form):
    """The publication list's filters and sort; every field is optional."""

    q = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *PublicationKind.choices], required=False
    )
    group = forms.ModelChoiceField(
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
    # A number, not a list of the years present: that list would cost a scan per page.
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    # Set by the "all publications" link on a person's page; not shown as a field.
    author = forms.ModelChoiceField(
        queryset=Person.objects.public(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.published().by_kind_order()
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "size": 6})

    def filters(self):
        """The selector's keyword arguments: the valid filters, or none at all."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
