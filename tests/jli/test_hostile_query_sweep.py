"""A sweep of hostile query strings over every URL of the site: never a 500.

Every route of the authorization matrix (which lists every URL pattern, so a new page
is swept too), every admin changelist with each of its filters, and the admin's
autocomplete are asked with a NUL, a line break, a 5,000-character value and bytes that
are not UTF-8, in each query parameter the site reads (and a few generic ones), as an
anonymous visitor and as the superuser. Each answer is a page or a 4xx.
"""

import pytest
from django.contrib import admin

from events.forms import EventFilterForm
from groups.forms import DirectoryFilterForm
from publications.forms import PublicationFilterForm
from tests.jli.test_authorization_matrix import (  # the site's objects, one of each
    CUSTOM_ADMIN_MATRIX,
    PUBLIC_MATRIX,
    site,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db

# Already percent-encoded: a NUL, a line break, a long value, invalid UTF-8; and all
# three together, the value tried in each parameter alone.
HOSTILE_VALUES = {
    "nul": "%00",
    "line break": "a%0D%0Ab",
    "long": "a" * 5000,
    "not utf-8": "%FF%FE%C3%28",
}
EVERYTHING = "a%0D%0Ab%FF%FE%C3%28" + "a" * 5000
GENERIC_PARAMETERS = ["q", "page", "p", "o", "next", "lang", "language", "format", "sort", "id"]
FORM_PARAMETERS = sorted(
    {
        name
        for form in (EventFilterForm, PublicationFilterForm, DirectoryFilterForm)
        for name in form.base_fields
    }
)
PUBLIC_PARAMETERS = sorted({*GENERIC_PARAMETERS, *FORM_PARAMETERS})


def _with(url, parameters, value):
    query = "&".join(f"{name}={value}" for name in parameters)
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _sweep(client, url, parameters, *, one_by_one=True):
    """A NUL, then the combined hostile value, in every parameter at once; then
    (one_by_one) each in each parameter alone, so that a 4xx or a redirect for one (an
    admin list sends unknown filters to `?e=1`) cannot hide a 500 for another."""
    values = (HOSTILE_VALUES["nul"], EVERYTHING)
    asked = [_with(url, parameters, value) for value in values]
    if one_by_one:
        asked += [_with(url, [name], value) for name in parameters for value in values]
    failures = []
    for each in asked:
        status = client.get(each).status_code
        if status >= 500:
            failures.append(f"{status}: {each[:140]}")
    return failures


def test_the_combined_value_holds_each_hostile_value():
    for value in HOSTILE_VALUES.values():
        assert value == "%00" or value in EVERYTHING


@pytest.mark.parametrize(
    "row",
    [pytest.param(row, id=f"{row.route or '/'} {row.note}".strip()) for row in PUBLIC_MATRIX],
)
def test_public_urls_never_fail_on_hostile_query_strings(site, row):  # noqa: F811
    url = row.url(site)
    # The lists read query parameters: each is tried alone there; a page of one record
    # reads none (it gets them all at once).
    one_by_one = "<" not in row.route
    failures = _sweep(site.clients["anonymous"], url, PUBLIC_PARAMETERS, one_by_one=one_by_one)
    failures += _sweep(site.clients["superuser"], url, PUBLIC_PARAMETERS, one_by_one=False)
    assert failures == []


@pytest.mark.parametrize(
    "row",
    [pytest.param(row, id=f"{row.route} {row.note}".strip()) for row in CUSTOM_ADMIN_MATRIX],
)
def test_admin_pages_never_fail_on_hostile_query_strings(site, row):  # noqa: F811
    url = row.url(site)
    assert _sweep(site.clients["superuser"], url, GENERIC_PARAMETERS) == []


def _changelist_parameters(model_admin):
    """Each query parameter a changelist reads: its filters', search, order, page."""
    names = {"q", "o", "p", "all", "e", "_to_field", "_popup"}
    for item in model_admin.list_filter:
        if isinstance(item, str | tuple):
            field = item if isinstance(item, str) else item[0]
            names |= {f"{field}__exact", f"{field}__id__exact", f"{field}__isnull"}
        else:
            names.add(item.parameter_name)
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return sorted(names)


@pytest.mark.parametrize("label", sorted(model._meta.label_lower for model in admin.site._registry))
def test_admin_changelists_never_fail_on_hostile_query_strings(site, label):  # noqa: F811
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    url = f"/admin/{label.replace('.', '/')}/"
    parameters = _changelist_parameters(admin.site._registry[model])
    failures = _sweep(site.clients["superuser"], url, parameters)
    failures += _sweep(site.clients["anonymous"], url, ["q", "o", "p"], one_by_one=False)
    assert failures == []


def _autocomplete_sources():
    """(app_label, model_name, field_name) of every autocomplete field, inlines included."""
    for model, model_admin in admin.site._registry.items():
        for owner, fields in [(model, model_admin.autocomplete_fields)] + [
            (inline.model, inline.autocomplete_fields) for inline in model_admin.inlines
        ]:
            for field in fields:
                yield owner._meta.app_label, owner._meta.model_name, field


def test_admin_autocomplete_never_fails_on_hostile_terms(site):  # noqa: F811
    sources = sorted(set(_autocomplete_sources()))
    assert sources, "no autocomplete field found: the sweep would prove nothing"
    failures = []
    for app_label, model_name, field in sources:
        url = (
            f"/admin/autocomplete/?app_label={app_label}&model_name={model_name}&field_name={field}"
        )
        failures += _sweep(site.clients["superuser"], url, ["term", "page"])
    assert failures == []
