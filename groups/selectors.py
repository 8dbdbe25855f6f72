"""Reads of people and groups for the public pages: each owns its query plan."""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from core import sections
from core.cache import cached_value
from core.lookups import Ids
from core.prepared import Prepared
from core.prepared_pages import PreparedPages
from core.roles import may_preview
from core.search import keyword_filter
from core.selectors import records
from groups.models import (
    Group,
    GroupKind,
    Membership,
    Person,
    PersonLink,
    Role,
    SecretariatBase,
    role_order,
)

_HOME_GROUPS = Prepared(
    lambda at: Group.objects.published(at=at).filter(kind=GroupKind.WORKING_GROUP)
)


def home_groups(at=None):
    """The published working groups, in the secretariat's order (one query, compiled
    once per process and language: core.prepared)."""
    return _HOME_GROUPS.rows(at=at or timezone.now())


GROUP_CARD_FIELDS = (
    "kind", "slug", "name", "name_en", "name_fr", "theme", "theme_en", "theme_fr",
)  # fmt: skip
# The groups index: what a card shows (groups/templatetags/group_tags.group_cards), in
# the menus' order, compiled once per process and language (core.prepared).
_GROUPS_BY_KIND = Prepared(
    lambda at: Group.objects.published(at=at).by_kind_order().only(*GROUP_CARD_FIELDS)
)


def groups_by_kind(at=None):
    """Published groups, grouped by kind: a list of (kind label, [groups]) (one query)."""
    sections = {}
    for group in _GROUPS_BY_KIND.rows(at=at or timezone.now()):
        sections.setdefault(group.get_kind_display(), []).append(group)
    return list(sections.items())


# A group page lists this many members (and former members), then links to the
# directory filtered by the group: the page costs the same whatever the group's size.
GROUP_PAGE_MEMBERS = 48


class PersonLine:
    """What a group page's people line shows of a person (group_tags.role_list), as
    plain values: a model instance per row cost more than the rest of the line."""

    def __init__(self, slug, honorific, given_name, family_name, affiliation, country):
        self.slug, self.honorific = slug, honorific
        self.given_name, self.family_name = given_name, family_name
        self.affiliation, self.country = affiliation, country

    full_name = Person.full_name
    display_name = Person.display_name
    get_absolute_url = Person.get_absolute_url


class RoleLine:
    """One role of a group's page (group_tags.role_list): the role, its period, the
    person (a PersonLine), the secretariat base as the page names it ("institution,
    city", or None) and, for the capped lists, `total` (see group_detail)."""

    def __init__(self, role, start_date, end_date, person, base, total=None):
        self.role, self.start_date, self.end_date = role, start_date, end_date
        self.person, self.base, self.total = person, base, total

    get_role_display = Membership.get_role_display


# What a people line shows (groups/templatetags/group_tags.py): not the profiles'
# long texts. The base's id says whether there is one.
ROLE_LINE_FIELDS = (
    "role", "start_date", "end_date",
    "person__slug", "person__honorific", "person__given_name", "person__family_name",
    "person__affiliation", "person__country", "base", "base__institution", "base__city",
)  # fmt: skip


def _base_name(institution, city):
    """SecretariatBase.__str__ of a base's values, in the page's language."""
    return gettext("%(institution)s, %(city)s") % {"institution": institution, "city": city}


def _role_lines(rows):
    """RoleLines of rows of ROLE_LINE_FIELDS (and `total`, when counted)."""
    lines = []
    for row in rows:
        role, start, end = row[:3]
        base, institution, city = row[9:12]
        if base is not None:
            base = _base_name(institution, city)
        lines.append(RoleLine(role, start, end, PersonLine(*row[3:9]), base, *row[12:]))
    return lines


