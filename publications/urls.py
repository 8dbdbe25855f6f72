from django.urls import path, re_path
from django.views.decorators.http import require_safe

from core.cache import public_page
from publications import feeds, views

app_name = "publications"

# The two citation formats; any other suffix is simply not a page (404).
FORMAT = r"(?P<fmt>bib|ris)"

urlpatterns = [
    path("", views.publication_list, name="publication_list"),
    # Before "<slug>/": "feed" would otherwise be read as a publication's slug.
    path("feed/", require_safe(public_page(feeds.publication_feed)), name="publication_feed"),
    re_path(rf"^cite\.{FORMAT}$", views.publication_list_cite, name="publication_list_cite"),
    path("<slug:slug>/", views.publication_detail, name="publication_detail"),
    path("<slug:slug>/download/", views.publication_download, name="publication_download"),
    path("<slug:slug>/cover/", views.publication_cover, name="publication_cover"),
    path(
        "<slug:slug>/cover/thumbnail/",
        views.publication_cover_thumbnail,
        name="publication_cover_thumbnail",
    ),
    re_path(
        rf"^(?P<slug>[-a-zA-Z0-9_]+)/cite\.{FORMAT}$",
        views.publication_cite,
        name="publication_cite",
    ),
]
