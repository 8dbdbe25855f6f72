from django.urls import path

from opendata import views
from opendata.api import api

app_name = "opendata"

urlpatterns = [
    path("oai/", views.oai_pmh, name="oai"),
    path("data/", views.data, name="data"),
    path("data/<str:name>", views.data_file, name="data_file"),
]

# The API's own namespace ("api-v1"), beside this app's: included from the root URLs.
api_urls = [path("api/v1/", api.urls)]
