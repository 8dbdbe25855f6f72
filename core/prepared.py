"""Querysets compiled once per process, run with each request's values (issue 13).

A detail page's queries have a fixed shape: only their values change from one request to
the next (a slug, an id, the `now` of `published()`). Yet the ORM builds and compiles
each one anew on every request (`filter()` → `add_q` → `build_filter`, then the
compiler's `as_sql`), which costs about as much Python as everything else on the page.

`Prepared(build)` builds the queryset once per process and per *shape* with stand-in
values ("sentinels"), compiles it, records where the sentinels' values sit among the
SQL's parameters, and on each call runs that same SQL with the call's values put in
their places. The rows are made into model instances by the ORM's own machinery (the
queryset's iterable class on a compiler of the template query), so what a caller gets
is what the plain queryset gives: instances with the same deferred fields, annotations
and `select_related` objects, made by the queryset's own iterable class.

    _detail = Prepared(
        lambda slug, at: Publication.objects.published(at=at).filter(slug=slug)
    )
    publication = _detail.get_or_404(slug=slug, at=timezone.now())

Rules, each checked or enforced:

- Every value that changes between calls is an argument of `build`: a `str`, `int`,
  `date`, `datetime` (or a list or tuple of them, whose *length* is part of the shape)
  becomes a parameter of the SQL; so does an `Ids` (core.lookups, for `__among`),
  whatever its length: one parameter; a `bool` or `None` is part of the shape (the
  queryset is built with it). Any other type is refused (TypeError).
- `build` must be a pure function of its arguments. The first call for a shape builds
  and compiles the queryset twice, with two different sets of sentinels, and checks
  that the SQL text is the same and that the parameters differ exactly where the
  sentinels are: a value baked in (e.g. `published()` without `at=`, which reads the
  clock) or transformed on its way into the SQL (e.g. `__contains`' `%...%`, `__year`'s
  range, a slice bound) fails loudly there (ValueError), instead of giving wrong rows.
  The check cannot see a value that changes slowly: `date.today()`, a setting or a
  database read inside `build` would be the same in both compiles and then kept. Pass
  such values as arguments.
- Only the SQL text and the positions of the values are cached, never rows: nothing
  needs invalidating. The cache is keyed by the active language (modeltranslation
  rewrites `title` into `title_en` or `title_fr` as the queryset is built), the current
  time zone and the shape of the values (the database alias is the template's, checked
  per call). At most `max_plans` shapes are kept (lists of many lengths, languages):
  past that, a new shape runs the plain queryset.
- A value is put into the SQL as Django would adapt it for the database: unchanged for
  strings and integers, and on SQLite `datetime`s and `date`s as the text the backend's
  `adapt_datetimefield_value` and `adapt_datefield_value` give (PostgreSQL keeps the
  objects). Which adaptation applies is found by comparing with the sentinel's, and
  done per call with the call's connection.
- No `prefetch_related()` in `build`: a prefetch's queryset is built with the sentinels
  and is not SQL this module checks (refused, ValueError). Prefetch on the rows instead
  (`prefetch_related_objects`), with querysets built per call.
- `keep_plan=True` also has PostgreSQL keep its plan of the query for the connection
  (core/backends/postgresql): for a look-up whose best plan does not depend on its
  values (one record by its slug or id, the rows of one record, rows by a list of ids),
  never for a list filtered by a value whose rows may be few or many.
- A shape that compiles to no query at all (e.g. `__in=[]`, or every condition empty) is
  not prepared: its calls run the plain queryset (which asks nothing of the database).

What a call returns is evaluated: a list (`rows`), one instance (`get`, `get_or_404`),
or an evaluated queryset (`queryset`, for a manager's prefetch cache). Refining such a
queryset (`.filter()`, `.count()` beyond its rows, `str(qs.query)`) builds the plain
queryset from the call's values first: correct, only not faster.

Django internals this relies on (checked with Django 5.2 by tests/jli/test_prepared.py,
to run after any upgrade): the compiler's `select`, `klass_info`, `annotation_col_map`,
`col_count` and `has_extra_select` after `as_sql()`, which the iterables read;
`QuerySet._query` (the `query` setter would turn a values_list() into dicts); a related
manager's `_apply_rel_filters`, `_hints` and `_known_related_objects`.

Thread safety: a plan (SQL text, parameter positions, the compiled select) is made once
and only read afterwards; two threads that make the same plan at once store equal ones.
Each call gets its own compiler, bound to its thread's connection.
"""

import datetime
import functools
import operator
import secrets
import weakref

from django.core.exceptions import EmptyResultSet, FieldError
from django.db import connections
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404
from django.utils import timezone, translation

from core.lookups import Ids, hidden_from_planner

__all__ = ["Prepared", "PreparedRelated"]

