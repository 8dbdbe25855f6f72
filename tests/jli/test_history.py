"""The history of content records (core/history.py, core/history_admin.py): who changed
what, comparing two versions, reverting, the audit log and restoring deleted records."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from core.history import compare, tracked_models
from core.models import Status
from events.models import Event, Participation
from jli.models import StoryPage
from members.services import profile_change_approve
from publications.models import Authorship, Publication
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    ProfileChangeFactory,
    PublicationFactory,
    StoryPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AUDIT_LOG = reverse("admin_history")


def _publication_form(publication, **overrides):
    """The admin's change form of `publication` as it stands, with `overrides`."""
    data = {
        "kind": publication.kind,
        "title": publication.title,
        "subtitle": "",
        "slug": publication.slug,
        "published_on": publication.published_on.isoformat(),
        "date_precision": publication.date_precision,
        "language": "en",
        "status": publication.status,
        "groups": [group.pk for group in publication.groups.all()],
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for name in ["abstract", "summary", "body", "publisher", "place", "series", "number"]:
        data[name] = getattr(publication, name)
    for name in ["doi", "isbn", "external_url", "licence", "cover_alt"]:
        data[name] = getattr(publication, name)
    data.update(overrides)
    # The admin's fields of texts with French versions are "<field>_en" and "<field>_fr".
    for name in ["title", "subtitle", "abstract", "summary"]:
        data[f"{name}_en"] = data.pop(name)
    return data


def _permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _history_url(obj, name="history", *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[obj.pk, *args])


# --- Which models keep a history -----------------------------------------------------------


def test_every_content_model_keeps_a_history():
    labels = {model._meta.label_lower for model in tracked_models()}
    assert labels == {
        "groups.person",
        "groups.group",
        "groups.secretariatbase",
        "groups.membership",
        "groups.personlink",
        "funders.funder",
        "publications.topic",
        "publications.publication",
        "publications.authorship",
        "publications.publicationfunder",
        "events.event",
        "events.participation",
        "events.eventfunder",
        "jli.storypage",
    }


def test_derived_and_heavy_fields_stay_out_of_the_history():
    tracked = {field.name for field in Publication.history.model.tracked_fields}
    assert {"text", "text_status", "citations"}.isdisjoint(tracked)
    assert {"title", "body", "file", "cover"} <= tracked
    event_tracked = {field.name for field in Event.history.model.tracked_fields}
    assert {"starts_at", "ends_at", "sequence"}.isdisjoint(event_tracked)


# --- Who made each change ---------------------------------------------------------------


def test_an_admin_edit_is_recorded_with_its_editor(editor_client, editor_user):
    publication = PublicationFactory(title="First title")
    group = GroupFactory(name="Working group on supply")

    response = editor_client.post(
        _change_url(publication),
        _publication_form(publication, title="Second title", groups=[group.pk]),
    )

    assert response.status_code == 302
    latest = publication.history.order_by("-history_date", "-history_id").first()
    assert (latest.title, latest.history_type, latest.history_user) == (
        "Second title",
        "~",
        editor_user,
    )
    assert [row.group_id for row in latest.groups.all()] == [group.pk]


def test_the_bulk_publish_action_records_a_version_of_each_with_its_links(
    editor_client, editor_user
):
    group = GroupFactory()
    drafts = [PublicationFactory(status=Status.DRAFT) for _ in range(2)]
    drafts[0].groups.add(group)

    editor_client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "publish", "_selected_action": [draft.pk for draft in drafts]},
    )

    for draft in drafts:
        latest = draft.history.order_by("-history_date", "-history_id").first()
        assert (latest.status, latest.history_user) == (Status.PUBLISHED, editor_user)
    latest = drafts[0].history.order_by("-history_date", "-history_id").first()
    assert [row.group_id for row in latest.groups.all()] == [group.pk]


def test_an_approved_profile_change_is_recorded_with_its_reviewer(member_user, editor_user):
    change = ProfileChangeFactory(person=member_user.person, bio="A proposed biography.")
    change.links = [{"label": "Blog", "url": "https://blog.example.org/"}]
    change.save()

    profile_change_approve(change=change, reviewer=editor_user)

    person = member_user.person
    latest = person.history.order_by("-history_date", "-history_id").first()
    assert (latest.bio, latest.history_user) == ("A proposed biography.", editor_user)
    assert "approved" in latest.history_change_reason
    link = person.links.get()
    assert link.history.get().history_user == editor_user


