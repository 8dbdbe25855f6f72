from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path(
        "profile/changes/<int:pk>/photo/",
        views.profile_change_photo,
        name="profile_change_photo",
    ),
]
