from django.shortcuts import render
from django.views.decorators.http import require_safe

from funders import selectors
from jli.cache import public_page


@require_safe
@public_page
def funder_list(request):
    return render(request, "funders/funder_list.html", {"tiers": selectors.acknowledgements()})


@require_safe
@public_page
def funder_detail(request, slug):
    funder = selectors.funder_detail(slug=slug)
    return render(
        request,
        "funders/funder_detail.html",
        {
            "funder": funder,
            "publications": selectors.supported_publications(funder),
            "events": selectors.supported_events(funder),
        },
    )
