"""Member accounts moved from `groups` to `members` without losing a row.

The database is taken back to the schema before the move (groups 0004, no members app),
filled the way the old code filled it (an invitation, a pending profile change, the
Secretariat editors' right to review it), then migrated forward: everything is found
through the new app, in its renamed tables, with the permission still given.
"""

import datetime

import pytest
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.roles import EDITORS_GROUP
from members.models import Invitation, ProfileChange, ReviewStatus

LAST_BEFORE_THE_MOVE = ("groups", "0004_membership_role_index")
BEFORE = [LAST_BEFORE_THE_MOVE, ("members", None)]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_schema():
    executor = _migrate(BEFORE)
    # Every other app as it is now, `groups` as it was, no `members` (nor `imports`, whose
    # records link to groups' later schema).
    nodes = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in {"groups", "members", "imports"}
    ]
    yield executor.loader.project_state([*nodes, LAST_BEFORE_THE_MOVE]).apps
    _migrate(_latest())


def test_invitations_and_pending_changes_survive_the_move_to_members(old_schema):
    old = old_schema
    person = old.get_model("groups", "Person").objects.create(
        given_name="Ana", family_name="Sample", slug="ana-sample", email="ana@example.org"
    )
    user = old.get_model("auth", "User").objects.create(username="reviewer")
    expires = timezone.now() + datetime.timedelta(days=5)
    old.get_model("groups", "Invitation").objects.create(
        person=person, email="ana@example.org", token_hash="a" * 64, expires_at=expires
    )
    old.get_model("groups", "ProfileChange").objects.create(
        person=person, submitted_by=user, bio="Sample biography", links=[{"label": "x"}]
    )
    # The old app's content type and the permission the editors hold on it.
    old_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="groups", model="profilechange"
    )[0]
    permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=old_type,
        codename="review_profilechange",
        defaults={"name": "Can approve or decline profile changes"},
    )[0]
    editors = old.get_model("auth", "Group").objects.get_or_create(name=EDITORS_GROUP)[0]
    editors.permissions.add(permission)

    _migrate(_latest())
    ContentType.objects.clear_cache()

    invitation = Invitation.objects.get()
    assert (invitation.person.slug, invitation.email, invitation.token_hash) == (
        "ana-sample",
        "ana@example.org",
        "a" * 64,
    )
    assert invitation.expires_at == expires
    change = ProfileChange.objects.get()
    assert (change.person.slug, change.submitted_by.username, change.status) == (
        "ana-sample",
        "reviewer",
        ReviewStatus.PENDING,
    )
    assert (change.bio, change.links) == ("Sample biography", [{"label": "x"}])
    assert Invitation._meta.db_table == "members_invitation"
    tables = connection.introspection.table_names()
    assert "members_profilechange" in tables
    assert "groups_profilechange" not in tables
    # The same permission row, now on the members app's content type, still given.
    assert ContentType.objects.get_for_id(old_type.pk).app_label == "members"
    editors = PermissionGroup.objects.get(name=EDITORS_GROUP)
    assert editors.permissions.filter(pk=permission.pk, content_type__app_label="members").exists()
