from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("people/<slug:slug>/photo/", views.person_photo, name="person_photo"),
]
