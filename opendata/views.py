"""The open-data endpoints: thin wrappers; the protocols live in their own modules."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from opendata import oai


# OAI-PMH requires POST as well as GET (section 3.1.1). The request changes nothing and
# reads no session or cookie, so it needs no CSRF token: harvesters have none.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request):
    query = request.POST if request.method == "POST" else request.GET
    response = HttpResponse(oai.respond(query), content_type="text/xml; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
