"""Reads every app shares."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import F, Field, Value
from django.db.models.base import ModelState
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from core.prepared import PreparedRelated

# A detail page lists this many related items (a group's publications, a person's
# events, ...), then links to the full list, filtered: the page costs the same whatever
# the number of items.
SHORT_LIST = 10


@dataclass(frozen=True)
class Shortlist:
    """The first items of a list and whether there are more."""

    items: list
    has_more: bool

    def __bool__(self):
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def shortlist(rows, limit=SHORT_LIST):
    """The first `limit` of `rows` (a queryset or a list), reading one more row to tell
    whether there are more: one query for a queryset."""
    rows = list(rows[: limit + 1])
    return Shortlist(items=rows[:limit], has_more=len(rows) > limit)


def attach_rows(records, attr, read, *, key="listed_in"):
    """Give each of `records` its own rows as `attr` (a list, in the rows' order), as
    `prefetch_related(..., to_attr=attr)` would: `read(pks)` returns the rows of all the
    records in one query (not called when there are none), each naming its record's pk
    in its attribute `key`. For rows read by a prepared query (core.prepared)."""
    pks = [record.pk for record in records]
    grouped = {}
    if pks:
        for row in read(pks):
            grouped.setdefault(getattr(row, key), []).append(row)
    for record in records:
        setattr(record, attr, grouped.get(record.pk, []))
    return records


def load_related(instance, name, queryset, *, to_attr=None, values=None):
    """Read `instance.<name>` (a reverse foreign key or many-to-many) by `queryset`,
    filtered to the instance, and keep the rows as `prefetch_related` would: where
    `instance.<name>.all()` reads them without a query, or as a list in `to_attr`.
    One plain query; returns the rows. `queryset` may be a core.prepared.PreparedRelated
    of the same relation, whose SQL is compiled once per process, given `values`.

    For one record's page: `prefetch_related` builds the same rows for a list of records
    (an `IN` query, the link columns, the matching in Python), which for a single record
    costs the ORM about twice as much as this query (issue 13).
    """
    manager = getattr(instance, name)
    if isinstance(queryset, PreparedRelated):
        # The same rows, by SQL compiled once per process (core.prepared).
        rows = queryset.queryset(instance, **(values or {}))
    else:
        # What prefetch_related and the manager do: the queryset, filtered to the instance.
        rows = manager._apply_rel_filters(queryset)
    found = list(rows)
    if to_attr:
        setattr(instance, to_attr, found)
        return found
    rows._result_cache, rows._prefetch_done = found, True
    # A many-to-many manager names its cache; a reverse foreign key's is its relation's.
    cache_name = getattr(manager, "prefetch_cache_name", None)
    if cache_name is None:
        cache_name = manager.field.remote_field.cache_name
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = rows
    return found


def records(rows, columns, model, translated=()):
    """Records of `model` for the rows of a list, from `values_list(*columns)` tuples
    (`translated`: the translated fields among them, read by their columns, one per
    language): what the ORM's `from_db` gives for those fields (their values as loaded),
    without its `__init__` (modeltranslation's wrapper, the init signals, a `setattr`
    per field): half the Python of reading a page of rows. For showing only: nothing
    saves them (their other fields are deferred: reading one would load it, as for
    `only()`)."""
    state, db, new = ModelState, model.objects.db, model.__new__
    default = mt_settings.DEFAULT_LANGUAGE
    own = [(name, build_localized_fieldname(name, default)) for name in translated]
    made = []
    for row in rows:
        record = new(model)
        fields = record.__dict__
        fields.update(zip(columns, row, strict=True))
        # The original column of a translated field holds the default language's text.
        for name, column in own:
            fields[name] = fields[column]
        record._state = state()
        record._state.adding = False
        record._state.db = db
        made.append(record)
    return made


# The name under which union_all marks each row with its part.
PART = "part"


def union_all(parts, *, order_by=()):
    """The rows of several querysets in one query (UNION ALL), for a page that would
    read them by as many (each a compile and a round trip on every cold page: issue 13).

    `parts` maps each part's name to `(queryset, columns)`, `columns` a dict of the
    columns read, the same names in the same order in every part, each a field name, an
    expression or None (NULL). Gives a values() queryset: each row a dict of the
    columns, aliased (`union_rows` names them back), and of the part's name. The parts'
    own orderings are dropped (SQLite allows none in a compound statement): `order_by`
    names the whole query's order, by columns of `columns` (PART keeps each part's rows
    together; "-column" for descending). Translated models' columns are read as named
    (modeltranslation's rewriting off): name the language's columns.
    """
    names = None
    queries = []
    for name, (queryset, columns) in parts.items():
        if names is None:
            names = tuple(columns)
        elif tuple(columns) != names:
            raise ValueError(f"part {name!r} reads {tuple(columns)}, not {names}")
        if hasattr(queryset, "rewrite"):  # a modeltranslation queryset
            queryset = queryset.rewrite(False)
        selected = {_alias(PART): Value(name)}
        for column, source in columns.items():
            if source is None:
                source = Value(None, output_field=Field())  # untyped: no conversion
            elif isinstance(source, str):
                source = F(source)
            selected[_alias(column)] = source
        queries.append(queryset.order_by().values(**selected))
    first, *others = queries
    return first.union(*others, all=True).order_by(*(_ordering(column) for column in order_by))


def _ordering(column):
    if column.startswith("-"):
        return "-" + _alias(column[1:])
    return _alias(column)


def _alias(column):
    # Not a field's name: values() refuses an expression named as a field of the model.
    return f"union_{column}"


_ALIASED = len(_alias(""))


def plain_records(rows, names):
    """Plain records (SimpleNamespace) of `values_list()` rows, their columns named
    `names` in order: for lines that only show them, without a model instance each
    (`records` gives model instances, for rows read as the model's)."""
    return [SimpleNamespace(**dict(zip(names, row, strict=True))) for row in rows]


def union_rows(rows):
    """{part's name: [its rows]} of union_all's rows, in their order, each row a plain
    record (SimpleNamespace) of its columns under their own names."""
    parted = {}
    for row in rows:
        record = SimpleNamespace(**{key[_ALIASED:]: value for key, value in row.items()})
        parted.setdefault(getattr(record, PART), []).append(record)
    return parted
