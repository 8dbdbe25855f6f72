from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.cache import CachedCountPaginator, filters_key, public_page
from core.media import serve_file
from core.roles import may_preview
from core.search import keywords
from core.sections import sections_for
from groups import selectors
from groups.forms import DirectoryFilterForm
from groups.models import Group, Person

PEOPLE_PER_PAGE = 24


@require_safe
@public_page
def group_list(request):
    return render(request, "groups/group_list.html", {"sections": selectors.groups_by_kind()})


@require_safe
@public_page
def group_detail(request, slug):
    group, roles = selectors.group_detail(slug=slug, preview=may_preview(request.user, Group))
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "leaders": roles["leaders"],
            "members": roles["members"],
            "members_total": selectors.total_of(roles["members"]),
            "former": roles["former"],
            "former_total": selectors.total_of(roles["former"]),
            "bases": selectors.secretariat_bases(group),
            # The group's publications and events (registered by those apps).
            "related_sections": sections_for(group),
        },
    )


@require_safe
@public_page
def person_list(request):
    form = DirectoryFilterForm(request.GET or None, country_codes=selectors.directory_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    # The keywords' matches, read once (bounded: core.search).
    name = keywords(Person, filters.get("q", ""))
    people = selectors.directory(
        name=name,
        group=filters.get("group"),
        role=filters.get("role", ""),
        country=filters.get("country", ""),
    )
    page = CachedCountPaginator(
        people, PEOPLE_PER_PAGE, count_key=filters_key("people", filters)
    ).get_page(request.GET.get("page"))
    return render(
        request, "groups/person_list.html", {"form": form, "page_obj": page, "keywords": name}
    )


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
            # Their publications and events (registered by those apps).
            "related_sections": sections_for(person),
        },
    )


@require_safe
def person_photo(request, slug):
    """The photo, as visible as the profile (never a media URL: core/media.py)."""
    person = selectors.person_photo(slug=slug, user=request.user)
    return serve_file(person.photo, public=person.is_public)