def group_detail(*, slug, preview=False, on=None):
    """A group and its public roles, in three bounded parts, read by two queries (the
    group, then its roles):

    - `leaders`: the co-chairs, coordinators, writers, staff and advisers, in full (a group
      has a handful);
    - `members`: the first GROUP_PAGE_MEMBERS plain members, alphabetically;
    - `former`: the first GROUP_PAGE_MEMBERS roles that ended earlier, most recent first.

    Who is "current" is judged on the day the group's work ended when it has ended
    (`concluded_on`): a concluded initiative's co-chairs are its co-chairs "during the
    initiative", and "former" only marks people who left before its work ended. The group's
    end is its `active_until`, or, when it has none and none of its roles is open, the
    last day any role ended (both read with the group itself: no extra query).

    Each role is a RoleLine (plain values: what the page shows). `members` and `former`
    are lists whose items carry `total` (how many rows the whole part has, counted in
    the same query), for the page's "and N more" link.
    Staff may preview an unpublished group (`preview=True`). Each query is compiled once
    per process (core.prepared); the roles' rows are kept with the list counts
    (`_roles_rows`).
    """
    today = on or datetime.date.today()  # noqa: DTZ011 (a calendar date, not an instant)
    group = _GROUP.get_or_404(slug=slug, at=timezone.now(), preview=preview)
    group.concluded_on = concluded_on(group, today)
    parts = {LEADERS: [], MEMBERS: [], FORMER: []}
    for row in _roles_rows(group.pk, group.concluded_on or today):
        # The role line's fields, its part's total (leaders: none), its part, its rank.
        parts[row[-2]].append(row[:-2] if row[-2] != LEADERS else row[:-3])
    leaders, members, former = (_role_lines(parts[part]) for part in (LEADERS, MEMBERS, FORMER))
    return group, {"leaders": leaders, "members": members, "former": former}


# The queries of a group's page, compiled once per process and language
# (core.prepared): only the slug, the group's id, the time and the day change.
_GROUP = Prepared(
    lambda slug, at, preview: (
        (Group.objects.all() if preview else Group.objects.published(at=at))
        .annotate(
            # Each read by one probe of the roles' (group, end_date) index, whatever the
            # group's size (an aggregate of its roles read every one).
            roles_last_end=Subquery(
                Membership.objects.filter(group=OuterRef("pk"), end_date__isnull=False)
                .order_by("-end_date")
                .values("end_date")[:1]
            ),
            roles_open=Exists(
                Membership.objects.filter(group=OuterRef("pk"), end_date__isnull=True)
            ),
        )
        .filter(slug=slug)
    )
)

# The parts of a group's page's roles (group_detail), in the order the page shows them.
LEADERS, MEMBERS, FORMER = 0, 1, 2


def _part(roles, part, order, limit=None):
    """One part of the group's roles (`roles`, a queryset) as ROLE_LINE_FIELDS rows,
    then how many rows the part has in all (0 when not counted), the part and each
    row's rank in `order`; only the first `limit` when given."""
    total = Value(0) if limit is None else Window(Count("pk"))
    roles = roles.order_by().annotate(
        total=total, part=Value(part), rank=Window(RowNumber(), order_by=order)
    )
    if limit is not None:
        roles = roles.filter(rank__lte=limit)
    return roles.values_list(*ROLE_LINE_FIELDS, "total", "part", "rank")


def _roles_of_group(group, reference):
    """The three parts of group_detail, one UNION ALL in the page's order."""
    roles = Membership.objects.filter(group=group, person__is_public=True)
    current = roles.current(reference)
    return (
        _part(current.exclude(role=Role.MEMBER), LEADERS, _LEADER_ORDER)
        .union(
            _part(current.filter(role=Role.MEMBER), MEMBERS, _MEMBER_ORDER, GROUP_PAGE_MEMBERS),
            _part(roles.past(reference), FORMER, _FORMER_ORDER, GROUP_PAGE_MEMBERS),
            all=True,
        )
        .order_by("part", "rank")
    )


def _roles_rows(group, reference):
    """The rows of `_ROLES_OF_GROUP` for the group's id and the day roles are judged
    on, kept with the list counts (core.cache.cached_value: until any content changes,
    keyed by the day). Sorting a large group's members by name is most of its page's
    cost: 21 of 25 ms in PostgreSQL for the benchmark's 3,000 sample members. Kept, only
    the first view after a change pays it, whatever the group's size."""
    return cached_value(
        f"groups:roles:{group}:{reference.isoformat()}",
        lambda: list(_ROLES_OF_GROUP.rows(group=group, reference=reference)),
    )


# Each part's order (the leaders': role_order), the id last to break ties.
_BY_NAME = ("person__family_name", "person__given_name", "pk")
_LEADER_ORDER = [*role_order(), F("pk").asc()]
_MEMBER_ORDER = [F(name).asc() for name in ("display_order", *_BY_NAME)]
_FORMER_ORDER = [F("end_date").desc(), *(F(name).asc() for name in _BY_NAME)]
_ROLES_OF_GROUP = Prepared(_roles_of_group)


def concluded_on(group, today):
    """The day a group's work ended, if it has ended by `today`; else None.

    `group` carries `roles_last_end` and `roles_open` (annotations of `group_detail`).
    """
    end = group.active_until
    if end is None and not group.roles_open:
        end = group.roles_last_end
    return end if end is not None and end < today else None


