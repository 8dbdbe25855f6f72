from django.urls import path

from funders import views

app_name = "funders"

urlpatterns = [
    path("funders/", views.funder_list, name="funder_list"),
    path("funders/<slug:slug>/", views.funder_detail, name="funder_detail"),
    path("funders/<slug:slug>/logo/", views.funder_logo, name="funder_logo"),
]
