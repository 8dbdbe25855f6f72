from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from funders.selectors import home_acknowledgement
from groups.selectors import home_groups
from jli import selectors


@require_safe
def home(request):
    return render(
        request,
        "jli/home.html",
        {
            "intro": selectors.home_intro(),
            "working_groups": home_groups(),
            "funding_partners": home_acknowledgement(),
        },
    )


@require_safe
def story_page(request, slug):
    page = selectors.story_page(slug=slug, preview=request.user.is_staff)
    return render(request, "jli/storypage_detail.html", {"page": page})


@require_safe
def healthz(request):
    """Liveness: the process answers. Touches neither database nor cache."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /profile/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
