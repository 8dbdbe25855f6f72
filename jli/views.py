from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from groups.selectors import home_groups
from jli.models import StoryPage
from jli.selectors import home_intro
from publications.selectors import featured_publications


@require_safe
def home(request):
    return render(
        request,
        "jli/home.html",
        {
            "intro": home_intro(),
            "working_groups": home_groups(),
            "featured_publications": featured_publications(limit=1),
        },
    )


@require_safe
def story_page(request, slug):
    queryset = StoryPage.objects.all() if request.user.is_staff else StoryPage.objects.published()
    page = get_object_or_404(queryset, slug=slug)
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
