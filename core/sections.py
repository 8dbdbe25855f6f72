"""Sections that apps higher up add to the pages of lower ones.

A group's page shows the group's publications and events, a person's page theirs, a
funder's page what it supported. But `groups` and `funders` sit below `publications`
and `events` (docs/design.md) and may not import them. So each higher app registers, at
start-up (its AppConfig.ready), a section for the lower model's page: a template and a
reader that returns the template's context for one object (or None: nothing to show).
The lower app's view asks for its object's sections and its template renders them in
order with `{% render_section %}`.

Each reader owns its query plan: a fixed number of queries whatever the data.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

_registry = defaultdict(list)


@dataclass(frozen=True)
class Section:
    """One section of one page: the template and its context."""

    name: str
    template: str
    context: dict


def register(model, *, name, template, reader: Callable, order: int = 0, exists=None):
    """Add a section to the pages of `model` (a model class).

    `reader(obj)` returns the context of `template` for that object, or None when the
    section has nothing to show. Sections render in `order`, then in registration order.
    `exists(at)`, if given, is an expression for the page's main query (an `Exists` of
    the rows the reader would show at the time `at`, for `OuterRef("pk")`): a page
    whose query reads `annotations(model, at)` skips the reader's queries when its
    record has nothing for the section.
    """
    entries = _registry[model._meta.label_lower]
    entries[:] = [entry for entry in entries if entry[1] != name]  # re-registering replaces
    entries.append((order, name, template, reader, exists))
    entries.sort(key=lambda entry: entry[0])


def _flag(name):
    return f"has_{name}"


def annotations(model, at):
    """{`has_<name>`: expression} of the sections of `model` that say whether they have
    something to show (`exists`), for the page's main query to annotate its record with
    (sections_for reads them)."""
    return {
        _flag(name): exists(at)
        for _order, name, _template, _reader, exists in _registry[model._meta.label_lower]
        if exists is not None
    }


def sections_for(obj):
    """The sections registered for `obj`'s model that have something to show (not
    asking a reader whose `has_<name>` annotation, see annotations(), is False)."""
    sections = []
    for _order, name, template, reader, _exists in _registry[obj._meta.label_lower]:
        if getattr(obj, _flag(name), True) is False:
            continue
        context = reader(obj)
        if context is not None:
            sections.append(Section(name=name, template=template, context=context))
    return sections
