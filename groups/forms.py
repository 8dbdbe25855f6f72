from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import ListFilterForm
from groups.models import Group, Role


class DirectoryFilterForm(ListFilterForm):
    """The people directory's search and filters; every field is optional."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    group = forms.ModelChoiceField(
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
        self.fields["group"].queryset = Group.objects.published().by_kind_order()
        self.fields["country"].choices = [("", _("Any country"))] + [
            (code, name) for code, name in countries if code in country_codes
        ]
