"""The list filters' group menus: published groups, working groups first, and a chosen
group validated whatever the menu's order (groups.forms.PublishedGroupField)."""

import pytest

from core.models import Status
from events.forms import EventFilterForm
from groups.forms import DirectoryFilterForm
from groups.models import GroupKind
from publications.forms import PublicationFilterForm
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "form_class",
    [
        DirectoryFilterForm,
        PublicationFilterForm,
        lambda data=None: EventFilterForm(data, country_codes=(), years=()),
    ],
)
def test_the_menu_lists_working_groups_first_and_accepts_a_published_one(form_class):
    GroupFactory(name="Aa secretariat", slug="secretariat", kind=GroupKind.SECRETARIAT)
    GroupFactory(name="Zz working", slug="working", display_order=5)
    GroupFactory(name="Hidden", slug="hidden", status=Status.DRAFT)
    labels = [str(label) for _value, label in form_class().fields["group"].choices]
    assert labels[1:] == ["Zz working", "Aa secretariat"]
    chosen = form_class({"group": "secretariat"})
    assert chosen.is_valid()
    assert chosen.cleaned_data["group"].slug == "secretariat"
    assert not form_class({"group": "hidden"}).is_valid()