def secretariat_bases(group):
    """The secretariat's bases (one query), on the secretariat's own page only."""
    if group.kind != GroupKind.SECRETARIAT:
        return []
    return list(SecretariatBase.objects.all())


def total_of(roles):
    """How many rows the window-counted list `roles` was cut from (0 when empty)."""
    return roles[0].total if roles else 0


def published_memberships(at=None):
    """Roles in published groups, with their group and base, for a person's pages."""
    return (
        Membership.objects.filter(group__in=Group.objects.published(at=at))
        .select_related("group", "base")
        .order_by("-end_date", "group__display_order", "group__name")
    )


def people_matching(people, q):
    """`people` narrowed to the keywords `q`: a part of a name, as the directory always
    matched; or any word of the profile, through site search. (The open-data API's
    people list uses it too, so both find the same people.)"""
    names = Q()
    for word in q.split():
        names &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return keyword_filter(people, q, also=names)


def person_directory(*, name="", group=None, role="", country=""):
    """Public people matching the directory's filters (their roles: load_public_roles)."""
    people = people_matching(Person.objects.public(), name)
    if group is not None or role:
        # One membership must match both filters; a subquery keeps rows distinct.
        people = people.filter(
            pk__in=Membership.objects.filter(
                **({"group": group} if group is not None else {}),
                **({"role": role} if role else {}),
            ).values("person_id")
        )
    if country:
        people = people.filter(country=country)
    # What a directory row shows (group_tags.directory_item): not the profiles' texts.
    return people.only("slug", "honorific", "given_name", "family_name", "affiliation", "country")


# What a directory row shows of a person (group_tags.directory_item).
DIRECTORY_FIELDS = (
    "pk", "slug", "honorific", "given_name", "family_name", "affiliation", "country",
)  # fmt: skip


class DirectoryPerson(PersonLine):
    """A directory row's person, as plain values (a Person instance per row cost more
    than writing the row): its `pk`, and after load_public_roles its `directory_roles`."""

    def __init__(self, pk, *values):
        super().__init__(*values)
        self.pk = pk


def directory_people(rows):
    """DirectoryPersons of rows of DIRECTORY_FIELDS, with their roles (one query)."""
    return load_public_roles([DirectoryPerson(*row) for row in rows])


class _Loaded:
    """A queryset's rows for a Paginator, each slice read (one query) then completed by
    `loaded(rows)`, as PreparedPages' pages are."""

    def __init__(self, queryset, loaded):
        self.queryset, self.loaded = queryset, loaded

    def count(self):
        return self.queryset.count()

    def __getitem__(self, index):
        return self.loaded(list(self.queryset[index]))


def _directory(group, role, country):
    """The directory's rows without keywords (DIRECTORY_FIELDS): whom person_directory
    reads."""
    people = Person.objects.public()
    if group is not None or role is not None:
        people = people.filter(
            pk__in=Membership.objects.filter(
                **({"group": group} if group is not None else {}),
                **({"role": role} if role is not None else {}),
            ).values("person_id")
        )
    if country is not None:
        people = people.filter(country=country)
    return people.values_list(*DIRECTORY_FIELDS)


# The directory's pages: one plan per combination of filters present
# (core.prepared_pages).
_DIRECTORY = PreparedPages(_directory)
# What a directory line shows of a person's roles in published groups (in
# published_memberships' order): the role and the group's name, in each language
# (group_tags.directory_item), as plain rows rather than model instances.
GROUP_NAME_COLUMNS = tuple(
    build_localized_fieldname("name", code) for code in settings.MODELTRANSLATION_LANGUAGES
)
_PUBLIC_ROLES = Prepared(
    lambda pks, at: (
        published_memberships(at)
        .filter(person__among=pks)
        .values_list("person_id", "role", *(f"group__{column}" for column in GROUP_NAME_COLUMNS))
    )
)


def load_public_roles(people, at=None):
    """Give each person their roles in published groups as `directory_roles`: a list of
    (role, group's name in each language of GROUP_NAME_COLUMNS), in published_memberships'
    order, from one query compiled once per process (core.prepared; the people's ids
    are one parameter). Returns `people`."""
    at = at or timezone.now()
    grouped = {}
    pks = [person.pk for person in people]
    if pks:
        for person_id, *role in _PUBLIC_ROLES.rows(pks=Ids(pks), at=at):
            grouped.setdefault(person_id, []).append(tuple(role))
    for person in people:
        person.directory_roles = grouped.get(person.pk, [])
    return people


