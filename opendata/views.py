"""The open-data endpoints: thin wrappers; the protocols live in their own modules."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from core.cache import public_page
from core.compression import compressible
from opendata import bulk, oai
from opendata.site import absolute_url


# OAI-PMH requires POST as well as GET (section 3.1.1). The request changes nothing and
# reads no session or cookie, so it needs no CSRF token: harvesters have none.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@public_page
def oai_pmh(request):
    """An answer to a GET is kept as the pages are, until content changes
    (core.cache.PublicPageCacheMiddleware): the same arguments give the same records,
    tokens and errors until then. Each answer still carries the time it was given
    (`responseDate`, written afresh on every hit: `oai.redated_response`); a kept
    resumption token names the harvest's start as when its page was made, which is the
    same harvest: nothing changed since. A POST's arguments are in its body, not the
    address an answer is kept under: answered afresh."""
    response = HttpResponse(
        oai.respond(request.POST if request.method == "POST" else request.GET),
        content_type="text/xml; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response.on_hit = oai.redated_response
    return response


@require_safe
@compressible
def data(request):
    """The bulk open data: the files, their licence, how to cite them."""
    package = bulk.current_package()
    context = {
        "package": package,
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_confirmed": settings.OPEN_DATA_LICENCE_CONFIRMED,
        "citation": package["citation"] if package else bulk.citation(timezone.now()),
        "oai_url": oai.base_url(),
        "json_ld": _dataset(package) if package else None,
    }
    return render(request, "opendata/data.html", context)


def _dataset(package):
    """schema.org Dataset metadata of the data package (Google Dataset Search, ...)."""
    # A licence not yet confirmed by the secretariat is not stated to machines as fact.
    licence = (
        {"license": settings.OPEN_DATA_LICENCE["path"]}
        if settings.OPEN_DATA_LICENCE_CONFIRMED
        else {}
    )
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": package["title"],
        "description": package["description"],
        "url": package["homepage"],
        **licence,
        "citation": package["citation"],
        "dateModified": package["created"],
        "isAccessibleForFree": True,
        "creator": {
            "@type": "Organization",
            "name": "Joint Learning Initiative on Human Resources for Health",
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": resource["mediatype"],
                "contentUrl": absolute_url(reverse("opendata:data_file", args=[resource["path"]])),
            }
            for resource in package["resources"]
        ],
    }


@require_safe
def data_file(request, name):
    """One bulk file, from storage (only the names the export writes)."""
    path = f"{bulk.FOLDER}/{name}"
    if name not in bulk.FILE_NAMES or not default_storage.exists(path):
        raise Http404
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json"
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
