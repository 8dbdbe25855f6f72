"""Writes with rules: invitations, members' accounts and the review of their profile changes."""

import hashlib
import io
import secrets
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.site import absolute_url
from groups.models import Person, PersonLink
from members import tasks
from members.models import Invitation, ProfileChange, ReviewStatus


def _send_mail(*, template, context, to):
    """Send one message with a text and an HTML part, both rendered from templates."""
    subject = render_to_string(f"members/email/{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"members/email/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"members/email/{template}.html", context), "text/html"
    )
    message.send()


# --- Invitations ---------------------------------------------------------------------


class InvitationProblem:
    """Why an invitation link cannot be used; each has its own page."""

    INVALID = "invalid"
    USED = "used"
    EXPIRED = "expired"
    HAS_ACCOUNT = "has_account"


def _hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def person_invite(*, person: Person, invited_by) -> Invitation:
    """Invite a person to make an account: e-mail them a one-time link to set a password.

    Earlier open invitations of the person stop working. Refused (ValidationError) for a
    person without an e-mail address or who already has an account.
    """
    if person.user_id is not None:
        raise ValidationError(_("%(person)s already has an account.") % {"person": person})
    if not person.email:
        raise ValidationError(_("%(person)s has no e-mail address.") % {"person": person})
    now = timezone.now()
    with transaction.atomic():
        person.invitations.open(at=now).update(expires_at=now)
        invitation = Invitation(
            person=person,
            email=person.email,
            # A placeholder nobody knows: the link's token is made by the task that
            # sends it (invitation_send), so it never sits in the task queue.
            token_hash=_hash_token(secrets.token_urlsafe(32)),
            invited_by=invited_by,
            expires_at=now + timedelta(days=settings.INVITATION_EXPIRY_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        language = translation.get_language()
        transaction.on_commit(
            lambda: tasks.invitation_send.enqueue(invitation_id=invitation.pk, language=language)
        )
    return invitation


def invitation_send(*, invitation_id: int) -> None:
    """E-mail an open invitation its one-time link, made now (its hash replaces the
    placeholder). Run by the task members.tasks.invitation_send after the invitation is
    saved; an invitation closed meanwhile (used, replaced, expired) is not sent."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.accepted_at is not None or invitation.is_expired:
            return
        if invitation.person.user_id is not None:
            return
        token = secrets.token_urlsafe(32)
        invitation.token_hash = _hash_token(token)
        invitation.save(update_fields=["token_hash"])
        context = {
            "person": invitation.person,
            "link": absolute_url(reverse("accounts_invitation", kwargs={"token": token})),
            "expires_at": invitation.expires_at,
        }
        address = invitation.email
        transaction.on_commit(
            lambda: _send_mail(template="invitation", context=context, to=address)
        )


def invitation_check(*, token: str):
    """The invitation a link's token names, and what stops it being used (or None)."""
    invitation = (
        Invitation.objects.select_related("person").filter(token_hash=_hash_token(token)).first()
    )
    if invitation is None:
        return None, InvitationProblem.INVALID
    if invitation.accepted_at is not None:
        return invitation, InvitationProblem.USED
    if invitation.person.user_id is not None:
        return invitation, InvitationProblem.HAS_ACCOUNT
    if invitation.is_expired:
        return invitation, InvitationProblem.EXPIRED
    return invitation, None


def invitation_accept(*, invitation: Invitation, password: str):
    """Create the person's account (username and e-mail: the invited address) and link it.

    The invitation is locked and checked again so that two tabs cannot both use it.
    Raises ValidationError when the link can no longer be used or the address is taken.
    """
    user_model = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("person").get(pk=invitation.pk)
        )
        person = Person.objects.select_for_update().get(pk=invitation.person_id)
        if invitation.accepted_at is not None or invitation.is_expired or person.user_id:
            raise ValidationError(_("This invitation can no longer be used."))
        address = user_model.normalize_username(
            user_model._default_manager.normalize_email(invitation.email)
        )
        if user_model._default_manager.filter(username__iexact=address).exists():
            raise ValidationError(
                _("An account already uses this e-mail address; sign in or reset the password.")
            )
        user = user_model(username=address, email=address)
        user.set_password(password)
        user.full_clean()
        user.save()
        person.user = user
        _attribute(person, user, _("Member account made from an invitation"))
        person.save(update_fields=["user", "updated_at"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


# --- Profile changes -------------------------------------------------------------------


def photo_resized(upload):
    """The uploaded photo, turned upright, scaled to fit PROFILE_PHOTO_MAX_PIXELS, without
    its metadata (camera, place), in its own format (GIF becomes PNG)."""
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format if original.format in {"JPEG", "PNG", "WEBP"} else "PNG"
        image = ImageOps.exif_transpose(original)
        limit = settings.PROFILE_PHOTO_MAX_PIXELS
        image.thumbnail((limit, limit))
        if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        elif image.mode not in {"RGB", "RGBA", "L", "LA"}:
            image = image.convert("RGBA")
        buffer = io.BytesIO()
        image.save(buffer, format=image_format, quality=85)
    suffix = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[image_format]
    name = PurePosixPath(upload.name or "photo").stem[:40] + suffix
    return ContentFile(buffer.getvalue(), name=name)


def profile_change_submit(
    *, person: Person, submitted_by, values: dict, links: list, photo=None
) -> ProfileChange:
    """Hold a member's profile edits for review: their one open change, made or updated.

    `values` holds the fields of ProfileChange.PERSON_FIELDS and `remove_photo`; `photo`
    is a new upload (already validated) or None to keep any photo sent before.
    """
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        change = person.profile_changes.filter(status=ReviewStatus.PENDING).first()
        if change is None:
            change = ProfileChange(person=person)
        for name in [*ProfileChange.PERSON_FIELDS, "remove_photo"]:
            setattr(change, name, values[name])
        change.links = [{"label": link["label"], "url": link["url"]} for link in links]
        if photo is not None:
            change.photo = photo_resized(photo)
            change.remove_photo = False
        elif change.remove_photo:
            change.photo = ""
        change.submitted_by = submitted_by
        change.submitted_at = timezone.now()
        change.full_clean()
        change.save()
    return change


def _notify_member(change):
    """Tell the member the decision, by a background task once the review is saved."""
    language = translation.get_language()
    transaction.on_commit(
        lambda: tasks.review_decision_send.enqueue(change_id=change.pk, language=language)
    )


def review_decision_send(*, change_id: int) -> None:
    """E-mail the member who proposed a change (or the person) the review's decision.

    Run by the task members.tasks.review_decision_send."""
    change = (
        ProfileChange.objects.select_related("person", "submitted_by").filter(pk=change_id).first()
    )
    if change is None:
        return
    person = change.person
    address = (change.submitted_by.email if change.submitted_by else "") or person.email
    if not address:
        return
    context = {"person": person, "change": change, "profile_link": absolute_url("/profile/")}
    _send_mail(template="review_decision", context=context, to=address)


def _locked_pending(change):
    change = (
        ProfileChange.objects.select_for_update(of=("self",))
        .select_related("submitted_by")
        .get(pk=change.pk)
    )
    if change.status != ReviewStatus.PENDING:
        raise ValidationError(_("These changes were already reviewed."))
    return change


def profile_change_approve(*, change: ProfileChange, reviewer, message: str = "") -> Person:
    """Publish a member's changes: copy them onto the person, then tell the member."""
    with transaction.atomic():
        change = _locked_pending(change)
        person = Person.objects.select_for_update().get(pk=change.person_id)
        for name in ProfileChange.PERSON_FIELDS:
            setattr(person, name, getattr(change, name))
        if change.photo:
            person.photo = change.photo.name
        elif change.remove_photo:
            person.photo = ""
        # The profile's history names the reviewer who published the member's changes
        # (also when approved outside a request).
        reason = _("Profile changes proposed by the member, approved")
        _attribute(person, reviewer, reason)
        person.full_clean()
        person.save()
        for old_link in person.links.all():
            _attribute(old_link, reviewer, reason)
            old_link.delete()
        for order, link in enumerate(change.links):
            item = PersonLink(
                person=person, label=link["label"], url=link["url"], display_order=order
            )
            _attribute(item, reviewer, reason)
            item.full_clean()
            item.save()
        _close(change, ReviewStatus.APPROVED, reviewer, message)
        change.person = person
        _notify_member(change)
    return person


def _attribute(record, user, reason):
    """Name who made a change in the record's history (django-simple-history)."""
    record._history_user = user
    record._change_reason = reason


def profile_change_decline(*, change: ProfileChange, reviewer, message: str = "") -> None:
    """Turn down a member's changes (the profile stays as it was) and tell the member."""
    with transaction.atomic():
        change = _locked_pending(change)
        _close(change, ReviewStatus.DECLINED, reviewer, message)
        _notify_member(change)


def _close(change, status, reviewer, message):
    change.status = status
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.review_message = message
    change.full_clean()
    change.save()
