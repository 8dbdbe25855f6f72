from django import forms
from django.utils.translation import gettext_lazy as _

from publications.models import PublicationKind
from search.models import Kind
from search.query import MAX_LENGTH, clean

SORTS = [("", _("Relevance")), ("date", _("Newest first"))]


# The menus' choices as callables: Django copies a form's fields for every form made
# (deeply: every choice and label), and these are only ever checked against, never shown.
def _kinds():
    return [("", ""), *Kind.choices]


def _publication_kinds():
    return [("", ""), *PublicationKind.choices]


def _sorts():
    return SORTS


class SearchForm(forms.Form):
    """The query, the facets that narrow it and the order. Invalid facet values are
    dropped, not reported: they come from edited addresses, and the results without them
    are the sensible answer."""

    q = forms.CharField(label=_("Search the site"), required=False, widget=forms.SearchInput)
    kind = forms.ChoiceField(choices=_kinds, required=False)
    ptype = forms.ChoiceField(choices=_publication_kinds, required=False)
    group = forms.SlugField(max_length=100, required=False)
    year = forms.IntegerField(min_value=1000, max_value=9999, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=_sorts, required=False)
    # Staff who may preview ask for unpublished records with ?preview=1 (never the
    # default); for anyone else the view ignores it.
    preview = forms.BooleanField(required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            # Cut an over-long query instead of refusing it (pasted text, a bot).
            data["q"] = clean(data.get("q", ""))[:MAX_LENGTH]
        super().__init__(data, **kwargs)

    def search_arguments(self):
        """The valid values, each field on its own."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            "text": self.cleaned_data.get("q", ""),
            "kind": self.cleaned_data.get("kind", ""),
            "publication_kind": self.cleaned_data.get("ptype", ""),
            "group": self.cleaned_data.get("group", ""),
            "year": self.cleaned_data.get("year"),
            "sort": self.cleaned_data.get("sort", ""),
        }

    @property
    def wants_preview(self):
        if not self.is_bound:
            return False
        self.is_valid()  # each field on its own, as in search_arguments()
        return bool(self.cleaned_data.get("preview"))
