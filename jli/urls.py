"""Root URLs. The public paths are stable (docs/design.md): links and tests rely on them."""

import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.history_admin import history_urls
from core.security import serve_media
from jli import views
from jli.sitemaps import SITEMAPS
from opendata.urls import api_urls

# Pages for readers: English at the addresses they always had, French under /fr/
# (docs/design.md, "Languages"). Feeds, calendars and downloads are under the apps'
# pages and so exist in French too: their titles and descriptions have French versions.
pages = [
    path("", views.home, name="home"),
    path("about/<slug:slug>/", views.story_page, name="story_page"),
    # Under the prefix: a French page's form posts to /fr/i18n/setlang/, where the French
    # address it came from resolves, so it can be translated to the English one.
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("members.account_urls")),
    path("", include("groups.urls")),
    path("", include("members.urls")),
    path("", include("events.urls")),
    path("", include("funders.urls")),
    path("publications/", include("publications.urls")),
    path("", include("search.urls")),
]

# One address for every language: machines' files (the sitemap lists both languages'
# pages), the admin (in the language its user chose) and the open data, whose records
# are the English ones.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        require_safe(public_page(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # The secretariat's audit log and restore of deleted records (core/history_admin.py).
    path("admin/history/", include(history_urls())),
    path("admin/", admin.site.urls),
    path("", include("opendata.urls")),
    *api_urls,
    *i18n_patterns(*pages, prefix_default_language=False),
]

if settings.DEBUG:
    # Uploaded files in development, with the headers production's proxy sets
    # (docs/operations.md): nosniff, a sandboxing policy, documents as attachments.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler400 = "jli.views.bad_request"
handler403 = "jli.views.permission_denied"
handler500 = "jli.views.server_error"
