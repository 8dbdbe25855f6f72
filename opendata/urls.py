from django.urls import path

from opendata import views
from opendata.api import api

app_name = "opendata"

urlpatterns = [
    path("oai/", views.oai_pmh, name="oai"),
]

# The API's own namespace ("api-v1"), beside this app's: included from the root URLs.
api_urls = [path("api/v1/", api.urls)]
