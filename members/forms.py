"""Members' forms: sign-in, the password of an invited account, the profile, the review."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import UploadRejectionLogMixin
from core.site import site_domain, site_scheme
from core.validators import image_upload_help_text, validate_image_upload
from members.models import ProfileChange


class EmailAuthenticationForm(AuthenticationForm):
    """The site's sign-in: an e-mail address and a password.

    The field keeps Django's name `username` so that django-axes counts failures the same
    way on this form and on the admin's.
    """

    username = UsernameField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an account. Check both; "
            "the password is case-sensitive."
        ),
    }


class SitePasswordResetForm(PasswordResetForm):
    """Django's reset form, whose e-mail links to SITE_URL, never to the request's Host."""

    def save(self, **kwargs):
        kwargs["domain_override"] = site_domain()
        kwargs["use_https"] = site_scheme() == "https"
        return super().save(**kwargs)


class InvitationAcceptForm(forms.Form):
    """Choose the password of a new account, checked by the site's password rules."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            user = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _photo_help_text():
    # Made when shown (lazy, below): in the reader's language, with the current limit.
    shown = gettext("It is shown as a small circle.")
    return f"{image_upload_help_text()} {shown}"


class ProfileForm(UploadRejectionLogMixin, forms.ModelForm):
    """What a member may change on their profile; nothing else is read from the request."""

    photo = forms.ImageField(
        label=_("New photo"),
        required=False,
        validators=[validate_image_upload],
        help_text=lazy(_photo_help_text, str)(),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    # Longer than an iD so that a pasted https://orcid.org/... address reaches clean_orcid;
    # the model's validators then check the iD itself.
    orcid = forms.CharField(
        label=_("ORCID iD"),
        max_length=60,
        required=False,
        help_text=_("Like 0000-0002-1825-0097."),
    )

    class Meta:
        model = ProfileChange
        # What a member may propose is defined once, on the model.
        fields = [*ProfileChange.PERSON_FIELDS, "remove_photo"]
        help_texts = {
            "bio": _("Plain text, at most 3,000 characters. A blank line starts a paragraph."),
            "photo_alt": _("What the photo shows, for people who cannot see it."),
            "is_public": _("A private profile is hidden from everyone but the secretariat."),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8, "maxlength": 3000}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
            "email_visibility": forms.RadioSelect,
        }

    def clean_orcid(self):
        # People paste the full address; keep the iD.
        value = self.cleaned_data["orcid"].strip()
        return value.removeprefix("https://orcid.org/").removeprefix("http://orcid.org/")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and cleaned.get("remove_photo"):
            self.add_error("remove_photo", _("Either send a new photo or remove it, not both."))
        return cleaned


class ProfileLinkForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=80, required=False)
    url = forms.URLField(label=_("Web address"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("url") and not cleaned.get("label"):
            self.add_error("label", _("Give the link a label, like 'Staff page'."))
        if cleaned.get("label") and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", _("Give the link's web address."))
        return cleaned


class BaseProfileLinkFormSet(forms.BaseFormSet):
    def links(self):
        """The filled-in links, in order."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("label") and form.cleaned_data.get("url")
        ]


MAX_PROFILE_LINKS = 5
ProfileLinkFormSet = forms.formset_factory(
    ProfileLinkForm,
    formset=BaseProfileLinkFormSet,
    extra=0,
    min_num=MAX_PROFILE_LINKS,
    max_num=MAX_PROFILE_LINKS,
    absolute_max=MAX_PROFILE_LINKS,
    validate_max=True,
)


class ReviewForm(forms.Form):
    """The secretariat's decision on a member's changes."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("Message to the member (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
