from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.media import serve_file
from core.sections import sections_for
from funders import selectors


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
            # What it supported: publications and events (registered by those apps).
            "related_sections": sections_for(funder),
        },
    )


@require_safe
def funder_logo(request, slug):
    """The logo as the acknowledgements show it, as visible as the funder (core/media.py)."""
    funder = selectors.funder_logo(slug=slug, user=request.user)
    logo = funder.logo_thumbnail
    logo.generate()  # made on first use, then kept in storage
    return serve_file(logo, public=funder.is_public)
