"""The authorization matrix of the whole site: every URL, persona, GET and POST.

Every URL pattern of the root resolver (admin included, recursively) must be listed
here: in PUBLIC_MATRIX or CUSTOM_ADMIN_MATRIX by its route, or (for the URLs Django
makes for a registered ModelAdmin) through ADMIN_MODELS. A new URL that is not listed
fails test_every_url_pattern_is_in_the_matrix.

Expectations are written out per persona: a status code, or LOGIN / ADMIN_LOGIN (a 302
to the sign-in page with `next=` the URL asked for), or ("redirect", target).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.models import Status
from events.models import Event
from imports.models import ImportRecord
from members.models import Invitation
from members.services import _hash_token
from tests.factories import (
    AuthorshipFactory,
    EventFactory,
    FunderFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    PersonLinkFactory,
    ProfileChangeFactory,
    PublicationFactory,
    SecretariatBaseFactory,
    StoryPageFactory,
    TopicFactory,
    pdf_bytes,
    png_bytes,
)

pytestmark = pytest.mark.django_db

# "bare_staff": a staff account given no permission at all (is_staff alone opens nothing).
PERSONAS = ["anonymous", "member", "other_member", "bare_staff", "editor", "superuser"]
LOGIN = "login"
ADMIN_LOGIN = "admin_login"
INVITATION_TOKEN = "a-known-invitation-token-for-the-matrix"


def every(expected):
    return dict.fromkeys(PERSONAS, expected)


def split(public, staff, *, bare_staff=None):
    """`public` for anonymous and members, `staff` for the editor and the superuser (and
    for staff without permissions, unless `bare_staff` says otherwise)."""
    return {
        "anonymous": public,
        "member": public,
        "other_member": public,
        "bare_staff": staff if bare_staff is None else bare_staff,
        "editor": staff,
        "superuser": staff,
    }


def signed_in(anonymous, others):
    return {"anonymous": anonymous} | dict.fromkeys(PERSONAS[1:], others)


PUBLIC = every(200)
NOT_ALLOWED = every(405)
# Drafts are shown to staff with the model's view permission only.
STAFF_PREVIEW = split(404, 200, bare_staff=404)
HIDDEN = every(404)


@dataclass
class Row:
    route: str
    url: object  # a function of the site's objects giving the URL
    get: dict
    post: dict
    note: str = ""
    data: dict = field(default_factory=dict)


def _pub(site):
    return site.publication.slug


# Every non-admin URL (and the admin's own pages), with real objects.
PUBLIC_MATRIX = [
    Row("", lambda s: "/", PUBLIC, NOT_ALLOWED),
    Row("about/<slug:slug>/", lambda s: f"/about/{s.story.slug}/", PUBLIC, NOT_ALLOWED),
    Row("about/<slug:slug>/", lambda s: f"/about/{s.draft_story.slug}/", STAFF_PREVIEW,
        NOT_ALLOWED, "draft"),
    Row("healthz", lambda s: "/healthz", PUBLIC, NOT_ALLOWED),
    Row("readyz", lambda s: "/readyz", PUBLIC, NOT_ALLOWED),
    Row("robots.txt", lambda s: "/robots.txt", PUBLIC, NOT_ALLOWED),
    Row("favicon.ico", lambda s: "/favicon.ico", PUBLIC, NOT_ALLOWED),
    Row("sitemap.xml", lambda s: "/sitemap.xml", PUBLIC, NOT_ALLOWED),
    # Posted, it switches to French and lands on the French home page.
    Row("i18n/setlang/", lambda s: "/i18n/setlang/", every(("redirect", "/")),
        every(("redirect", "/fr/")), data={"language": "fr"}),
    Row("accounts/login/", lambda s: "/accounts/login/",
        signed_in(200, ("redirect", "/profile/")), signed_in(200, ("redirect", "/profile/"))),
    Row("accounts/password_reset/", lambda s: "/accounts/password_reset/", PUBLIC, PUBLIC),
    Row("accounts/password_reset/done/", lambda s: "/accounts/password_reset/done/", PUBLIC,
        NOT_ALLOWED),
    Row("accounts/invitation/<str:token>/", lambda s: f"/accounts/invitation/{INVITATION_TOKEN}/",
        PUBLIC, PUBLIC, "open invitation; an empty POST shows the form's errors"),
    Row("accounts/invitation/<str:token>/", lambda s: "/accounts/invitation/not-a-token/",
        HIDDEN, HIDDEN, "unknown token"),
    Row("accounts/logout/", lambda s: "/accounts/logout/", NOT_ALLOWED,
        every(("redirect", "/"))),
    Row("accounts/password_change/", lambda s: "/accounts/password_change/",
        signed_in(LOGIN, 200), signed_in(LOGIN, 200)),
    Row("accounts/password_change/done/", lambda s: "/accounts/password_change/done/",
        signed_in(LOGIN, 200), signed_in(LOGIN, 405)),
    Row("accounts/reset/<uidb64>/<token>/", lambda s: s.reset_url,
        every(("redirect", "set-password")), every(("redirect", "set-password")), "valid link"),
    Row("accounts/reset/<uidb64>/<token>/", lambda s: "/accounts/reset/MQ/bad-token/",
        PUBLIC, PUBLIC, "invalid link: the page says so"),
    Row("accounts/reset/done/", lambda s: "/accounts/reset/done/", PUBLIC, NOT_ALLOWED),
    Row("groups/", lambda s: "/groups/", PUBLIC, NOT_ALLOWED),
    Row("groups/<slug:slug>/", lambda s: f"/groups/{s.group.slug}/", PUBLIC, NOT_ALLOWED),
    Row("groups/<slug:slug>/", lambda s: f"/groups/{s.draft_group.slug}/", STAFF_PREVIEW,
        NOT_ALLOWED, "draft"),
    Row("people/", lambda s: "/people/", PUBLIC, NOT_ALLOWED),
    Row("people/<slug:slug>/", lambda s: f"/people/{s.person.slug}/", PUBLIC, NOT_ALLOWED),
    Row("people/<slug:slug>/", lambda s: f"/people/{s.hidden_person.slug}/", HIDDEN,
        NOT_ALLOWED, "not public"),
    Row("profile/", lambda s: "/profile/", signed_in(LOGIN, 200),
        signed_in(LOGIN, 200), "an empty POST shows the form's errors"),
    Row("events/", lambda s: "/events/", PUBLIC, NOT_ALLOWED),
    Row("events/calendar.ics", lambda s: "/events/calendar.ics", PUBLIC, NOT_ALLOWED),
    Row("events/<slug:slug>.ics", lambda s: f"/events/{s.event.slug}.ics", PUBLIC, NOT_ALLOWED),
    Row("events/<slug:slug>.ics", lambda s: f"/events/{s.draft_event.slug}.ics", HIDDEN,
        NOT_ALLOWED, "draft"),
    Row("events/<slug:slug>/", lambda s: f"/events/{s.event.slug}/", PUBLIC, NOT_ALLOWED),
    Row("events/<slug:slug>/", lambda s: f"/events/{s.draft_event.slug}/", STAFF_PREVIEW,
        NOT_ALLOWED, "draft"),
    Row("funders/", lambda s: "/funders/", PUBLIC, NOT_ALLOWED),
    Row("funders/<slug:slug>/", lambda s: f"/funders/{s.funder.slug}/", PUBLIC, NOT_ALLOWED),
    Row("funders/<slug:slug>/", lambda s: f"/funders/{s.hidden_funder.slug}/", HIDDEN,
        NOT_ALLOWED, "hidden"),
    Row("publications/", lambda s: "/publications/", PUBLIC, NOT_ALLOWED),
    Row("search/", lambda s: "/search/?q=sample", PUBLIC, NOT_ALLOWED),
    Row("opensearch.xml", lambda s: "/opensearch.xml", PUBLIC, NOT_ALLOWED),
    Row("publications/feed/", lambda s: "/publications/feed/", PUBLIC, NOT_ALLOWED),
    Row(r"publications/^cite\.(?P<fmt>bib|ris)$", lambda s: "/publications/cite.bib", PUBLIC,
        NOT_ALLOWED),
    Row("publications/<slug:slug>/", lambda s: f"/publications/{_pub(s)}/", PUBLIC,
        NOT_ALLOWED),
    Row("publications/<slug:slug>/", lambda s: f"/publications/{s.draft_publication.slug}/",
        STAFF_PREVIEW, NOT_ALLOWED, "draft"),
    Row("publications/<slug:slug>/download/", lambda s: f"/publications/{_pub(s)}/download/",
        PUBLIC, NOT_ALLOWED),
    Row("publications/<slug:slug>/download/",
        lambda s: f"/publications/{s.draft_publication.slug}/download/", STAFF_PREVIEW,
        NOT_ALLOWED, "draft"),
    Row("publications/<slug:slug>/cover/", lambda s: f"/publications/{_pub(s)}/cover/",
        PUBLIC, NOT_ALLOWED),
    Row("publications/<slug:slug>/cover/",
        lambda s: f"/publications/{s.draft_publication.slug}/cover/", STAFF_PREVIEW,
        NOT_ALLOWED, "draft"),
    Row("publications/<slug:slug>/cover/thumbnail/",
        lambda s: f"/publications/{_pub(s)}/cover/thumbnail/", PUBLIC, NOT_ALLOWED),
    Row("publications/<slug:slug>/cover/thumbnail/",
        lambda s: f"/publications/{s.draft_publication.slug}/cover/thumbnail/", STAFF_PREVIEW,
        NOT_ALLOWED, "draft"),
    Row("people/<slug:slug>/photo/", lambda s: f"/people/{s.person.slug}/photo/", PUBLIC,
        NOT_ALLOWED),
    Row("people/<slug:slug>/photo/", lambda s: f"/people/{s.hidden_person.slug}/photo/",
        STAFF_PREVIEW, NOT_ALLOWED, "not public"),
    Row("people/<slug:slug>/photo/", lambda s: f"/people/{s.member_user.person.slug}/photo/",
        {**STAFF_PREVIEW, "member": 200}, NOT_ALLOWED,
        "a member's own private profile: the member sees their photo"),
    Row("funders/<slug:slug>/logo/", lambda s: f"/funders/{s.funder.slug}/logo/", PUBLIC,
        NOT_ALLOWED),
    Row("funders/<slug:slug>/logo/", lambda s: f"/funders/{s.hidden_funder.slug}/logo/",
        STAFF_PREVIEW, NOT_ALLOWED, "hidden"),
    Row("profile/changes/<int:pk>/photo/", lambda s: f"/profile/changes/{s.change.pk}/photo/",
        {**STAFF_PREVIEW, "member": 200}, NOT_ALLOWED,
        "the photo a member sent for review: the member and the reviewers only"),
    Row(r"publications/^(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<fmt>bib|ris)$",
        lambda s: f"/publications/{_pub(s)}/cite.ris", PUBLIC, NOT_ALLOWED),
    Row(r"publications/^(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<fmt>bib|ris)$",
        lambda s: f"/publications/{s.draft_publication.slug}/cite.ris", STAFF_PREVIEW,
        NOT_ALLOWED, "draft"),
    Row("oai/", lambda s: "/oai/?verb=Identify", PUBLIC, PUBLIC,
        "OAI-PMH answers POST too; the same for everybody"),
    Row("data/", lambda s: "/data/", PUBLIC, NOT_ALLOWED),
    Row("data/<str:name>", lambda s: "/data/datapackage.json", HIDDEN, NOT_ALLOWED,
        "before the first export"),
    Row("data/<str:name>", lambda s: "/data/secret.txt", HIDDEN, NOT_ALLOWED, "not a data file"),
    # The read API: the same public data for everybody, staff included; read-only.
    Row("api/v1/", lambda s: "/api/v1/", HIDDEN, HIDDEN),
    Row("api/v1/openapi.json", lambda s: "/api/v1/openapi.json", PUBLIC, NOT_ALLOWED),
    Row("api/v1/docs", lambda s: "/api/v1/docs", PUBLIC, NOT_ALLOWED),
    *[Row(f"api/v1/{name}/", lambda s, name=name: f"/api/v1/{name}/", PUBLIC, NOT_ALLOWED)
      for name in ("groups", "people", "memberships", "publications", "events", "funders")],
    Row("api/v1/groups/<slug>/", lambda s: f"/api/v1/groups/{s.group.slug}/", PUBLIC,
        NOT_ALLOWED),
    Row("api/v1/groups/<slug>/", lambda s: f"/api/v1/groups/{s.draft_group.slug}/", HIDDEN,
        NOT_ALLOWED, "draft"),
    Row("api/v1/people/<slug>/", lambda s: f"/api/v1/people/{s.person.slug}/", PUBLIC,
        NOT_ALLOWED),
    Row("api/v1/people/<slug>/", lambda s: f"/api/v1/people/{s.hidden_person.slug}/", HIDDEN,
        NOT_ALLOWED, "not public"),
    Row("api/v1/publications/<slug>/", lambda s: f"/api/v1/publications/{_pub(s)}/", PUBLIC,
        NOT_ALLOWED),
    Row("api/v1/publications/<slug>/",
        lambda s: f"/api/v1/publications/{s.draft_publication.slug}/", HIDDEN, NOT_ALLOWED,
        "draft"),
    Row("api/v1/events/<slug>/", lambda s: f"/api/v1/events/{s.event.slug}/", PUBLIC,
        NOT_ALLOWED),
    Row("api/v1/events/<slug>/", lambda s: f"/api/v1/events/{s.draft_event.slug}/", HIDDEN,
        NOT_ALLOWED, "draft"),
    Row("api/v1/funders/<slug>/", lambda s: f"/api/v1/funders/{s.funder.slug}/", PUBLIC,
        NOT_ALLOWED),
    Row("api/v1/funders/<slug>/", lambda s: f"/api/v1/funders/{s.hidden_funder.slug}/", HIDDEN,
        NOT_ALLOWED, "hidden"),
]  # fmt: skip

STAFF_ONLY = {
    "anonymous": ADMIN_LOGIN,
    "member": ADMIN_LOGIN,
    "other_member": ADMIN_LOGIN,
    "bare_staff": 200,
    "editor": 200,
    "superuser": 200,
}


def staff(editor, superuser, *, bare_staff=None):
    """Staff pages: `editor` also for staff without permissions unless `bare_staff` is given."""
    bare = editor if bare_staff is None else bare_staff
    return {**STAFF_ONLY, "bare_staff": bare, "editor": editor, "superuser": superuser}


# The admin's own pages and the custom views of its ModelAdmins.
CUSTOM_ADMIN_MATRIX = [
    Row("admin/", lambda s: "/admin/", STAFF_ONLY, STAFF_ONLY),
    Row("admin/login/", lambda s: "/admin/login/",
        split(200, ("redirect", "/admin/")), every(200),
        "members are told they lack access; staff are sent on"),
    Row("admin/logout/", lambda s: "/admin/logout/",
        staff(405, 405) | split(("redirect", "/admin/"), 405),
        split(("redirect", "/admin/"), ("redirect", "/")), "sign-out is a POST"),
    Row("admin/password_change/", lambda s: "/admin/password_change/", STAFF_ONLY, STAFF_ONLY),
    Row("admin/password_change/done/", lambda s: "/admin/password_change/done/", STAFF_ONLY,
        staff(405, 405)),
    Row("admin/autocomplete/", lambda s: "/admin/autocomplete/", staff(403, 403),
        staff(405, 405), "without its parameters the view refuses"),
    Row("admin/jsi18n/", lambda s: "/admin/jsi18n/", STAFF_ONLY, staff(405, 405)),
    Row("admin/r/<path:content_type_id>/<path:object_id>/", lambda s: s.view_on_site_url,
        staff(("redirect", "/people/public-person/"), ("redirect", "/people/public-person/")),
        staff(("redirect", "/people/public-person/"), ("redirect", "/people/public-person/")),
        "view on site: only a redirect to the public page"),
    Row(r"admin/^(?P<app_label>auth|axes|django_tasks_database|groups|funders|publications|events|members|imports|jli)/$",
        lambda s: "/admin/groups/", staff(200, 200, bare_staff=404),
        staff(200, 200, bare_staff=404), "an app without permissions on it is not found"),
    Row(r"admin/^(?P<app_label>auth|axes|django_tasks_database|groups|funders|publications|events|members|imports|jli)/$",
        lambda s: "/admin/auth/", staff(404, 200), staff(404, 200),
        "editors have no permission on accounts"),
    Row("admin/(?P<url>.*)$", lambda s: "/admin/no-such-page/", staff(404, 404),
        staff(404, 404), "catch-all: sign-in first, then 404"),
    Row("admin/auth/user/<id>/password/",
        lambda s: f"/admin/auth/user/{s.member_user.pk}/password/", staff(403, 200),
        staff(403, 200)),
    # Imports: staff with add permission on what is imported (editors), else 403.
    Row("admin/imports/importrecord/people/", lambda s: "/admin/imports/importrecord/people/",
        staff(200, 200, bare_staff=403), staff(200, 200, bare_staff=403),
        "an empty POST shows the form's errors"),
    Row("admin/imports/importrecord/publications/",
        lambda s: "/admin/imports/importrecord/publications/",
        staff(200, 200, bare_staff=403), staff(200, 200, bare_staff=403)),
    Row("admin/imports/importrecord/people-template.csv",
        lambda s: "/admin/imports/importrecord/people-template.csv",
        staff(200, 200, bare_staff=403), staff(200, 200, bare_staff=403)),
    Row("admin/imports/importrecord/<int:pk>/preview/", lambda s: s.import_preview_url,
        staff(404, 404), staff(404, 404), "another user's upload: not found"),
    Row("admin/imports/importrecord/<int:pk>/revert/", lambda s: s.import_revert_url,
        staff(200, 200, bare_staff=403), staff(302, 200, bare_staff=403),
        "GET asks; the editor's POST reverts (delete and change permissions), so the "
        "superuser's POST then finds it reverted and says so"),
    # The audit log: staff who may view some content; rows only of what they may view.
    Row("admin/history/", lambda s: "/admin/history/", staff(200, 200, bare_staff=403),
        staff(200, 200, bare_staff=403), "GET form: a POST shows the log too"),
    Row("admin/history/<str:label>/<int:history_id>/restore/", lambda s: s.restore_url,
        staff(200, 200, bare_staff=403), staff(302, 302, bare_staff=403),
        "a deleted event: GET asks, POST restores it (add permission)"),
    Row("admin/history/<str:label>/<int:history_id>/restore/",
        lambda s: "/admin/history/auth.user/1/restore/", staff(404, 404, bare_staff=404),
        staff(404, 404, bare_staff=404), "a model that keeps no history"),
    # A row without an admin page of its own (an author): its change, to whoever may
    # view that kind of row; GET only.
    Row("admin/history/<str:label>/<int:history_id>/", lambda s: s.row_change_url,
        staff(200, 200, bare_staff=403), staff(405, 405, bare_staff=405),
        "an author's version: view permission on authors"),
    Row("admin/history/<str:label>/<int:history_id>/",
        lambda s: "/admin/history/auth.user/1/", staff(404, 404, bare_staff=404),
        staff(405, 405, bare_staff=405), "a model that keeps no history"),
    Row("admin/members/profilechange/<int:pk>/review/",
        lambda s: f"/admin/members/profilechange/{s.change.pk}/review/", staff(405, 405),
        staff(302, 302, bare_staff=403),
        "POST only; an empty decision is refused with a message; no review permission: 403"),
]  # fmt: skip

# Every registered ModelAdmin: (editor may use it, add allowed, change allowed[, delete
# allowed: True unless given]). Editors curate the content apps; accounts, permission
# groups, sign-in records and the background tasks' results are the superuser's. Sign-in
# records, task results and profile changes are read-only.
ADMIN_MODELS = {
    "auth.group": (False, True, True),
    "auth.user": (False, True, True),
    "axes.accessattempt": (False, False, False),
    "axes.accesslog": (False, False, False),
    "axes.accessfailurelog": (False, False, False),
    "jli.storypage": (True, True, True),
    "groups.person": (True, True, True),
    "groups.group": (True, True, True),
    "groups.secretariatbase": (True, True, True),
    "groups.membership": (True, True, True),
    "members.invitation": (True, False, False),
    "members.profilechange": (True, False, False),
    "publications.topic": (True, True, True),
    "publications.publication": (True, True, True),
    "events.event": (True, True, True),
    "funders.funder": (True, True, True),
    # The record of imports: read-only, written by the imports themselves.
    "imports.importrecord": (True, False, False, False),
    "django_tasks_database.dbtaskresult": (False, False, False, False),
}
ADMIN_VIEWS = ["changelist", "add", "change", "delete", "history", "redirect"]
ADMIN_MODEL_ROUTES = ["", "add/", "<path:object_id>/history/", "<path:object_id>/delete/",
                      "<path:object_id>/change/", "<path:object_id>/",
                      # The content models' versions (core/history_admin.py).
                      "<path:object_id>/history/compare/",
                      "<path:object_id>/history/<int:history_id>/revert/"]  # fmt: skip
# The registered models that keep a history: their compare and revert pages.
HISTORY_MODELS = sorted(
    label for label, (editor_may, add, change, *_) in ADMIN_MODELS.items()
    if editor_may and add and change
)  # fmt: skip


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_url_pattern_is_in_the_matrix():
    listed = {row.route for row in PUBLIC_MATRIX + CUSTOM_ADMIN_MATRIX}
    for model in admin.site._registry:
        label = model._meta.label_lower
        assert label in ADMIN_MODELS, f"ModelAdmin of {label} is not in ADMIN_MODELS"
        app, name = label.split(".")
        listed |= {f"admin/{app}/{name}/{route}" for route in ADMIN_MODEL_ROUTES}
    missing = sorted(set(_routes(get_resolver().url_patterns)) - listed)
    assert missing == [], "URL patterns missing from the authorization matrix"


def test_the_matrix_lists_no_url_that_does_not_exist():
    routes = set(_routes(get_resolver().url_patterns))
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert sorted({row.route for row in PUBLIC_MATRIX + CUSTOM_ADMIN_MATRIX} - routes) == []
    assert sorted(set(ADMIN_MODELS) - registered) == []


@pytest.fixture
def site(db, member_user, other_member_user, bare_staff_user, editor_user, superuser):
    users = {
        "anonymous": None,
        "member": member_user,
        "other_member": other_member_user,
        "bare_staff": bare_staff_user,
        "editor": editor_user,
        "superuser": superuser,
    }
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    person = PersonFactory(slug="public-person")
    publication = PublicationFactory(slug="a-paper")
    publication.file.save("paper.pdf", _content(pdf_bytes()), save=True)
    draft_publication = PublicationFactory(slug="draft-paper", status=Status.DRAFT)
    draft_publication.file.save("draft.pdf", _content(pdf_bytes()), save=True)
    hidden_person = PersonFactory(slug="hidden-person", is_public=False)
    funder = FunderFactory(slug="a-funder")
    hidden_funder = FunderFactory(slug="hidden-funder", is_public=False)
    change = ProfileChangeFactory(person=member_user.person)
    # The member's own profile is private: only they (and the reviewers) see its photo.
    member_user.person.is_public = False
    # Every record's files, each behind its record's visibility (core/media.py).
    for record, file_field in [(publication, "cover"), (draft_publication, "cover"),
                          (person, "photo"), (hidden_person, "photo"),
                          (member_user.person, "photo"), (funder, "logo"),
                          (hidden_funder, "logo"), (change, "photo")]:  # fmt: skip
        getattr(record, file_field).save("image.png", _content(png_bytes()), save=True)
    Invitation.objects.create(
        person=PersonFactory(email="invited@example.org"),
        email="invited@example.org",
        token_hash=_hash_token(INVITATION_TOKEN),
        expires_at=timezone.now() + timezone.timedelta(days=2),
    )
    uid = urlsafe_base64_encode(force_bytes(member_user.pk))
    token = default_token_generator.make_token(member_user)
    from django.contrib.contenttypes.models import ContentType

    person_type = ContentType.objects.get_for_model(person)
    # An upload kept for its preview by someone else (no persona): never theirs to see.
    upload = ImportRecord.objects.create(kind="people", file_name="x.csv", source=b"a,b\n")
    # A finished import that made one person, for its revert page.
    started = timezone.now()
    imported_person = PersonFactory(slug="imported-person")
    finished = ImportRecord.objects.create(
        kind="people",
        file_name="done.csv",
        status="done",
        started_at=started,
        imported_at=timezone.now(),
        preview={"written": {"created": [imported_person.pk], "updated": [], "memberships": []}},
    )
    deleted_event = EventFactory(slug="deleted-event")
    deleted_event.delete()
    deleted = Event.history.get(slug="deleted-event", history_type="-")
    AuthorshipFactory(publication=publication, person=None, name="An author (sample)")
    author_version = publication.authorships.get().history.get()
    return SimpleNamespace(
        clients=clients,
        member_user=member_user,
        person=person,
        hidden_person=hidden_person,
        story=StoryPageFactory(slug="story"),
        draft_story=StoryPageFactory(slug="draft-story", status=Status.DRAFT),
        group=GroupFactory(slug="a-group"),
        draft_group=GroupFactory(slug="draft-group", status=Status.DRAFT),
        event=EventFactory(slug="an-event"),
        draft_event=EventFactory(slug="draft-event", status=Status.DRAFT),
        funder=funder,
        hidden_funder=hidden_funder,
        publication=publication,
        draft_publication=draft_publication,
        change=change,
        reset_url=f"/accounts/reset/{uid}/{token}/",
        view_on_site_url=f"/admin/r/{person_type.pk}/{person.pk}/",
        import_preview_url=f"/admin/imports/importrecord/{upload.pk}/preview/",
        import_revert_url=f"/admin/imports/importrecord/{finished.pk}/revert/",
        restore_url=f"/admin/history/events.event/{deleted.history_id}/restore/",
        row_change_url=f"/admin/history/publications.authorship/{author_version.history_id}/",
    )


def _content(data):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def _check(response, expected, url, method, persona):
    """None when the response is what the matrix expects, else what went wrong."""
    where = f"{method} {url} as {persona}: expected {expected!r}, got {response.status_code}"
    location = response.get("Location", "")
    if expected in (LOGIN, ADMIN_LOGIN):
        login = "/accounts/login/" if expected == LOGIN else "/admin/login/"
        ok = (response.status_code, location) == (302, f"{login}?next={quote(url)}")
    elif isinstance(expected, tuple):
        ok = (
            response.status_code == 302
            and expected[1] in location
            # Never off the site: a path, or this very host.
            and (location.startswith("/") or location.startswith("http://testserver/"))
            and not location.startswith("//")
        )
    else:
        ok = response.status_code == expected
    return None if ok else f"{where} {location or ''}".strip()


def _rows(matrix):
    return [pytest.param(row, id=f"{row.route or '/'} {row.note}".strip()) for row in matrix]


@pytest.mark.parametrize("row", _rows(PUBLIC_MATRIX + CUSTOM_ADMIN_MATRIX))
def test_url_answers_each_persona_as_the_matrix_says(site, row):
    url = row.url(site)
    problems = []
    for persona in PERSONAS:
        client = site.clients[persona]
        problems.append(_check(client.get(url), row.get[persona], url, "GET", persona))
        problems.append(_check(client.post(url, row.data), row.post[persona], url, "POST", persona))
    assert [problem for problem in problems if problem] == []


def _user_of(site, persona):
    """The user behind a signed-in persona."""
    from django.contrib.auth import get_user_model

    username = {"other_member": "other", "editor": "editor", "superuser": "admin"}[persona]
    return get_user_model().objects.get(username=username)


def _admin_object(label, site):
    """One real object of each registered model, made by its factory."""
    makers = {
        "auth.group": lambda: PermissionGroup.objects.create(name="Matrix group"),
        "auth.user": lambda: site.member_user,
        "axes.accessattempt": lambda: AccessAttempt.objects.create(
            username="someone@example.org", ip_address="192.0.2.1", failures_since_start=1
        ),
        "axes.accesslog": lambda: AccessLog.objects.create(
            username="someone@example.org", ip_address="192.0.2.1"
        ),
        "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(
            username="someone@example.org", ip_address="192.0.2.1"
        ),
        "jli.storypage": lambda: site.story,
        "groups.person": lambda: site.person,
        "groups.group": lambda: site.group,
        "groups.secretariatbase": SecretariatBaseFactory,
        "groups.membership": MembershipFactory,
        "members.invitation": lambda: Invitation.objects.get(),
        "members.profilechange": lambda: site.change,
        "publications.topic": TopicFactory,
        "publications.publication": lambda: site.publication,
        "events.event": lambda: site.event,
        "funders.funder": lambda: site.funder,
        "imports.importrecord": lambda: ImportRecord.objects.create(
            kind="people", file_name="x.csv"
        ),
        "django_tasks_database.dbtaskresult": lambda: _task_result(),
    }
    return makers[label]()


def _task_result():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        task_path="jli.tests.example", args_kwargs={"args": [], "kwargs": {}}
    )


def _admin_expected(label, view, method):
    editor_may, add_allowed, change_allowed, *delete = ADMIN_MODELS[label]
    delete_allowed = delete[0] if delete else True
    ok = {
        ("changelist", "GET"): 200,
        ("changelist", "POST"): 200,
        ("add", "GET"): 200 if add_allowed else 403,
        ("add", "POST"): 200 if add_allowed else 403,
        ("change", "GET"): 200,
        # An empty POST to an editable form shows its errors; read-only ones refuse it.
        ("change", "POST"): 200 if change_allowed else 403,
        # An empty POST to delete only shows the confirmation again.
        ("delete", "GET"): 200 if delete_allowed else 403,
        ("delete", "POST"): 200 if delete_allowed else 403,
        ("history", "GET"): 200,
        ("history", "POST"): 200,
        ("redirect", "GET"): ("redirect", "/change/"),
        ("redirect", "POST"): ("redirect", "/change/"),
    }[view, method]
    if label.startswith("axes.") and (view, method) == ("change", "POST"):
        # django-axes' read-only records: a POST saves nothing and goes back to the list.
        ok = ("redirect", f"/admin/{label.replace('.', '/')}/")
    if view == "redirect":
        # The old-style object URL only redirects; the change page then decides.
        return staff(ok, ok)
    return staff(ok if editor_may else 403, ok, bare_staff=403)


@pytest.mark.parametrize("view", ADMIN_VIEWS)
@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_admin_model_pages_answer_each_persona(site, label, view):
    obj = _admin_object(label, site)
    app, name = label.split(".")
    base = f"/admin/{app}/{name}/"
    url = {
        "changelist": base,
        "add": f"{base}add/",
        "change": f"{base}{obj.pk}/change/",
        "delete": f"{base}{obj.pk}/delete/",
        "history": f"{base}{obj.pk}/history/",
        "redirect": f"{base}{obj.pk}/",
    }[view]
    problems = []
    for persona in PERSONAS:
        client = site.clients[persona]
        for method in ("GET", "POST"):
            response = getattr(client, method.lower())(url)
            expected = _admin_expected(label, view, method)[persona]
            problems.append(_check(response, expected, url, method, persona))
    assert [problem for problem in problems if problem] == []
    assert type(obj).objects.filter(pk=obj.pk).exists(), "an empty POST deleted the object"


def _history_expected(view, method):
    """Versions: compared with the view permission, reverted with the change one."""
    ok = {
        ("history_compare", "GET"): 200,
        ("history_compare", "POST"): 405,  # read-only, whoever asks
        ("history_revert", "GET"): 200,  # asks first
        ("history_revert", "POST"): ("redirect", "/change/"),
    }[view, method]
    return staff(ok, ok, bare_staff=405 if ok == 405 else 403)


@pytest.mark.parametrize("view", ["history_compare", "history_revert"])
@pytest.mark.parametrize("label", HISTORY_MODELS)
def test_admin_history_pages_answer_each_persona(site, label, view):
    obj = _admin_object(label, site)
    first = obj.history.order_by("history_date").first()
    app, name = label.split(".")
    base = f"/admin/{app}/{name}/{obj.pk}/history/"
    url = f"{base}compare/" if view == "history_compare" else f"{base}{first.history_id}/revert/"
    problems = []
    for persona in PERSONAS:
        client = site.clients[persona]
        for method in ("GET", "POST"):
            response = getattr(client, method.lower())(url)
            expected = _history_expected(view, method)[persona]
            problems.append(_check(response, expected, url, method, persona))
    assert [problem for problem in problems if problem] == []


@pytest.mark.parametrize("label", HISTORY_MODELS)
def test_an_editor_without_the_change_permission_sees_history_but_cannot_revert(site, label):
    """The sixth persona: staff with the model's view permission only."""
    obj = _admin_object(label, site)
    first = obj.history.order_by("history_date").first()
    app, name = label.split(".")
    client = _staff_with(f"{app}.view_{name}")
    base = f"/admin/{app}/{name}/{obj.pk}/history/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}compare/").status_code == 200
    assert client.get(f"{base}{first.history_id}/revert/").status_code == 403
    assert client.post(f"{base}{first.history_id}/revert/").status_code == 403
    log = client.get("/admin/history/")
    assert {row["model"] for row in log.context["rows"]} == {
        str(type(obj)._meta.verbose_name).capitalize()
    }
    assert client.post(site.restore_url).status_code == 403
    assert client.get("/admin/history/", {"model": "events.event"}).status_code == 200


