import functools

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import choice_label
from core.forms import ListFilterForm, counted
from core.markup import escaped
from core.prepared import Prepared
from funders.models import Funder
from groups.forms import PublishedGroupField, _KindOrdered
from groups.models import Group, Person
from publications.models import PublicationKind, Topic

SORTS = [("date", _("Newest first")), ("title", _("Title (A–Z)"))]


class _Written:
    """An `<input>` written in Python: the HTML of Django's input.html template (its
    renderer strips it), escaped as the template escapes it, without a template
    render per field (three includes: some five hundred calls for a hidden input)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"'
        if widget["value"] is not None:
            html += f' value="{escaped("%s" % widget["value"])}"'  # noqa: UP031 (stringformat:'s')
        for key, value in widget["attrs"].items():
            if value is True:
                html += f" {escaped(key)}"
            elif value is not False:
                html += f' {escaped(key)}="{escaped("%s" % value)}"'  # noqa: UP031 (stringformat:'s')
        return SafeString(html + ">")  # nosec B703 (every value escaped)


class _TextInput(_Written, forms.TextInput):
    pass


class _HiddenInput(_Written, forms.HiddenInput):
    pass


class _PreparedChoice:
    """A menu's chosen record, looked up by its slug with a query compiled once per
    process (core.prepared) rather than built by `queryset.get(slug=...)` on every
    request: the same row, the same error for a slug that matches none."""

    # A Prepared of the field's queryset filtered by `slug`.
    lookup = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            return self.lookup.get(slug=value)
        except self.lookup_model.DoesNotExist:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class _PublishedGroups(_KindOrdered):
    """The group menu's choices: the published groups, their query built only when the
    menu is read from the database (most requests read it from the cache: core.forms)."""

    def __iter__(self):
        self.queryset = Group.objects.published()
        return super().__iter__()


class _GroupChoice(PublishedGroupField):
    """The published groups' menu (PublishedGroupField reads a chosen one by a query
    compiled once per process), its choices' query built only when read."""

    iterator = _PublishedGroups


class _TopicChoice(_PreparedChoice, forms.ModelChoiceField):
    lookup = Prepared(lambda slug: Topic.objects.filter(slug=slug))
    lookup_model = Topic


class _PersonChoice(_PreparedChoice, forms.ModelChoiceField):
    lookup = Prepared(lambda slug: Person.objects.public().filter(slug=slug))
    lookup_model = Person


class _FunderChoice(_PreparedChoice, forms.ModelChoiceField):
    lookup = Prepared(lambda slug: Funder.objects.public().filter(slug=slug))
    lookup_model = Funder


@functools.lru_cache(maxsize=2048)
def _counted(label, count, language):
    """core.forms.counted for a label (text, or a year) in `language` (the active one),
    written once per label, count and language: the menus show the same few."""
    return counted(label, count)


class PublicationFilterForm(ListFilterForm):
    """The publication list's filters and sort; every field is optional."""

    q = forms.CharField(label=_("Keywords"), max_length=200, required=False, widget=_TextInput)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *PublicationKind.choices], required=False
    )
    # The published groups (a query built only when the menu is read: _PublishedGroups).
    group = _GroupChoice(
        label=_("Group"),
        queryset=Group.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any group"),
    )
    topic = _TopicChoice(
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
    author = _PersonChoice(
        queryset=Person.objects.public(),
        to_field_name="slug",
        required=False,
        widget=_HiddenInput,
    )
    # Set by the "all its publications" link on a funder's page; not shown as a field.
    funder = _FunderChoice(
        queryset=Funder.objects.public(),
        to_field_name="slug",
        required=False,
        widget=_HiddenInput,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.choices = [("", _("Any year"))]

    def show_counts(self, counts):
        """Write in the kind and year menus how many publications each option gives
        (`counts`: selectors.ListCounts); the year menu lists the years present."""
        language = get_language()
        kinds = counts.kinds
        self.fields["kind"].choices = [("", _("Any kind"))] + [
            (value, _counted(choice_label(PublicationKind, value, language),
                             kinds.get(value, 0), language))
            for value in PublicationKind.values
        ]  # fmt: skip
        years = dict(counts.years)
        chosen = self.cleaned_data.get("year") if self.is_bound and self.is_valid() else None
        if chosen:
            years.setdefault(chosen, 0)  # the chosen year stays shown, even with none
        self.fields["year"].widget.choices = [("", _("Any year"))] + [
            (year, _counted(year, total, language))
            for year, total in sorted(years.items(), reverse=True)
        ]

    def filters(self):
        """The selector's keyword arguments: the valid filters, or none at all."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
