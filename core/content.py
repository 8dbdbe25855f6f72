"""Bring records up to a content loader's text without overwriting the secretariat's edits.

`manage.py load_jli` loads the JLI's real content. A site that ran an earlier version keeps
what that version wrote; when the text improves (a paragraph added, a link fixed), a field
is brought up to the new text only if it still holds exactly what a load wrote. The proof
is a fingerprint kept per field (`LoadedValue`); for loads made before fingerprints were
kept, the loader names the fingerprints of the values its earlier versions wrote. A field
the secretariat changed stays as they left it, and the command says so.

Writes happen outside a request, so the history names no user: "the system".
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from core.models import LoadedValue

CHANGE_REASON = "Brought up to the JLI's text by load_jli"


def fingerprint(value) -> str:
    """SHA-256 of a field's value as text (dates in ISO format, None as empty)."""
    if value is None:
        text = ""
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class LoadReport:
    """What one run did: records created, fields updated, fields kept as edited."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def extend(self, other: "LoadReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.kept += other.kept


def _stored(record) -> dict[str, LoadedValue]:
    return {
        value.field: value
        for value in LoadedValue.objects.filter(
            model=record._meta.label_lower, object_id=str(record.pk)
        )
    }


def remember_loaded(record, names) -> None:
    """Keep the fingerprint of each named field as it now stands (just loaded)."""
    for name in names:
        LoadedValue.objects.update_or_create(
            model=record._meta.label_lower,
            object_id=str(record.pk),
            field=name,
            defaults={"fingerprint": fingerprint(getattr(record, name))},
        )


def update_loaded(
    record,
    fields: dict,
    *,
    label: str,
    earlier: dict[str, set[str]] | None = None,
    report: LoadReport,
) -> None:
    """Bring `record`'s `fields` up to the loader's values where they still hold what a
    load wrote; keep (and report) the ones the secretariat changed.

    `earlier` maps a field name to the fingerprints of values that earlier versions of the
    loader wrote, for sites that loaded them before fingerprints were kept. Idempotent: a
    second run finds every field equal to the text and changes nothing.
    """
    earlier = earlier or {}
    stored = _stored(record)
    changed = []
    for name, value in fields.items():
        current = fingerprint(getattr(record, name))
        if current == fingerprint(value):
            continue
        loaded = stored.get(name)
        was_loaded = (
            current == loaded.fingerprint if loaded else current in earlier.get(name, set())
        )
        if was_loaded:
            setattr(record, name, value)
            changed.append(name)
        else:
            report.kept.append(f"{label}: {name} (edited by the secretariat)")
    if changed:
        record.full_clean()
        record._history_user = None
        record._change_reason = CHANGE_REASON
        record.save()
        report.updated += [f"{label}: {name}" for name in changed]
    # Fingerprint what the text wrote, or found already written, so that later runs know it.
    same = [
        name
        for name, value in fields.items()
        if fingerprint(getattr(record, name)) == fingerprint(value)
        and (name not in stored or stored[name].fingerprint != fingerprint(value))
    ]
    remember_loaded(record, same)
