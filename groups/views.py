from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from events import selectors as event_selectors
from groups import selectors
from groups.forms import DirectoryFilterForm
from jli.cache import public_page
from publications.selectors import group_publications, person_publications

PEOPLE_PER_PAGE = 24


@require_safe
@public_page
def group_list(request):
    return render(request, "groups/group_list.html", {"sections": selectors.groups_by_kind()})


@require_safe
@public_page
def group_detail(request, slug):
    group, memberships = selectors.group_detail(slug=slug, preview=request.user.is_staff)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "current_roles": [m for m in memberships if m.is_current],
            "past_roles": [m for m in memberships if not m.is_current],
            "events": event_selectors.for_group(group),
            "publications": group_publications(group),
        },
    )


@require_safe
@public_page
def person_list(request):
    form = DirectoryFilterForm(request.GET or None, country_codes=selectors.directory_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_directory(
        name=filters.get("q", ""),
        group=filters.get("group"),
        role=filters.get("role", ""),
        country=filters.get("country", ""),
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "groups/person_list.html", {"form": form, "page_obj": page})


@require_safe
@public_page
def person_detail(request, slug):
    person = selectors.person_detail(slug=slug)
    return render(
        request,
        "groups/person_detail.html",
        {
            "person": person,
            "email": person.email_for(request.user),
            "participations": event_selectors.for_person(person),
            "publications": person_publications(person),
        },
    )
