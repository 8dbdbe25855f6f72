"""Root URLs. The public paths are stable (../shared/DESIGN.md): links and tests rely on them."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from jli import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/<slug:slug>/", views.story_page, name="story_page"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("groups.account_urls")),
    path("admin/", admin.site.urls),
    path("", include("groups.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
