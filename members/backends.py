"""Members sign in with their e-mail address and password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Authenticates by e-mail address (case-insensitive) and password.

    An address held by more than one account signs in none of them: which one was meant
    cannot be told. Unknown addresses cost the same password hashing as known ones,
    so timing does not reveal which addresses have accounts.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None or "@" not in username:
            return None
        user_model = get_user_model()
        users = list(user_model._default_manager.filter(email__iexact=username.strip())[:2])
        if len(users) != 1:
            # Hash anyway, as ModelBackend does for unknown usernames.
            user_model().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