def test_an_approved_profile_change_shows_in_the_audit_log_with_its_reviewer(
    member_user, editor_user, superuser_client
):
    change = ProfileChangeFactory(person=member_user.person, bio="A proposed biography.")
    profile_change_approve(change=change, reviewer=editor_user)

    response = superuser_client.get(AUDIT_LOG, {"model": "groups.person"})

    row = response.context["rows"][0]
    assert (row["object"], row["user"], str(row["kind"])) == (
        "Mary Member",
        editor_user,
        "Changed",
    )
    assert "approved" in row["reason"]


def test_a_write_outside_a_request_names_nobody():
    person = PersonFactory()
    assert person.history.get().history_user is None


# --- Compare ----------------------------------------------------------------------------


def test_the_comparison_shows_labels_names_and_words_escaped():
    group = GroupFactory(name="Working group on supply")
    publication = PublicationFactory(title="Plain title", kind="report")
    publication.groups.add(group)
    before = publication.history.order_by("-history_date", "-history_id").first()
    publication.title = "<script>alert(1)</script> title"
    publication.kind = "working_paper"
    publication.abstract = "Health workers leave rural posts."
    publication.save()
    publication.groups.clear()
    after = publication.history.order_by("-history_date", "-history_id").first()

    differences = {d.label: d for d in compare(Publication, before, after)}

    # Texts with French versions are compared per language.
    assert set(differences) == {"Title [en]", "Kind", "Abstract [en]", "Groups"}
    assert (differences["Kind"].before, differences["Kind"].after) == ("Report", "Working paper")
    assert (differences["Groups"].before, differences["Groups"].after) == (
        "Working group on supply",
        "—",
    )
    assert "<ins>Health workers leave rural posts.</ins>" in differences["Abstract [en]"].words


def test_rich_text_is_compared_as_words_of_plain_text():
    page = StoryPageFactory(body="<p>The initiative <strong>began</strong> in 2002.</p>")
    before = page.history.get()
    page.body = "<p>The initiative <em>started</em> in 2002 &amp; ran.</p>"
    page.save()
    after = page.history.order_by("-history_date", "-history_id").first()

    [difference] = compare(StoryPage, before, after)

    assert difference.before == "The initiative began in 2002."
    assert "<del>began</del> <ins>started</ins>" in difference.words
    assert "&amp; ran." in difference.words  # the text's own "&", escaped once
    assert "<strong>" not in difference.words


def test_the_compare_page_escapes_what_it_shows(editor_client):
    publication = PublicationFactory(title="Plain title")
    publication.title = "<script>alert(1)</script>"
    publication.save()

    response = editor_client.get(_history_url(publication, "history_compare"))

    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text
    assert "Plain title" in response.text


def test_the_compare_page_refuses_versions_of_another_record(editor_client):
    one, other = PublicationFactory(), PublicationFactory()
    foreign = other.history.get().history_id

    url = _history_url(one, "history_compare")
    assert editor_client.get(url, {"to": foreign}).status_code == 404
    assert editor_client.get(url, {"to": "not-a-number"}).status_code == 404


def test_the_history_page_lists_versions_with_their_users(editor_client, editor_user):
    publication = PublicationFactory(title="First title")
    editor_client.post(_change_url(publication), _publication_form(publication, title="Second"))

    response = editor_client.get(_history_url(publication))

    assert [row["record"].title for row in response.context["rows"]] == ["Second", "First title"]
    assert "editor" in response.text
    assert "Revert to this version" in response.text


# --- Revert -----------------------------------------------------------------------------


def test_revert_brings_back_fields_links_and_authors_as_a_new_version(editor_client, editor_user):
    group, other_group = GroupFactory(), GroupFactory()
    publication = PublicationFactory(title="Original title")
    publication.groups.add(group)
    author = AuthorshipFactory(publication=publication)
    original = publication.history.order_by("-history_date", "-history_id").first()
    publication.title = "Changed title"
    publication.save()
    publication.groups.set([other_group])
    author.delete()
    AuthorshipFactory(publication=publication, person=None, name="Someone added")

    url = _history_url(publication, "history_revert", original.history_id)
    confirm = editor_client.get(url)
    assert confirm.status_code == 200
    assert "Changed title" in confirm.text
    assert Publication.objects.get().title == "Changed title"  # a GET changes nothing

    response = editor_client.post(url)

    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.title == "Original title"
    assert list(publication.groups.all()) == [group]
    assert [a.person_id for a in Authorship.objects.filter(publication=publication)] == [
        author.person_id
    ]
    latest = publication.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_user, latest.title) == (editor_user, "Original title")
    assert latest.history_change_reason.startswith("Reverted to the version of")