# How a parameter's value reaches the SQL, by the name of the backend operation (None:
# unchanged). The first whose sentinel gives the compiled parameter is the one.
# "ids": an `Ids` (core.lookups), which `__among` passes as one parameter of any length.
_ADAPTERS = (None, "adapt_datetimefield_value", "adapt_datefield_value", "ids")
_SCALARS = (str, int, datetime.datetime, datetime.date)


def _adapt(adapter, value, ops):
    if adapter is None:
        return value
    if adapter == "ids":
        if not isinstance(value, Ids):
            raise TypeError("not ids")
        return value.parameter(ops.connection.vendor)
    return getattr(ops, adapter)(value)


def _shape(value):
    """What of a value the SQL's shape depends on: its type (and length, for a list),
    or, for a bool or None, the value itself."""
    if value is None or isinstance(value, bool):
        return ("value", value)
    if isinstance(value, Ids):
        return ("ids",)  # one parameter, whatever their number
    if isinstance(value, list | tuple):
        return ("list", tuple(_shape(item) for item in value))
    if isinstance(value, datetime.datetime):
        return ("datetime", timezone.is_aware(value))
    if isinstance(value, _SCALARS):
        return (type(value).__name__,)
    raise TypeError(
        f"a prepared query takes str, int, date, datetime, Ids, bool or None, not {value!r}"
    )


def _sentinel(value, generation, number, token):
    """A stand-in for `value`, of its type, unlike any real value and unlike the other
    stand-ins (by `generation`, the set it belongs to, and `number`, its place in it)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Ids):
        return Ids([_sentinel(1, generation, number, token)])
    if isinstance(value, list | tuple):
        return type(value)(
            _sentinel(item, generation, number * 1000 + index + 1, token)
            for index, item in enumerate(value)
        )
    if isinstance(value, str):
        return f"prepared~{token}~{generation}~{number}"
    if isinstance(value, int):
        # Within a 32-bit integer: the ORM answers "no rows" without SQL for a value out
        # of a field's range, which would hide the parameter.
        return 2_100_000_000 + generation * 10_000_000 + number
    if isinstance(value, datetime.datetime):
        stand_in = datetime.datetime(1901, 2, 3, 4, 5, 6) + datetime.timedelta(  # noqa: DTZ001
            days=generation, microseconds=number
        )
        return stand_in.replace(tzinfo=datetime.UTC) if timezone.is_aware(value) else stand_in
    return datetime.date(1901, 2, 3) + datetime.timedelta(days=generation * 1000 + number)


def _leaves(values):
    """(name, index or None, value) of every scalar among the values."""
    for name, value in values.items():
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                yield name, index, item
        elif not (value is None or isinstance(value, bool)):
            yield name, None, value


class _Plan:
    """One shape's compiled SQL and what a call needs to run it (read-only once made)."""

    __slots__ = ("alias", "converters", "params", "slots", "sql", "state", "template")

    def __init__(self, template, alias, sql, params, slots, state):
        self.template, self.alias, self.sql = template, alias, sql
        self.params, self.slots, self.state = params, slots, state
        # The compiler's converters of the plan's columns, per connection (they hold the
        # connection's operations): worked out on its first call, not on every one.
        self.converters = weakref.WeakKeyDictionary()


class _Unpreparable:
    """A shape compiled to no SQL: calls run the plain queryset."""


_UNPREPARABLE = _Unpreparable()


class _PreparedQuery:
    """Stands for the template's Query in one call's queryset.

    While the queryset is read, `get_compiler` gives a compiler of the template query
    that answers with the plan's SQL and this call's parameters. Anything else asked of
    the query (a clone to refine the queryset, a count, its text) is answered by the
    plain query built from the call's values.
    """

    def __init__(self, plan, params, rebuild):
        self._plan, self._params, self._rebuild = plan, params, rebuild
        self._reading = True

    @functools.cached_property
    def _real(self):
        return self._rebuild().query

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        plan = self._plan
        if not self._reading or connection is not None or using != plan.alias:
            return self._real.get_compiler(using, connection, elide_empty)
        compiler = plan.template.query.get_compiler(using=using, elide_empty=elide_empty)
        for name, value in plan.state.items():
            setattr(compiler, name, value)
        sql, params = plan.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        compiler.get_converters = functools.partial(_converters, plan, compiler)
        return compiler

    def __getattr__(self, name):
        # Only what is not defined here: a read of the query's shape while the rows are
        # read (e.g. a values() iterable's names) is the template's; after, the real's.
        if self._reading:
            return getattr(self._plan.template.query, name)
        return getattr(self._real, name)

    def __str__(self):
        return str(self._real)


