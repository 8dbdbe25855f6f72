"""The history of every content record: which models keep one, comparing two versions,
reverting to a version and restoring a deleted record.

django-simple-history keeps the versions: each content model declares
`history = HistoricalRecords(...)` and gets a real table beside its own (migrated with
it, on SQLite and PostgreSQL alike) holding one row per save or delete, with the user
who made it (`HistoryRequestMiddleware` during a request; `_history_user` for writes
outside one). This module reads those tables generically: the ground names no app, it
finds the models that keep a history (`tracked_models`).
"""

import datetime
import difflib
import html
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Cast
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalChanges, HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name

# What each kind of history row says happened (simple-history's `history_type`).
CHANGE_KINDS = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}

# Bookkeeping the comparison leaves out: every save moves it.
UNCOMPARED_FIELDS = {"created_at", "updated_at"}

# A cascade deletes a record's children just before the record itself, in one
# transaction: the children deleted by the same user within this time before the
# record are the ones that come back with it.
CASCADE_WINDOW = datetime.timedelta(seconds=10)


# --- Which models keep a history --------------------------------------------------------


def is_history_model(model) -> bool:
    """Whether `model` is one of simple-history's tables (of a record or of its links)."""
    return issubclass(model, HistoricalChanges)


def tracked_models() -> list:
    """Every model that keeps a history, in the apps' order."""
    return [
        model
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def history_model_of(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


def versions_of(model):
    """Every version of every record of `model` (a queryset of simple-history's, with
    `latest_of_each()`)."""
    return getattr(model, model._meta.simple_history_manager_attribute).all()


def tracked_model(app_label: str, model_name: str):
    """The tracked model called so, or None (the name came from a URL)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return model if model in tracked_models() else None


def may(user, model, action: str) -> bool:
    """Whether `user` holds the `action` (view, change, add) permission on `model`."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def _mirrored(model) -> set:
    """Columns that only mirror their English version: with French versions
    (modeltranslation) `title` is written from `title_en` on save, and the versions'
    `title_en` and `title_fr` are what an editor compares and reverts."""
    return {
        field.translated_field.name
        for field in model._meta.concrete_fields
        if hasattr(field, "translated_field")
    }


def compared_fields(model):
    """The model's fields a version holds, in form order, without bookkeeping."""
    tracked = {field.name for field in history_model_of(model).tracked_fields}
    skipped = UNCOMPARED_FIELDS | _mirrored(model)
    return [
        field
        for field in model._meta.concrete_fields
        if field.name in tracked and not field.primary_key and field.name not in skipped
    ]


def _m2m_fields(model):
    return list(history_model_of(model)._history_m2m_fields)


# --- Reading versions -------------------------------------------------------------------


def m2m_ids(records, field) -> dict:
    """{history_id: set of target ids} of `field`'s links in each version (one query)."""
    m2m_model = HistoricalRecords.m2m_models[field]
    target = m2m_model._meta.get_field(get_m2m_reverse_field_name(field)).attname
    found = {record.history_id: set() for record in records}
    rows = m2m_model.objects.filter(history__in=list(found)).values_list("history_id", target)
    for history_id, target_id in rows:
        found[history_id].add(target_id)
    return found


@dataclass
class Difference:
    """One field of a comparison: its label and both values, readable."""

    label: str
    before: str
    after: str
    # A word-level comparison of long texts (escaped HTML with <del> and <ins>), or "".
    words: str = ""


def _plain(value) -> str:
    """Rich text as the words a reader sees: tags dropped, entities decoded."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def _word_diff(before: str, after: str) -> str:
    """The words removed and added, escaped, marked with <del> and <ins>."""
    old, new = re.findall(r"\S+", before), re.findall(r"\S+", after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new[j1:j2])))
    # Each part is already escaped (format_html): joined as they are.
    return format_html_join(" ", "{}", ((part,) for part in parts))


def _names(model, ids) -> dict:
    """{id: name} of related records that still exist (one query)."""
    return {pk: record_name(obj) for pk, obj in model._base_manager.in_bulk(list(ids)).items()}


def record_name(obj) -> str:
    """What a record (or a version's copy of it) is called, even when its name reads a
    related record deleted since (a role names its person)."""
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return _("%(kind)s #%(id)s") % {"kind": capfirst(obj._meta.verbose_name), "id": obj.pk}


def _raw(record, field):
    value = getattr(record, field.attname)
    return getattr(value, "code", value)  # a country compares by its code


def _shown(field, value, names) -> str:
    """One value as the admin shows it: choice labels, related records by name."""
    if value in (None, ""):
        return "—"
    if field.is_relation:
        return names.get(value) or _("deleted record #%(id)s") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date | datetime.time):
        return formats.localize(value)
    if isinstance(field, models.TextField):
        return _plain(str(value))
    return str(value)


def compare(model, before, after) -> list[Difference]:
    """The fields that differ between two versions of one record, readable.

    `before` may be None (the record's first version): every filled field then
    shows as added. Related records are named as they are called now.
    """
    records = [record for record in (before, after) if record is not None]
    fields = compared_fields(model)
    related = {}
    for field in fields:
        if field.is_relation:
            ids = {getattr(record, field.attname) for record in records} - {None}
            related[field.name] = _names(field.related_model, ids) if ids else {}
    differences = []
    for field in fields:
        old = _raw(before, field) if before is not None else None
        new = _raw(after, field)
        if old == new or (before is None and new in (None, "", False)):
            continue
        names = related.get(field.name, {})
        shown_old, shown_new = _shown(field, old, names), _shown(field, new, names)
        words = ""
        if isinstance(field, models.TextField) and before is not None:
            words = _word_diff(_plain(str(old or "")), _plain(str(new or "")))
        differences.append(Difference(capfirst(field.verbose_name), shown_old, shown_new, words))
    for field in _m2m_fields(model):
        links = m2m_ids(records, field)
        old = links[before.history_id] if before is not None else set()
        new = links[after.history_id]
        if old == new:
            continue
        names = _names(field.related_model, old | new)

        def listed(ids, names=names):
            shown = sorted(names.get(pk) or _("deleted record #%(id)s") % {"id": pk} for pk in ids)
            return ", ".join(shown) or "—"

        differences.append(Difference(capfirst(field.verbose_name), listed(old), listed(new)))
    return differences


def previous_version(record):
    """The version just before `record` (None for the first)."""
    return (
        type(record)
        ._default_manager.filter(
            **{_pk_name(record): getattr(record, _pk_name(record))},
            history_date__lt=record.history_date,
        )
        .order_by("-history_date", "-history_id")
        .first()
    )


def _pk_name(record):
    return record.instance_type._meta.pk.attname


# --- Revert and restore -----------------------------------------------------------------


def _values(record, model):
    return {field.attname: getattr(record, field.attname) for field in compared_fields(model)}


def _set_links(obj, record, model):
    """Give `obj` the links (many-to-many) `record` had, to records that still exist."""
    for field in _m2m_fields(model):
        ids = m2m_ids([record], field)[record.history_id]
        existing = field.related_model._base_manager.filter(pk__in=ids)
        getattr(obj, field.name).set(existing)


def _children(model):
    """(history model, foreign key) of each tracked model whose rows belong to `model`
    (deleted with it): an event's participations, a publication's authors, ..."""
    found = []
    # A relation's through rows that the record's versions hold as its links (a
    # publication's funders, in their funder's order) come back with the links.
    links = {field.remote_field.through for field in _m2m_fields(model)}
    for child in tracked_models():
        if child in links:
            continue
        for field in child._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is model
                and field.remote_field.on_delete is models.CASCADE
            ):
                found.append((history_model_of(child), field))
    return found


def parent_link(model):
    """The foreign key of a row without an admin page of its own (an author, a
    participant, a funder's supported publication) to the record whose page edits it:
    the model's `history_parent` if it names one, else its first foreign key to a record
    deleted with it. None for a model with no such key."""
    named = getattr(model, "history_parent", None)
    if named:
        return model._meta.get_field(named)
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.remote_field.on_delete is models.CASCADE:
            return field
    return None


def _save_as(record, *, user, reason, existing=None):
    """Save the record's values onto the live row (or a new one with the same id)."""
    model = record.instance_type
    obj = existing if existing is not None else model(pk=getattr(record, _pk_name(record)))
    for name, value in _values(record, model).items():
        setattr(obj, name, value)
    obj._history_user = user
    obj._change_reason = reason
    obj.full_clean(exclude=_file_fields(model))
    # Saved in the site's language, so a mirrored column takes the English version.
    with translation.override(settings.LANGUAGE_CODE):
        obj.save()
    return obj


def _same(obj, record):
    return all(getattr(obj, name) == value for name, value in _values(record, type(obj)).items())


def _file_fields(model):
    """Files were checked when uploaded; checking again would read them from storage."""
    return [field.name for field in model._meta.fields if isinstance(field, models.FileField)]


def _restore_children(parent_model, pk, when, *, user, reason, since=None):
    """Put the parent's children back as they were at `when`: children added since are
    deleted, children deleted since are made again (when what they name still exists).

    `since` (a restore): only children deleted from that moment on come back.
    """
    skipped = 0
    for history_model, fk in _children(parent_model):
        child_model = history_model.instance_type
        versions = versions_of(child_model).filter(**{fk.attname: pk, "history_date__lte": when})
        if since is not None:
            versions = versions.filter(history_date__gte=since)
        # A revert wants the children alive at `when`; a restore those deleted with it.
        deleted = since is not None
        wanted = [
            version
            for version in versions.latest_of_each()
            if (version.history_type == "-") == deleted
        ]
        if since is None:
            keep = {getattr(version, _pk_name(version)) for version in wanted}
            for child in child_model._base_manager.filter(**{fk.attname: pk}).exclude(pk__in=keep):
                child._history_user = user
                child._change_reason = reason
                child.delete()
        live = child_model._base_manager.in_bulk(
            [getattr(version, _pk_name(version)) for version in wanted]
        )
        for version in wanted:
            existing = live.get(getattr(version, _pk_name(version)))
            if existing is not None and _same(existing, version):
                continue  # unchanged: no new version
            try:
                with transaction.atomic():
                    _save_as(version, user=user, reason=reason, existing=existing)
            except (ValidationError, IntegrityError):
                # It names a record deleted since (a person, say): left out.
                skipped += 1
    return skipped


def _moment_after(record):
    """Just before the record's next version (or now): an admin save writes the record,
    then its links and inline rows, so its children's state is read up to there."""
    following = (
        type(record)
        ._default_manager.filter(
            **{_pk_name(record): getattr(record, _pk_name(record))},
            history_date__gt=record.history_date,
        )
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    if following is None:
        return record.history_date + CASCADE_WINDOW
    return following - datetime.timedelta(microseconds=1)


def version_revert(*, record, user) -> int:
    """Make a live record as it was in `record`: its fields, its links and its rows
    (authors, participants, roles); the revert is itself a new version, by `user`.

    Returns how many child rows could not come back. Raises ValidationError when the
    old values no longer fit (a slug taken since, say): nothing is changed then.
    """
    model = record.instance_type
    reason = _("Reverted to the version of %(date)s") % {
        "date": formats.localize(record.history_date)
    }
    with transaction.atomic():
        obj = model._base_manager.select_for_update().get(pk=getattr(record, _pk_name(record)))
        # The links first and without a version of their own: the record's one new
        # version (saved next) then holds them.
        obj.skip_history_when_saving = True
        _set_links(obj, record, model)
        del obj.skip_history_when_saving
        _save_as(record, user=user, reason=reason, existing=obj)
        return _restore_children(model, obj.pk, _moment_after(record), user=user, reason=reason)


def record_restore(*, record, user):
    """Bring a deleted record back from its deletion `record`, with its links and the
    rows deleted with it (an event's participants, a publication's authors).

    Returns (the record, how many rows could not come back).
    """
    model = record.instance_type
    pk = getattr(record, _pk_name(record))
    if record.history_type != "-" or model._base_manager.filter(pk=pk).exists():
        raise ValidationError(_("This record is not deleted."))
    reason = _("Restored after its deletion of %(date)s") % {
        "date": formats.localize(record.history_date)
    }
    before = previous_version(record)
    with transaction.atomic():
        obj = model(pk=pk)
        obj.skip_history_when_saving = True
        for name, value in _values(record, model).items():
            setattr(obj, name, value)
        obj.full_clean(exclude=_file_fields(model))
        with translation.override(settings.LANGUAGE_CODE):
            obj.save(force_insert=True)
        if before is not None:
            # Links go with the record before the deletion (the deletion's own version
            # is written once they are gone).
            _set_links(obj, before, model)
        del obj.skip_history_when_saving
        obj._history_user = user
        obj._change_reason = reason
        obj.save()
        skipped = _restore_children(
            model,
            pk,
            record.history_date,
            user=user,
            reason=reason,
            since=record.history_date - CASCADE_WINDOW,
        )
    return obj, skipped


# --- The audit log ----------------------------------------------------------------------


# The columns of the audit log's rows, the same for every model (one UNION).
CHANGE_COLUMNS = (
    "history_model_label",
    "history_id",
    "history_date",
    "history_type",
    "history_user_id",
    "history_object_id",
)


def changes(models_shown, *, user_id=None, since=None, until=None):
    """Every version of the given models, newest first, as rows of one query (a UNION):
    (model label, history id, date, kind, user id, object id)."""
    queries = []
    for model in models_shown:
        query = versions_of(model)
        if user_id:
            query = query.filter(history_user_id=user_id)
        if since:
            query = query.filter(history_date__date__gte=since)
        if until:
            query = query.filter(history_date__date__lte=until)
        queries.append(
            query.annotate(
                history_model_label=Value(model._meta.label_lower, output_field=models.CharField()),
                history_object_id=Cast(F(model._meta.pk.attname), models.CharField()),
            )
            # The UNION is ordered as a whole; its parts may not be.
            .order_by()
            .values_list(*CHANGE_COLUMNS)
        )
    if not queries:
        return None
    first, *rest = queries
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")