def test_revert_leaves_unchanged_rows_alone(editor_user):
    from core.history import version_revert

    publication = PublicationFactory(title="Original title")
    author = AuthorshipFactory(publication=publication)
    original = publication.history.order_by("-history_date", "-history_id").first()
    publication.title = "Changed title"
    publication.save()

    version_revert(record=original, user=editor_user)

    assert author.history.count() == 1
    assert Publication.objects.get().title == "Original title"


def test_revert_refuses_values_that_no_longer_fit(editor_client):
    publication = PublicationFactory(slug="old-slug")
    first = publication.history.get()
    publication.slug = "new-slug"
    publication.save()
    PublicationFactory(slug="old-slug")

    response = editor_client.post(
        _history_url(publication, "history_revert", first.history_id), follow=True
    )

    assert "cannot come back" in response.text
    publication.refresh_from_db()
    assert publication.slug == "new-slug"


def test_revert_needs_the_change_permission(client):
    publication = PublicationFactory(title="Original")
    first = publication.history.get()
    publication.title = "Changed"
    publication.save()
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.add(_permission("publications.view_publication"))
    client.force_login(reader)

    assert client.get(_history_url(publication)).status_code == 200
    assert client.get(_history_url(publication, "history_compare")).status_code == 200
    url = _history_url(publication, "history_revert", first.history_id)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    publication.refresh_from_db()
    assert publication.title == "Changed"


# --- Deleting keeps the history; restore ------------------------------------------------


def _event_with_links():
    event = EventFactory(title="Consultation on migration")
    people = [PersonFactory(), PersonFactory()]
    for person in people:
        ParticipationFactory(event=event, person=person)
    group, publication, funder = GroupFactory(), PublicationFactory(), FunderFactory()
    event.organisers.add(group)
    event.publications.add(publication)
    event.funders.add(funder)
    return event, people, group, publication, funder


def test_a_deleted_event_comes_back_with_its_links(editor_client, editor_user):
    event, people, group, publication, funder = _event_with_links()
    pk = event.pk
    editor_client.post(reverse("admin:events_event_delete", args=[pk]), {"post": "yes"})
    assert not Event.objects.filter(pk=pk).exists()
    deleted = Event.history.get(id=pk, history_type="-")
    assert deleted.history_user == editor_user

    log = editor_client.get(AUDIT_LOG, {"model": "events.event"})
    restore_url = reverse("admin_history_restore", args=["events.event", deleted.history_id])
    assert log.context["rows"][0]["restore_url"] == restore_url
    assert "Consultation on migration" in editor_client.get(restore_url).text
    response = editor_client.post(restore_url)

    assert response.status_code == 302
    event = Event.objects.get(pk=pk)
    assert event.title == "Consultation on migration"
    assert list(event.organisers.all()) == [group]
    assert list(event.publications.all()) == [publication]
    assert list(event.funders.all()) == [funder]
    assert sorted(p.person_id for p in Participation.objects.filter(event=event)) == sorted(
        person.pk for person in people
    )
    latest = event.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.history_user) == ("~", editor_user)


def test_restore_leaves_out_rows_deleted_long_before(editor_user):
    event = EventFactory()
    early = ParticipationFactory(event=event)
    early_pk = early.pk
    early.delete()
    Participation.history.filter(id=early_pk).update(
        history_date=timezone.now() - datetime.timedelta(days=1)
    )
    ParticipationFactory(event=event)
    event.delete()
    from core.history import record_restore

    record_restore(record=Event.history.get(history_type="-"), user=editor_user)

    assert not Participation.objects.filter(pk=early_pk).exists()
    assert Participation.objects.count() == 1


def test_restore_needs_the_add_permission_and_a_deleted_record(client, editor_client):
    event = EventFactory()
    live_record = event.history.get()
    url = reverse("admin_history_restore", args=["events.event", live_record.history_id])
    assert editor_client.post(url).status_code == 404  # not a deletion
    event.delete()
    deleted = Event.history.get(history_type="-")
    url = reverse("admin_history_restore", args=["events.event", deleted.history_id])
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.add(_permission("events.view_event"))
    client.force_login(reader)
    assert client.post(url).status_code == 403
    assert not Event.objects.exists()
    assert (
        editor_client.post(
            reverse("admin_history_restore", args=["auth.user", deleted.history_id])
        ).status_code
        == 404
    )


# --- The audit log ----------------------------------------------------------------------


