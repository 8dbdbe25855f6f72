"""Members' pages: accepting an invitation, the profile, the lockout page, password reset."""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.media import serve_file
from core.security import log_event
from events import selectors as event_selectors
from members import selectors, services, tasks
from members.forms import InvitationAcceptForm, ProfileForm, ProfileLinkFormSet
from members.models import ProfileChange
from publications.selectors import titles_for_person


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link from an invitation: choose a password, get an account, go to the profile."""
    invitation, problem = services.invitation_check(token=token)
    if problem:
        log_event("invitation_refused", request, problem=problem)
        return render(
            request,
            "registration/invitation_problem.html",
            {"problem": problem, "invitation": invitation},
            status=INVITATION_PROBLEM_STATUS[problem],
        )
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            log_event("invitation_accepted", request, user=user, invitation=invitation.pk)
            login(request, user, backend="members.backends.EmailBackend")
            messages.success(request, _("Welcome! Your account is ready; this is your profile."))
            return redirect("members:profile")
    return render(
        request, "registration/invitation_accept.html", {"form": form, "invitation": invitation}
    )


INVITATION_PROBLEM_STATUS = {
    services.InvitationProblem.INVALID: 404,
    services.InvitationProblem.USED: 410,
    services.InvitationProblem.EXPIRED: 410,
    services.InvitationProblem.HAS_ACCOUNT: 409,
}


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """A member's own profile: what the public sees, and the form to propose changes."""
    person = selectors.profile_for_user(user=request.user)
    if person is None:
        return render(request, "members/profile_missing.html")
    change = selectors.latest_profile_change(person=person)
    pending = change if change is not None and change.is_pending else None
    # With editing turned off, a POST changes nothing and gets the page that says so.
    editing = request.method == "POST" and person.self_editing
    form, link_forms = _profile_forms(request if editing else None, person, pending)
    if editing and form.is_valid() and link_forms.is_valid():
        services.profile_change_submit(
            person=person,
            submitted_by=request.user,
            values=form.cleaned_data,
            links=link_forms.links(),
            photo=form.cleaned_data["photo"],
        )
        messages.success(request, _("Thank you. Your changes are waiting for review."))
        return redirect("members:profile")
    context = {"person": person, "pending": pending, "last_change": change}
    context["differences"] = pending.differences(person) if pending else []
    context |= {"form": form, "link_forms": link_forms}
    context |= {
        "publications": titles_for_person(person),
        "events": [participation.event for participation in event_selectors.for_person(person)],
    }
    status = 403 if request.method == "POST" and not person.self_editing else 200
    return render(request, "members/profile.html", context, status=status)


def _profile_forms(request, person, pending):
    """The profile form and its links, bound to the request's POST (when given) or filled
    with the latest values: the pending change's if there is one, else the published ones."""
    if request is not None:
        return (
            ProfileForm(request.POST, request.FILES),
            ProfileLinkFormSet(request.POST, prefix="links"),
        )
    source = pending or person
    initial = {name: getattr(source, name) for name in ProfileChange.PERSON_FIELDS}
    if pending is not None:
        initial["remove_photo"] = pending.remove_photo
        links = list(pending.links)
    else:
        links = [{"label": link.label, "url": link.url} for link in person.links.all()]
    return ProfileForm(initial=initial), ProfileLinkFormSet(initial=links, prefix="links")


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in, on the site and the admin: 429."""
    pause = getattr(request, "account_pause_seconds", 0)
    if pause:
        # The account is slowed down (members/throttling.py), not this connection locked.
        response = render(request, "registration/slowdown.html", {"seconds": pause}, status=429)
        response["Retry-After"] = str(pause)
        return response
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else 0
    context = {"failure_limit": get_failure_limit(request, credentials), "minutes": minutes}
    return render(request, "registration/lockout.html", context, status=429)


class LoggedPasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, logged. The answer is the same for any address, and so is
    its time: the e-mail is sent by a background task (members.tasks), queued for every
    address asked for, whether an account uses it or not."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        matched = sum(1 for _user in form.get_users(email))
        log_event("password_reset_requested", self.request, accounts=matched)
        tasks.password_reset_send.enqueue(email=email, language=get_language())
        return redirect(self.get_success_url())


class LoggedPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation, logged (the token never is)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        log_event("password_reset_completed", self.request, user=form.user)
        return response


@require_safe
def profile_change_photo(request, pk):
    """A photo sent with a profile change, for its member and its reviewers only."""
    change = selectors.profile_change_photo(pk=pk, user=request.user)
    return serve_file(change.photo, public=False)