# --- Member-only data: a member never reaches another member's -----------------------


def test_profile_shows_each_member_only_their_own_data(site):
    PersonLinkFactory(person=site.member_user.person, url="https://mary.example.org/")
    mine = site.clients["member"].get("/profile/")
    theirs = site.clients["other_member"].get("/profile/")
    assert "Mary" in mine.text
    assert "mary.example.org" in mine.text
    assert "Otto" not in mine.text
    assert "Otto" in theirs.text
    assert "Mary" not in theirs.text
    assert "mary.example.org" not in theirs.text
    assert "A proposed biography (sample)." not in theirs.text


def test_profile_ignores_any_attempt_to_name_another_person(site):
    other = _user_of(site, "other_member").person
    for query in (f"?person={other.pk}", f"?slug={other.slug}", f"?user={other.user_id}"):
        response = site.clients["member"].get(f"/profile/{query}")
        assert "Otto" not in response.text
    site.clients["member"].post(
        "/profile/",
        {"person": other.pk, "user": other.user_id, "bio": "Taken over", "links-TOTAL_FORMS": 0,
         "links-INITIAL_FORMS": 0, "affiliation": "x", "country": "KE",
         "email_visibility": "nobody"},
    )  # fmt: skip
    other.refresh_from_db()
    assert other.bio != "Taken over"
    assert not other.profile_changes.exists()