def _converters(plan, compiler, expressions):
    """`compiler.get_converters(expressions)`, kept by the plan per connection: the
    columns read (`expressions`) are the plan's own on every call."""
    connection = compiler.connection
    found = plan.converters.get(connection)
    if found is None or not _same_objects(found[0], expressions):
        found = (list(expressions), type(compiler).get_converters(compiler, expressions))
        plan.converters[connection] = found
    return found[1]


def _same_objects(first, second):
    return len(first) == len(second) and all(map(operator.is_, first, second))


# What a compiler's `setup_query` and `pre_sql_setup` leave that reading rows uses.
_COMPILER_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


# The SQL texts of the plans made with `keep_plan=True`: the PostgreSQL backend
# (core/backends/postgresql) has the server prepare these.
KEPT_PLANS = set()


class Prepared:
    """A queryset built by `build(**values)`, compiled once per shape (see the module)."""

    def __init__(self, build, *, max_plans=64, keep_plan=False):
        self.build, self.max_plans, self.keep_plan = build, max_plans, keep_plan
        self._model = None
        self._plans = {}
        self._token = secrets.token_hex(6)

    def __repr__(self):
        return f"<Prepared build {getattr(self.build, '__qualname__', self.build)}>"

    # Calls.

    def rows(self, **values):
        """The queryset's rows, as a list."""
        return list(self.queryset(**values))

    def get(self, **values):
        """The one row, as `QuerySet.get()` (DoesNotExist, MultipleObjectsReturned)."""
        rows = list(self._run(values, single=True))
        if len(rows) == 1:
            return rows[0]
        model = self._model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(
            f"get() returned more than one {model._meta.object_name}."
        )

    def get_or_404(self, **values):
        """The one row, or Http404 as `get_object_or_404` says it."""
        try:
            return self.get(**values)
        except self._model.DoesNotExist as missing:
            raise Http404(
                f"No {self._model._meta.object_name} matches the given query."
            ) from missing

    def queryset(self, **values):
        """The queryset, evaluated (its rows cached, as after `list(queryset)`)."""
        return self._run(values)

    # The machinery.

    def _plain(self, values, single=False, context=None):
        """The plain queryset for these values (`single`: as `get()` reads it)."""
        queryset = self.build(**values)
        self._model = queryset.model
        if single:
            query = queryset.query
            ordered = query.can_filter() and not query.distinct_fields
            queryset = queryset.order_by() if ordered else queryset.all()
            queryset.query.set_limits(high=MAX_GET_RESULTS)
        return queryset

    def _personalise(self, queryset, context):
        """Give a call's queryset what belongs to the call (`context`, given to `_run`)
        rather than to the shape; None when the plan is being built."""
        return queryset

    def _run(self, values, single=False, context=None):
        key = (
            single,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            tuple(sorted((name, _shape(value)) for name, value in values.items())),
        )

        def plain():
            return self._personalise(self._plain(values, single, context), context)

        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= self.max_plans:
                return self._evaluated(plain())
            plan = self._plans[key] = self._prepare(values, single)
        if plan is _UNPREPARABLE:
            return self._evaluated(plain())
        queryset = self._personalise(_copy(plan.template), context)
        if queryset.db != plan.alias:
            return self._evaluated(plain())
        ops = connections[plan.alias].ops
        params = list(plan.params)
        for position, name, index, adapter in plan.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = _adapt(adapter, value, ops)
        # Not `queryset.query = ...`: that setter makes a values() queryset yield dicts.
        queryset._query = query = _PreparedQuery(plan, tuple(params), plain)
        self._evaluated(queryset)
        query._reading = False
        return queryset

    @staticmethod
    def _evaluated(queryset):
        queryset._fetch_all()
        return queryset

    def _compiled(self, values, generation, single):
        sentinels = {
            name: _sentinel(value, generation, number, self._token)
            for number, (name, value) in enumerate(sorted(values.items()), start=1)
        }
        queryset = self._plain(sentinels, single)
        if queryset._prefetch_related_lookups:
            # Their querysets were built with the sentinels and are not checked: run
            # prefetch_related_objects() on the rows instead.
            raise ValueError(f"{self!r}: prefetch_related() is not prepared")
        alias = queryset.db
        compiler = queryset.query.get_compiler(using=alias)
        hiding = hidden_from_planner.set(self.keep_plan)  # see core.lookups.Among
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return queryset, alias, sentinels, None, None, None
        finally:
            hidden_from_planner.reset(hiding)
        if not sql:
            return queryset, alias, sentinels, None, None, None
        state = {name: getattr(compiler, name) for name in _COMPILER_STATE}
        return queryset, alias, sentinels, sql, tuple(params), state

    def _prepare(self, values, single):
        """Compile the shape of `values` twice, with two sets of sentinels, and find
        where the values go (see the module's rules)."""
        template, alias, first, sql, params, state = self._compiled(values, 0, single)
        _, alias_again, second, sql_again, params_again, _ = self._compiled(values, 1, single)
        if sql is None or sql_again is None:
            return _UNPREPARABLE
        if sql != sql_again or len(params) != len(params_again) or alias != alias_again:
            raise ValueError(
                f"{self!r}: the SQL's text depends on a value (a slice bound?): give it "
                "as a bool, or build one Prepared per shape"
            )
        ops = connections[alias].ops
        slots = []
        for position, (param, param_again) in enumerate(zip(params, params_again, strict=True)):
            slot = _slot(param, first, ops)
            if slot is None:
                if type(param) is not type(param_again) or param != param_again:
                    raise ValueError(
                        f"{self!r}: parameter {position} ({param!r}) changes with no "
                        "value: is something (the time?) read inside build()?"
                    )
                continue
            name, index, adapter = slot
            expected = second[name] if index is None else second[name][index]
            expected = _adapt(adapter, expected, ops)
            if type(param_again) is not type(expected) or param_again != expected:
                raise ValueError(f"{self!r}: {name!r} does not reach the SQL as is")
            slots.append((position, name, index, adapter))
        for name, _index, value in _leaves(first):
            if isinstance(value, str) and value in sql:
                raise ValueError(f"{self!r}: {name!r} is written into the SQL's text")
        if self.keep_plan:
            KEPT_PLANS.add(sql)
        return _Plan(template, alias, sql, params, tuple(slots), state)


