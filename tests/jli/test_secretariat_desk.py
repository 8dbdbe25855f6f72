"""The secretariat's desk (issue 15): forms shaped like the work, funders' inlines, clear
words, bulk actions, and admin pages in a fixed number of queries."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from core.admin import csv_safe
from core.models import Status
from events.models import Event
from funders.models import Funder, Tier
from groups.models import Membership
from publications.models import Authorship, Publication
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _staff_with(*codenames):
    """A staff client with only the given permissions ("app.codename")."""
    user = UserFactory(username="viewer", email="viewer@example.org", is_staff=True)
    for codename in codenames:
        app_label, code = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=code)
        )
    client = Client()
    client.force_login(user)
    return client


# --- Admin pages in a fixed number of queries ------------------------------------------


def _publications(count):
    group = GroupFactory()
    for _ in range(count):
        publication = PublicationFactory()
        publication.groups.add(group)
        AuthorshipFactory(publication=publication)


def _events(count):
    for _ in range(count):
        EventFactory()


def _groups(count):
    for _ in range(count):
        MembershipFactory()


def _funders(count):
    for _ in range(count):
        FunderFactory()


# Each changelist's queries: the session and its user; the user's permissions (the
# editors' group); the count and the page of rows; the filters' choices (years, groups,
# topics ...) and the count behind "show all". Literal numbers: the same with 1 and 3.
CHANGELISTS = [
    pytest.param(Publication, _publications, 11, id="publications"),
    pytest.param(Event, _events, 11, id="events"),
    pytest.param(Membership.group.field.related_model, _groups, 7, id="groups"),
    pytest.param(Funder, _funders, 7, id="funders"),
]


@pytest.mark.parametrize(("model", "make", "queries"), CHANGELISTS)
@pytest.mark.parametrize("count", [1, 3])
def test_admin_changelist_queries_are_fixed(
    editor_client, django_assert_num_queries, model, make, queries, count
):
    make(count)
    with django_assert_num_queries(queries):
        response = editor_client.get(_url(model, "changelist"))
    assert response.context["cl"].result_count == count


def _publication_with(count):
    publication = PublicationFactory()
    publication.groups.add(GroupFactory())
    publication.topics.add(TopicFactory())
    publication.funders.add(FunderFactory())
    for _ in range(count):
        AuthorshipFactory(publication=publication)
    AuthorshipFactory(publication=publication, person=None, name="An organisation")
    return publication


def _event_with(count):
    event = EventFactory()
    event.organisers.add(GroupFactory())
    event.funders.add(FunderFactory())
    for _ in range(count):
        ParticipationFactory(event=event)
        event.publications.add(PublicationFactory())
    return event


def _group_with(count):
    group = GroupFactory()
    for _ in range(count):
        MembershipFactory(group=group)
    return group


def _funder_with(count):
    funder = FunderFactory()
    for _ in range(count):
        PublicationFactory().funders.add(funder)
        EventFactory().funders.add(funder)
    return funder


# Each change page's queries: the session, the user and their permissions; the record;
# each inline's rows (with their people, read together) and the labels of the chosen
# people or publications (one query for all rows); each list of choices (groups, topics,
# funders, secretariat bases) once for all rows; the "view on site" content type.
CHANGE_PAGES = [
    pytest.param(Publication, _publication_with, 14, id="publication"),
    pytest.param(Event, _event_with, 14, id="event"),
    pytest.param(Membership.group.field.related_model, _group_with, 10, id="group"),
    pytest.param(Funder, _funder_with, 10, id="funder"),
]


@pytest.mark.parametrize(("model", "make", "queries"), CHANGE_PAGES)
@pytest.mark.parametrize("count", [1, 3])
def test_admin_change_page_queries_are_fixed(
    editor_client, django_assert_num_queries, model, make, queries, count
):
    obj = make(count)
    # The "view on site" content type is cached for the process: start without it.
    ContentType.objects.clear_cache()
    with django_assert_num_queries(queries):
        response = editor_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200


# --- Authors in order, with and without JavaScript ------------------------------------


def _publication_form(publication, rows):
    """The change form of `publication` as the browser sends it; `rows` are
    (authorship, position chosen) in the order the rows are on the page."""
    data = {
        "kind": publication.kind,
        # Texts with French versions have an English and a French field.
        "title_en": publication.title,
        "subtitle_en": "",
        "slug": publication.slug,
        "published_on": publication.published_on.isoformat(),
        "date_precision": publication.date_precision,
        "abstract_en": "",
        "summary_en": "",
        "body": "",
        "language": "en",
        "publisher": "",
        "place": "",
        "series": "",
        "number": "",
        "doi": "",
        "isbn": "",
        "external_url": "",
        "licence": "",
        "cover_alt": "",
        "status": publication.status,
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        "authorships-TOTAL_FORMS": str(len(rows)),
        "authorships-INITIAL_FORMS": str(len(rows)),
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for n, (authorship, position) in enumerate(rows):
        data |= {
            f"authorships-{n}-id": str(authorship.pk),
            f"authorships-{n}-publication": str(publication.pk),
            f"authorships-{n}-position": str(position),
            f"authorships-{n}-person": str(authorship.person_id or ""),
            f"authorships-{n}-name": authorship.name,
        }
    return data


def _three_authors():
    publication = PublicationFactory()
    authors = [
        AuthorshipFactory(
            publication=publication,
            person=PersonFactory(given_name=name, family_name="Sample"),
            position=position,
        )
        # Stored numbers with gaps and a zero, as typed before: shown as 1, 2, 3.
        for name, position in [("Ana", 0), ("Kofi", 5), ("Lena", 9)]
    ]
    return publication, authors


def _author_names(publication):
    return [author.display_name for author in publication.authorships.all()]


def test_change_form_shows_each_author_at_its_rank_not_its_stored_number(editor_client):
    publication, _authors = _three_authors()
    response = editor_client.get(_url(Publication, "change", publication.pk))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial["position"] for form in formset.forms] == [1, 2, 3]
    assert 'class="js-sortable-position"' in response.text
    assert 'data-move-up="Move up"' in response.text


def test_reordering_with_the_script_saves_the_new_order(editor_client):
    """The script moves the rows and renumbers every position list from 1."""
    publication, (ana, kofi, lena) = _three_authors()
    data = _publication_form(publication, [(lena, 1), (ana, 2), (kofi, 3)])

    response = editor_client.post(_url(Publication, "change", publication.pk), data)

    assert response.status_code == 302
    assert _author_names(publication) == ["Lena Sample", "Ana Sample", "Kofi Sample"]
    assert list(publication.authorships.values_list("position", flat=True)) == [1, 2, 3]


def test_reordering_without_javascript_puts_the_moved_author_first_among_equals(
    editor_client,
):
    """Without the script the editor chooses "1" for Lena only: she goes first and the
    others keep their order after her."""
    publication, (ana, kofi, lena) = _three_authors()
    data = _publication_form(publication, [(ana, 1), (kofi, 2), (lena, 1)])

    response = editor_client.post(_url(Publication, "change", publication.pk), data)

    assert response.status_code == 302
    assert _author_names(publication) == ["Lena Sample", "Ana Sample", "Kofi Sample"]


def test_reordering_saves_each_moved_author_on_its_own(editor_client):
    publication, (ana, kofi, lena) = _three_authors()
    saved = []

    def record(sender, instance, **kwargs):
        saved.append(instance.display_name)

    post_save.connect(record, sender=Authorship)
    try:
        editor_client.post(
            _url(Publication, "change", publication.pk),
            _publication_form(publication, [(kofi, 1), (ana, 2), (lena, 3)]),
        )
    finally:
        post_save.disconnect(record, sender=Authorship)
    assert sorted(saved) == ["Ana Sample", "Kofi Sample", "Lena Sample"]


def test_an_added_row_left_empty_is_ignored_even_renumbered(editor_client):
    publication, (ana, kofi, lena) = _three_authors()
    data = _publication_form(publication, [(ana, 1), (kofi, 2), (lena, 3)])
    data |= {
        "authorships-TOTAL_FORMS": "4",
        "authorships-3-position": "4",
        "authorships-3-person": "",
        "authorships-3-name": "",
    }

    response = editor_client.post(_url(Publication, "change", publication.pk), data)

    assert response.status_code == 302
    assert _author_names(publication) == ["Ana Sample", "Kofi Sample", "Lena Sample"]


def test_group_members_are_reordered_by_their_position(editor_client):
    group = GroupFactory()
    first, second = (MembershipFactory(group=group, display_order=n) for n in (0, 1))
    response = editor_client.get(_url(type(group), "change", group.pk))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance for form in formset.forms] == [first, second]
    assert "display_order" in formset.forms[0].fields
    assert 'class="js-sortable-position"' in response.text


# --- Language ---------------------------------------------------------------------------


def test_language_is_a_choice_of_codes_shown_by_name(editor_client):
    publication = PublicationFactory()
    response = editor_client.get(_url(Publication, "change", publication.pk))
    assert '<option value="fr">French</option>' in response.text
    data = _publication_form(publication, []) | {"language": "klingon"}
    response = editor_client.post(_url(Publication, "change", publication.pk), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    publication.refresh_from_db()
    assert publication.language == "en"


# --- Funders: what they supported, and their place in the tier --------------------------


def _funder_form(funder, publications=(), events=(), initial_publications=()):
    data = {
        "name": funder.name,
        "acronym": "",
        "slug": funder.slug,
        "organisation_kind": funder.organisation_kind,
        "country": "",
        "website": "",
        "tier": funder.tier,
        "support_kind": funder.support_kind,
        "acknowledgement": funder.acknowledgement,
        "display_order": str(funder.display_order),
        "is_public": "on",
        "supported_events-TOTAL_FORMS": str(len(events)),
        "supported_events-INITIAL_FORMS": "0",
        "supported_publications-TOTAL_FORMS": str(len(initial_publications) + len(publications)),
        "supported_publications-INITIAL_FORMS": str(len(initial_publications)),
        "_save": "Save",
    }
    for n, event in enumerate(events):
        data[f"supported_events-{n}-event"] = str(event.pk)
        data[f"supported_events-{n}-position"] = str(n + 1)
    rows = [*initial_publications, *[(None, p, False) for p in publications]]
    for n, (link, publication, delete) in enumerate(rows):
        data[f"supported_publications-{n}-publication"] = str(publication.pk)
        data[f"supported_publications-{n}-funder"] = str(funder.pk)
        data[f"supported_publications-{n}-position"] = str(n + 1)
        if link is not None:
            data[f"supported_publications-{n}-id"] = str(link.pk)
        if delete:
            data[f"supported_publications-{n}-DELETE"] = "on"
    return data


def test_funder_page_adds_what_the_funder_supported(editor_client):
    funder = FunderFactory()
    publication, event = PublicationFactory(), EventFactory()

    response = editor_client.post(
        _url(Funder, "change", funder.pk),
        _funder_form(funder, publications=[publication], events=[event]),
    )

    assert response.status_code == 302
    assert list(funder.publications.all()) == [publication]
    assert list(funder.events.all()) == [event]


def test_funder_page_removes_what_the_funder_supported(editor_client):
    funder = FunderFactory()
    kept, removed = PublicationFactory(), PublicationFactory()
    kept.funders.add(funder)
    removed.funders.add(funder)
    links = {link.publication_id: link for link in Publication.funders.through.objects.all()}

    response = editor_client.post(
        _url(Funder, "change", funder.pk),
        _funder_form(
            funder,
            initial_publications=[
                (links[kept.pk], kept, False),
                (links[removed.pk], removed, True),
            ],
        ),
    )

    assert response.status_code == 302
    assert list(funder.publications.all()) == [kept]


def test_a_new_funder_goes_to_the_end_of_its_tier():
    FunderFactory(tier=Tier.FUNDING_PARTNER, display_order=4)
    FunderFactory(tier=Tier.INSTITUTIONAL_SUPPORTER, display_order=30)
    newest = Funder.objects.create(name="New (sample)", slug="new", tier=Tier.FUNDING_PARTNER)
    first_of_tier = Funder.objects.create(
        name="First (sample)", slug="first", tier=Tier.PARTICIPATING_CONTRIBUTOR
    )
    placed = Funder.objects.create(
        name="Placed (sample)", slug="placed", tier=Tier.FUNDING_PARTNER, display_order=1
    )
    assert (newest.display_order, first_of_tier.display_order, placed.display_order) == (5, 0, 1)


def test_a_funder_added_in_the_admin_without_an_order_goes_to_the_end(editor_client):
    FunderFactory(tier=Tier.FUNDING_PARTNER, display_order=7)
    funder = Funder(name="Added (sample)", slug="added", tier=Tier.FUNDING_PARTNER)
    data = _funder_form(funder) | {"display_order": ""}

    response = editor_client.post(_url(Funder, "add"), data)

    assert response.status_code == 302
    assert Funder.objects.get(slug="added").display_order == 8


def test_event_page_credits_its_public_funders_only(client):
    event = EventFactory()
    event.funders.add(
        FunderFactory(name="Credited Foundation (sample)"),
        FunderFactory(name="Hidden Agency (sample)", is_public=False),
    )
    response = client.get(event.get_absolute_url())
    assert "Supported by" in response.text
    assert "Credited Foundation (sample)" in response.text
    assert "Hidden Agency (sample)" not in response.text


def test_event_page_without_public_funders_credits_nobody(client):
    event = EventFactory()
    event.funders.add(FunderFactory(is_public=False))
    assert "Supported by" not in client.get(event.get_absolute_url()).text


# --- Clear words ------------------------------------------------------------------------


def test_sidebar_tells_permission_groups_from_the_jli_groups(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    names = {
        model["object_name"]: str(model["name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert names["Group"] in {"Permission groups", "Groups"}
    auth = next(app for app in response.context["app_list"] if app["app_label"] == "auth")
    assert [str(model["name"]) for model in auth["models"]] == ["Permission groups", "Users"]
    assert str(auth["name"]) == "Accounts and permissions"
    people = next(app for app in response.context["app_list"] if app["app_label"] == "groups")
    assert "Roles in groups" in [str(model["name"]) for model in people["models"]]
    assert "Groups" in [str(model["name"]) for model in people["models"]]


def test_change_form_fields_say_what_they_change_on_the_site(editor_client):
    publication = PublicationFactory()
    response = editor_client.get(_url(Publication, "change", publication.pk))
    assert "The page's heading, and the title in citations" in response.text


@pytest.mark.parametrize(
    ("status", "link"),
    [(Status.DRAFT, "Preview on site"), (Status.PUBLISHED, "View on site")],
)
def test_every_record_links_to_its_page_drafts_as_a_preview(editor_client, status, link):
    for obj in (PublicationFactory(status=status), EventFactory(status=status)):
        response = editor_client.get(_url(type(obj), "change", obj.pk))
        assert link in response.text
        assert 'class="viewsitelink"' in response.text


def test_a_hidden_funder_says_it_is_hidden_instead_of_linking_to_a_404(editor_client):
    funder = FunderFactory(is_public=False)
    response = editor_client.get(_url(Funder, "change", funder.pk))
    assert "Hidden from the public" in response.text
    assert "View on site" not in response.text


# --- Bulk work --------------------------------------------------------------------------


def _action(client, model, action, objects, **extra):
    return client.post(
        _url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
    )


def test_publish_saves_each_record_on_its_own(editor_client):
    drafts = [PublicationFactory(status=Status.DRAFT) for _ in range(2)]
    saved = []

    def record(sender, instance, update_fields=None, **kwargs):
        saved.append((instance.pk, sorted(update_fields or [])))

    post_save.connect(record, sender=Publication)
    try:
        response = _action(editor_client, Publication, "publish", drafts, index="0")
    finally:
        post_save.disconnect(record, sender=Publication)

    assert response.status_code == 302
    assert sorted(saved) == sorted((d.pk, ["status", "updated_at"]) for d in drafts)
    assert set(Publication.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_assign_a_group_asks_which_then_adds_it_to_each(editor_client):
    group = GroupFactory(name="Working group on supply (sample)")
    publications = [PublicationFactory() for _ in range(2)]

    page = _action(editor_client, Publication, "assign_groups", publications, index="0")
    assert page.status_code == 200
    assert "Working group on supply (sample)" in page.text
    assert list(group.publications.all()) == []

    done = _action(
        editor_client, Publication, "assign_groups", publications, choice=group.pk, apply="Add"
    )
    assert done.status_code == 302
    assert sorted(p.pk for p in group.publications.all()) == sorted(p.pk for p in publications)


def test_assign_without_a_choice_asks_again_and_changes_nothing(editor_client):
    TopicFactory()
    publication = PublicationFactory()
    response = _action(editor_client, Publication, "assign_topics", [publication], apply="Add")
    assert response.status_code == 200
    assert "Choose one." in response.text
    assert list(publication.topics.all()) == []


def test_assign_an_organiser_to_events(editor_client):
    group = GroupFactory()
    event = EventFactory()
    _action(editor_client, Event, "assign_organisers", [event], choice=group.pk, apply="Add")
    assert list(event.organisers.all()) == [group]


def test_export_csv_neutralises_formulas(editor_client):
    publication = PublicationFactory(title='=HYPERLINK("http://evil.example")')
    AuthorshipFactory(publication=publication, person=None, name="@Sample author")

    response = _action(editor_client, Publication, "export_csv", [publication], index="0")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["title", "subtitle"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][4] == "'@Sample author"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_safe_quotes_what_a_spreadsheet_would_run(value):
    assert csv_safe(value) == f"'{value}"


def test_csv_safe_leaves_plain_text():
    assert csv_safe("Human resources for health") == "Human resources for health"
    assert csv_safe(None) == ""


@pytest.mark.parametrize(
    ("model", "make", "action"),
    [
        (Publication, PublicationFactory, "publish"),
        (Publication, PublicationFactory, "assign_groups"),
        (Publication, PublicationFactory, "export_csv"),
        (Event, EventFactory, "assign_organisers"),
        (Event, EventFactory, "export_csv"),
        (Funder, FunderFactory, "export_csv"),
    ],
)
def test_staff_without_the_change_permission_get_no_action(model, make, action):
    obj = make()
    opts = model._meta
    client = _staff_with(f"{opts.app_label}.view_{opts.model_name}")
    changelist = client.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    # Staff who may only view get no action at all (Django offers none).
    assert changelist.context["action_form"] is None

    group = GroupFactory()
    before = model.objects.get(pk=obj.pk).updated_at

    response = _action(client, model, action, [obj], index="0", choice=group.pk, apply="Add")

    # Django runs no action it did not offer: the list again, no file, nothing changed.
    assert response.status_code in (200, 302)
    assert response["Content-Type"].startswith("text/html")
    assert model.objects.get(pk=obj.pk).updated_at == before


def test_assign_action_refuses_a_user_without_change_permission(rf):
    """Even called directly (not through the changelist), the action checks."""
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    modeladmin = admin.site._registry[Publication]
    request = rf.post("/", {"apply": "Add"})
    request.user = UserFactory(is_staff=True)
    assign = next(a for a in modeladmin.actions if getattr(a, "__name__", "") == "assign_groups")
    with pytest.raises(PermissionDenied):
        assign(modeladmin, request, Publication.objects.none())
    with pytest.raises(PermissionDenied):
        modeladmin.export_csv(request, Publication.objects.none())
