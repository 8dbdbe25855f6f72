"""Changes of rows that have no admin page of their own (authors, participants, a
funder's supported publications): the audit log links each to a page showing what the
row's change was, with a link to the history of the record whose page edits it."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications.models import Authorship, PublicationFunder
from tests.factories import (
    AuthorshipFactory,
    FunderFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AUDIT_LOG = reverse("admin_history")


def _audit_row(client, model_label):
    response = client.get(AUDIT_LOG, {"model": model_label})
    assert response.status_code == 200
    return response.context["rows"][0]


def test_an_authors_move_links_to_what_changed_and_to_the_publications_history(
    editor_client,
):
    publication = PublicationFactory(title="Ordered paper (sample)")
    author = AuthorshipFactory(
        publication=publication,
        person=PersonFactory(given_name="Ana", family_name="Sample"),
        position=1,
    )
    author.position = 2
    author.save()

    row = _audit_row(editor_client, "publications.authorship")
    assert row["compare_url"] == reverse(
        "admin_history_row",
        args=["publications.authorship", Authorship.history.first().history_id],
    )
    response = editor_client.get(row["compare_url"])

    assert response.status_code == 200
    differences = {d.label: (d.before, d.after) for d in response.context["differences"]}
    assert differences == {"Order": ("1", "2")}
    history_url = reverse("admin:publications_publication_history", args=[publication.pk])
    assert f'href="{history_url}"' in response.text
    assert "All versions of Ordered paper (sample)" in response.text


def test_a_funders_supported_publication_links_to_the_funders_history(editor_client):
    funder = FunderFactory(name="Ordering Trust (sample)")
    PublicationFactory().funders.add(funder)
    link = PublicationFunder.objects.get()
    link.position = 5
    link.save()

    row = _audit_row(editor_client, "publications.publicationfunder")
    response = editor_client.get(row["compare_url"])

    assert response.status_code == 200
    assert {d.label: d.after for d in response.context["differences"]} == {"Order": "5"}
    history_url = reverse("admin:funders_funder_history", args=[funder.pk])
    assert f'href="{history_url}"' in response.text


def test_the_first_version_of_a_row_shows_every_field_it_was_given(editor_client):
    AuthorshipFactory(person=None, name="An organisation (sample)", is_organisation=True)
    row = _audit_row(editor_client, "publications.authorship")
    differences = {d.label: d.after for d in editor_client.get(row["compare_url"]).context[
        "differences"
    ]}  # fmt: skip
    assert differences["Name"] == "An organisation (sample)"
    assert differences["Organisation"] == "Yes"


def test_a_rows_change_needs_the_view_permission_of_its_kind(client):
    AuthorshipFactory()
    history_id = Authorship.history.first().history_id
    url = reverse("admin_history_row", args=["publications.authorship", history_id])
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(staff)

    assert client.get(url).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_authorship"))
    assert client.get(url).status_code == 200


def test_records_with_a_page_of_their_own_are_compared_there_not_here(editor_client):
    publication = PublicationFactory()
    history_id = publication.history.first().history_id
    url = reverse("admin_history_row", args=["publications.publication", history_id])
    assert editor_client.get(url).status_code == 404
    row = _audit_row(editor_client, "publications.publication")
    assert row["compare_url"].startswith(
        reverse("admin:publications_publication_history_compare", args=[publication.pk])
    )


@pytest.mark.parametrize("authors", [1, 3])
def test_a_rows_change_page_costs_a_fixed_number_of_queries(editor_client, authors):
    publication = PublicationFactory(title="Counted paper (sample)")
    rows = [AuthorshipFactory(publication=publication, position=n) for n in range(authors)]
    rows[0].position = 9
    rows[0].save()
    url = reverse(
        "admin_history_row",
        args=["publications.authorship", Authorship.history.first().history_id],
    )
    editor_client.get(AUDIT_LOG)  # the session and the permissions, read once
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert "All versions of Counted paper (sample)" in response.text
    # The same for one author or three (the publication's other rows are not read).
    assert len(queries) == 10, [q["sql"][:70] for q in queries]


@pytest.mark.parametrize(
    ("label", "history_id"),
    [("publications.nothing", 1), ("no-dot", 1), ("publications.authorship", 999999)],
)
def test_a_rows_change_page_for_an_unknown_kind_or_version_is_not_found(
    editor_client, label, history_id
):
    url = reverse("admin_history_row", args=[label, history_id])
    assert editor_client.get(url).status_code == 404