def _slot(param, sentinels, ops):
    """(name, index, adapter) of the sentinel that gives `param`, or None."""
    for name, index, value in _leaves(sentinels):
        for adapter in _ADAPTERS:
            try:
                adapted = _adapt(adapter, value, ops)
            except (TypeError, ValueError, AttributeError):
                continue
            if type(adapted) is type(param) and adapted == param:
                return name, index, adapter
    return None


def _copy(queryset):
    """A new queryset object with the template's settings, unevaluated, without cloning
    its Query (which `_chain()` would: the cost this module saves)."""
    copy = queryset.__class__.__new__(queryset.__class__)
    copy.__dict__.update(queryset.__dict__)
    copy._result_cache = None
    copy._prefetch_done = False
    copy._hints = dict(queryset._hints)
    copy._known_related_objects = dict(queryset._known_related_objects)
    return copy


class PreparedRelated(Prepared):
    """One object's related rows (`instance.<name>`, a reverse foreign key or a
    many-to-many) read by `queryset_factory(**values)`'s queryset filtered to the object,
    as the related manager filters it, then cut at `limit` rows, and prepared (see
    `Prepared`).

    `queryset(instance)` gives the evaluated queryset the manager would have read, with
    each row's link to `instance` set as the manager sets it (no query to read it back).
    For core.selectors.load_related.
    """

    def __init__(self, model, name, queryset_factory, *, limit=None, keep_plan=False):
        self.model, self.name, self.queryset_factory = model, name, queryset_factory
        self.limit = limit
        super().__init__(self._for_pk, keep_plan=keep_plan)

    def _for_pk(self, pk, instance=None, **values):
        """What the related manager reads: for a stand-in object of this primary key
        (building the plan) or for the call's object (the plain queryset), cut at
        `limit` rows."""
        instance = self.model(pk=pk) if instance is None else instance
        queryset = self.queryset_factory(**values)
        queryset = getattr(instance, self.name)._apply_rel_filters(queryset)
        return queryset if self.limit is None else queryset[: self.limit]

    def queryset(self, instance, **values):
        """The evaluated queryset of `instance`'s related rows (`values`: the factory's
        arguments, e.g. the `at` of `published()`)."""
        return self._run({**values, "pk": instance.pk}, context=instance)

    def rows(self, instance, **values):
        """`instance`'s related rows, as a list."""
        return list(self.queryset(instance, **values))

    def _plain(self, values, single=False, context=None):
        values = dict(values)
        queryset = self._for_pk(values.pop("pk"), context, **values)
        self._model = queryset.model
        return queryset

    def _personalise(self, queryset, context):
        """The manager's hint and known related object: the call's object, not the
        stand-in the plan was built with."""
        if context is None:
            return queryset
        if "instance" in queryset._hints:
            queryset._hints["instance"] = context
        queryset._known_related_objects = {
            field: {_related_id(field, context): context}
            for field in queryset._known_related_objects
        }
        return queryset


def _related_id(field, instance):
    """The key under which a reverse foreign key's manager knows its object (as
    `_apply_rel_filters` computes it)."""
    try:
        target = field.target_field
    except FieldError:  # several target fields: a tuple
        targets = field.path_infos[-1].target_fields
        return tuple(getattr(instance, target.attname) for target in targets)
    return getattr(instance, target.attname)