# --- Permissions finer than the personas: one permission given, the rest refused --------


def _staff_with(*codenames):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="reader", email="reader@example.org", is_staff=True)
    for codename in codenames:
        app_label, code = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=code)
        )
    client = Client()
    client.force_login(user)
    return client


def test_viewing_profile_changes_does_not_allow_deciding_them(site):
    client = _staff_with("members.view_profilechange")
    url = f"/admin/members/profilechange/{site.change.pk}/review/"
    assert client.get(f"/admin/members/profilechange/{site.change.pk}/change/").status_code == 200
    assert client.post(url, {"decision": "approve"}).status_code == 403
    site.change.refresh_from_db()
    assert site.change.status == "pending"


@pytest.mark.parametrize(
    ("permission", "allowed", "refused"),
    [
        ("groups.view_group", "/groups/draft-group/", "/events/draft-event/"),
        ("events.view_event", "/events/draft-event/", "/about/draft-story/"),
        ("jli.view_storypage", "/about/draft-story/", "/publications/draft-paper/"),
        ("publications.view_publication", "/publications/draft-paper/download/",
         "/groups/draft-group/"),
    ],
)  # fmt: skip
def test_draft_preview_needs_the_view_permission_of_its_model(site, permission, allowed, refused):
    client = _staff_with(permission)
    assert client.get(allowed).status_code == 200
    assert client.get(refused).status_code == 404