def test_the_audit_log_lists_changes_newest_first_with_filters(
    editor_client, editor_user, superuser
):
    PersonFactory(given_name="Early", family_name="Person")
    group = GroupFactory(name="Later group")
    group._history_user = superuser
    group.name = "Renamed group"
    group.save()

    everything = editor_client.get(AUDIT_LOG)
    assert [row["object"] for row in everything.context["rows"]] == [
        "Renamed group",
        "Later group",
        "Early Person",
    ]
    by_user = editor_client.get(AUDIT_LOG, {"user": superuser.pk})
    assert [row["object"] for row in by_user.context["rows"]] == ["Renamed group"]
    by_model = editor_client.get(AUDIT_LOG, {"model": "groups.person"})
    assert [row["object"] for row in by_model.context["rows"]] == ["Early Person"]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert editor_client.get(AUDIT_LOG, {"since": tomorrow}).context["rows"] == []
    compare_url = everything.context["rows"][0]["compare_url"]
    assert compare_url.startswith(_history_url(group, "history_compare"))
    assert "Later group" in editor_client.get(compare_url).text


def test_the_audit_log_says_what_is_wrong_with_its_filters(editor_client):
    GroupFactory()
    response = editor_client.get(
        AUDIT_LOG, {"since": "2004-02-01", "until": "2003-01-01", "model": "auth.user"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert len(response.context["rows"]) == 1  # unfiltered


def test_the_audit_log_shows_only_the_models_the_user_may_view(client):
    GroupFactory(name="A group")
    PersonFactory(given_name="A", family_name="Person")
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.add(_permission("groups.view_group"))
    client.force_login(reader)

    response = client.get(AUDIT_LOG)

    assert [row["object"] for row in response.context["rows"]] == ["A group"]


def test_the_audit_log_names_rows_whose_related_records_are_gone(editor_client):
    membership = MembershipFactory(person=PersonFactory(given_name="Gone", family_name="Person"))
    membership.person.delete()

    response = editor_client.get(AUDIT_LOG, {"model": "groups.membership"})

    assert response.status_code == 200
    assert [row["object"] for row in response.context["rows"]] == [
        f"Role in a group #{membership.pk}"
    ] * 2
    compare_url = response.context["rows"][0]["compare_url"]
    assert editor_client.get(compare_url).status_code == 200


def test_the_admin_index_links_to_the_audit_log(editor_client):
    assert AUDIT_LOG in editor_client.get(reverse("admin:index")).text


# --- Fixed numbers of queries -----------------------------------------------------------


def _edited_publications(count, editor=None):
    for n in range(count):
        publication = PublicationFactory(title=f"Publication {n}")
        publication.groups.add(GroupFactory())
        AuthorshipFactory(publication=publication)
        publication.title = f"Publication {n}, revised"
        publication._history_user = editor
        publication.save()


@pytest.mark.parametrize("count", [1, 3])
def test_the_audit_log_reads_a_fixed_number_of_queries(
    count, editor_client, editor_user, django_assert_num_queries
):
    _edited_publications(count, editor=editor_user)
    # Session, user, permissions (2), the count and the page (one UNION each), then per
    # kind of record on the page its versions (publications, authors, people, groups)
    # and the related records their names read (an author's publication and person),
    # the page's users, and the staff of the filter menu.
    with django_assert_num_queries(14):
        response = editor_client.get(AUDIT_LOG)
    # Each publication: created, linked to its group, revised; its group, author and
    # the author's person created.
    assert len(response.context["rows"]) == 6 * count


@pytest.mark.parametrize("count", [1, 3])
def test_the_history_page_reads_a_fixed_number_of_queries(
    count, editor_client, django_assert_num_queries
):
    publication = PublicationFactory()
    for n in range(count):
        publication.title = f"Title {n}"
        publication.save()
    # Session, user, the publication and its groups (the admin's queryset),
    # permissions (2), the count and the page of versions with their users.
    with django_assert_num_queries(8):
        response = editor_client.get(_history_url(publication))
    assert len(response.context["rows"]) == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_admin_list_and_change_page_queries_do_not_grow_with_history(
    count, editor_client, django_assert_num_queries
):
    _edited_publications(count)
    publication = Publication.objects.first()
    # Session, user, permissions (2), the year, group and topic filters, the counts (2),
    # the page and its groups: the versions kept are never read.
    with django_assert_num_queries(11):
        editor_client.get(reverse("admin:publications_publication_changelist"))
    editor_client.get(_change_url(publication))  # content types, cached once read
    # Session, user, the publication and its groups, permissions (2), its topics,
    # funders and authors, the choices of groups, topics and funders, and its author's
    # person (once for all rows: core.admin's constant-queries formset): no version is read.
    with django_assert_num_queries(13):
        editor_client.get(_change_url(publication))
