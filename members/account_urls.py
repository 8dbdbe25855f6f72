"""Members' sign-in, password and invitation pages under /accounts/.

Not namespaced: Django's auth views find each other by these plain names.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from members import views
from members.forms import EmailAuthenticationForm, SitePasswordResetForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "password_reset/",
        views.LoggedPasswordResetView.as_view(
            form_class=SitePasswordResetForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
        ),
        name="password_reset",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="accounts_invitation"),
    # Django's own view, with the completion written to the security log.
    path(
        "reset/<uidb64>/<token>/",
        views.LoggedPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Sign-out (POST), reset completion and password change: Django's views as they are.
    path("", include("django.contrib.auth.urls")),
]
