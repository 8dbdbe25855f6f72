"""What publications add to the pages of people, groups and funders (core.sections)."""

from urllib.parse import urlencode

from django.urls import reverse

from core import sections
from funders.models import Funder
from groups.models import Group, Person
from publications import selectors


def _list_url(**filters):
    return f"{reverse('publications:publication_list')}?{urlencode(filters)}"


def _for_group(group):
    publications = selectors.group_publications(group)
    if not publications:
        return None
    return {"publications": publications, "all_url": _list_url(group=group.slug)}


def _for_person(person):
    publications = selectors.person_publications(person)
    if not publications:
        return None
    return {"publications": publications, "all_url": _list_url(author=person.slug)}


def _for_funder(funder):
    publications = selectors.funder_publications(funder)
    if not publications:
        return None
    return {"publications": publications, "all_url": _list_url(funder=funder.slug)}


def register():
    sections.register(
        Group,
        name="publications",
        template="publications/includes/_section.html",
        reader=_for_group,
        order=10,
    )
    sections.register(
        Person,
        name="publications",
        template="publications/includes/_section.html",
        reader=_for_person,
        order=10,
        exists=selectors.person_has_publications,
    )
    sections.register(
        Funder,
        name="publications",
        template="publications/includes/_funder_publications.html",
        reader=_for_funder,
        order=10,
    )
