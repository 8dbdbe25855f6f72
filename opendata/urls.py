from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("oai/", views.oai_pmh, name="oai"),
]