def directory(*, name="", group=None, role="", country=""):
    """The directory's people for a Paginator (see person_directory), as DirectoryPersons:
    each page one query (compiled once per process and combination of filters:
    core.prepared_pages), then one for their roles (load_public_roles). With keywords,
    person_directory's queryset (the matches' ids are written into its SQL), its roles
    read the same way."""
    if name:
        return _Loaded(
            person_directory(name=name, group=group, role=role, country=country).values_list(
                *DIRECTORY_FIELDS
            ),
            directory_people,
        )
    return _DIRECTORY.pages(
        loaded=directory_people,
        group=None if group is None else group.pk,
        role=role or None,
        country=country or None,
    )


def directory_countries():
    """Countries of public people, for the directory's country filter.

    It reads every public person: cached until content changes (core.cache.cached_value).
    """

    def compute():
        codes = (
            Person.objects.public()
            .exclude(country="")
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        return set(codes)

    return cached_value("people:countries", compute)


class PersonRole:
    """One role on a person's page (group_tags.person_roles), as plain values: the role,
    its period, the group (a Group record of its slug and names: core.selectors.records)
    and the base as the page names it ("institution, city", or None)."""

    def __init__(self, role, start_date, end_date, group, base):
        self.role, self.start_date, self.end_date = role, start_date, end_date
        self.group, self.base = group, base

    get_role_display = Membership.get_role_display


# What a person's page shows of a role (PersonRole), in published_memberships' order.
_GROUP_COLUMNS = ("slug", *GROUP_NAME_COLUMNS)
_PERSON_ROLE_FIELDS = (
    "role", "start_date", "end_date", *(f"group__{column}" for column in _GROUP_COLUMNS),
    "base__institution", "base__city",
)  # fmt: skip


def _person_roles(rows):
    """PersonRoles of rows of _PERSON_ROLE_FIELDS."""
    width = len(_GROUP_COLUMNS)
    groups = records([row[3 : 3 + width] for row in rows], _GROUP_COLUMNS, Group, ("name",))
    roles = []
    for row, group in zip(rows, groups, strict=True):
        institution, city = row[3 + width :]
        base = None if institution is None else _base_name(institution, city)
        roles.append(PersonRole(*row[:3], group, base))
    return roles


# The queries of a person's page, compiled once per process and language
# (core.prepared): only the slug, the person's id and the time change between pages.
# Whether they have links is read with them: most have none, and skip that query.
_PERSON = Prepared(
    lambda slug, at: (
        Person.objects.public()
        .filter(slug=slug)
        .annotate(
            has_links=Exists(PersonLink.objects.filter(person=OuterRef("pk"))),
            # Whether their publications and events sections have something to show
            # (registered by those apps): a section with nothing skips its queries.
            **sections.annotations(Person, at),
        )
    ),
    keep_plan=True,
)
_ROLES = Prepared(
    lambda person, at: (
        published_memberships(at).filter(person=person).values_list(*_PERSON_ROLE_FIELDS)
    ),
    keep_plan=True,
)
# One person's links in their order (the model's ordering starts with the person,
# which would join their table for nothing), as {label, url}.
_LINKS = Prepared(
    lambda person: (
        PersonLink.objects.filter(person=person)
        .order_by("display_order", "pk")
        .values("label", "url")
    ),
    keep_plan=True,
)


def person_detail(*, slug, at=None):
    """A public person with every role they hold in a published group (`public_roles`:
    PersonRoles) and their links (`shown_links`: {label, url}).

    Two or three queries, each compiled once per process (core.prepared): the person
    (and whether they have links), their roles, and their links when they have some;
    plain values rather than model instances: the page only shows them.
    """
    at = at or timezone.now()
    person = _PERSON.get_or_404(slug=slug, at=at)
    person.public_roles = _person_roles(_ROLES.rows(person=person.pk, at=at))
    person.shown_links = _LINKS.rows(person=person.pk) if person.has_links else []
    return person


def person_photo(*, slug, user):
    """A person with a photo, for the photo itself: visible with a public profile, to the
    member whose profile it is, and to staff who may view people (404 otherwise)."""
    people = Person.objects.exclude(photo="")
    if not may_preview(user, Person):
        visible = Q(is_public=True)
        if user.is_authenticated:
            visible |= Q(user=user)
        people = people.filter(visible)
    return get_object_or_404(people, slug=slug)
