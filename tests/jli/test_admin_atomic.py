"""An admin save with inlines that fails half-way leaves nothing half-written.

Django's admin wraps the whole change form (the record, then each inline row) in one
transaction; these tests prove it for the two records edited with inlines most: a
publication with its authors, a group with its members. They run in real transactions
(`transaction=True`), so what is checked afterwards is what was committed.
"""

import datetime

import pytest
from django.db import IntegrityError
from django.db.models.signals import post_save
from django.urls import reverse

from groups.models import Group, Membership, Role
from publications.models import Authorship, Publication
from tests.factories import GroupFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _form_data(response):
    """The POST data of an admin change form as shown (no inline rows)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, datetime.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = value.date(), value.time()
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[name] = "on" if value is True else str(value)
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def _rows(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows))}
    for n, row in enumerate(rows):
        data |= {f"{prefix}-{n}-{name}": value for name, value in row.items()}
    return data


def test_publication_saved_with_a_failing_second_author_keeps_nothing(superuser_client):
    publication = PublicationFactory(title="Before")
    first, second = PersonFactory(), PersonFactory()
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    data = _form_data(superuser_client.get(url)) | {"title_en": "After"}
    data |= _rows(
        "authorships",
        [
            {"position": "1", "person": str(first.pk)},
            {"position": "2", "person": str(second.pk)},
        ],
    )
    saved = []

    def fail_on_the_second(sender, instance, **kwargs):
        saved.append(instance.pk)
        if len(saved) == 2:
            raise RuntimeError("the second author cannot be saved")

    post_save.connect(fail_on_the_second, sender=Authorship, dispatch_uid="fail-second")
    try:
        with pytest.raises(RuntimeError, match="second author"):
            superuser_client.post(url, data)
    finally:
        post_save.disconnect(dispatch_uid="fail-second", sender=Authorship)

    assert len(saved) == 2  # the record and the first author were written, then undone
    assert Publication.objects.get(pk=publication.pk).title == "Before"
    assert Authorship.objects.count() == 0


def test_publication_admin_save_without_failure_writes_everything(superuser_client):
    """The same POST, nothing failing: proves the data above is a valid save."""
    publication = PublicationFactory(title="Before")
    first, second = PersonFactory(), PersonFactory()
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    data = _form_data(superuser_client.get(url)) | {"title_en": "After"}
    data |= _rows(
        "authorships",
        [
            {"position": "1", "person": str(first.pk)},
            {"position": "2", "person": str(second.pk)},
        ],
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    assert Publication.objects.get(pk=publication.pk).title == "After"
    assert list(Authorship.objects.order_by("position").values_list("person", flat=True)) == [
        first.pk,
        second.pk,
    ]


def _group_post(client, group, person, **changes):
    url = reverse("admin:groups_group_change", args=[group.pk])
    data = _form_data(client.get(url)) | changes
    # The same person twice in the same role, undated: each row is valid on its own,
    # and the form cannot see the other; the database's unique constraint refuses the
    # second INSERT (membership_unique_role).
    row = {"person": str(person.pk), "role": Role.MEMBER, "display_order": "0"}
    data |= _rows("memberships", [row, row])
    return url, data


def test_group_saved_with_a_second_member_violating_a_constraint_keeps_nothing(
    superuser_client,
):
    group = GroupFactory(name="Before")
    person = PersonFactory()
    url, data = _group_post(superuser_client, group, person, name_en="After")

    with pytest.raises(IntegrityError, match="membership_unique_role"):
        superuser_client.post(url, data)

    assert Group.objects.get(pk=group.pk).name == "Before"
    assert Membership.objects.count() == 0


def test_group_admin_save_with_distinct_members_writes_everything(superuser_client):
    group = GroupFactory(name="Before")
    person, other = PersonFactory(), PersonFactory()
    url, data = _group_post(superuser_client, group, person, name_en="After")
    data["memberships-1-person"] = str(other.pk)
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    assert Group.objects.get(pk=group.pk).name == "After"
    assert set(Membership.objects.values_list("person", flat=True)) == {person.pk, other.pk}
