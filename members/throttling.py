"""Sign-in throttling around django-axes: per address, and per account without lock-outs.

- Per address and name (axes): AXES_FAILURE_LIMIT failures of one name from one address
  lock that pair for AXES_COOLOFF_MINUTES.
- Per address, across names (axes): the same number of failures from one address,
  whatever names were tried (password spraying), lock the address.
- Per account, across addresses (here): after ACCOUNT_SLOWDOWN_AFTER failures within the
  cool-off period, from anywhere, the account takes at most one attempt every
  ACCOUNT_SLOWDOWN_SECONDS. It slows a distributed guesser down without letting a
  stranger lock the owner out: the right password still works once the pause is over.

An account has one budget whether it is named by its admin username or its e-mail
address: `axes_username` turns either into the account's username before axes counts.
"""

import datetime
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.utils import timezone


def _account_username(name):
    user_model = get_user_model()
    manager = user_model._default_manager
    user = manager.filter(**{user_model.USERNAME_FIELD: name}).first()
    if user is None and "@" in name:
        users = list(manager.filter(email__iexact=name)[:2])
        # An address held by two accounts signs in neither (EmailBackend): its own count.
        user = users[0] if len(users) == 1 else None
    return user.get_username() if user is not None else name.lower()


def axes_username(request, credentials):
    """The name django-axes counts failures against: the account's username when the
    name tried (username or e-mail address, any case) is an account's, otherwise the
    name trimmed and lower-cased. Memoised on the request (axes asks several times)."""
    name = ((credentials or {}).get("username") or request.POST.get("username", "")).strip()
    memo = request.__dict__.setdefault("_axes_usernames", {})
    if name not in memo:
        memo[name] = _account_username(name) if name else ""
    return memo[name]


class AxesHandler(AxesDatabaseHandler):
    """axes' database handler, whose reset after a successful sign-in clears only that
    account's failures from that address.

    axes' own reset deletes every record matching any lockout parameter: with the
    per-address limit, signing in to one's own account would wipe the address's failures
    on every other name, and a sprayer holding one account could spray for ever.
    """

    def reset_user_attempts(self, request, credentials=None):
        count, _ = AccessAttempt.objects.filter(
            username=axes_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def account_pause(username, now=None):
    """Seconds `username` must still wait before its next attempt (0: none)."""
    now = now or timezone.now()
    window = settings.AXES_COOLOFF_TIME or datetime.timedelta(minutes=30)
    totals = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - window)
    totals = totals.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < settings.ACCOUNT_SLOWDOWN_AFTER:
        return 0
    waited = (now - totals["last"]).total_seconds()
    return max(0, math.ceil(settings.ACCOUNT_SLOWDOWN_SECONDS - waited))


class AccountSlowdownBackend:
    """Refuses an attempt on an account that must still wait (see the module docstring).

    After AxesStandaloneBackend, before the backends that check passwords: a refused
    attempt checks no password, and is answered by the lockout page (429) saying how
    long to wait; it is not counted as one more failure, so waiting always works.
    It signs nobody in, so it has no `get_user` (the test client's `force_login` takes
    the first backend that has one).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        pause = account_pause(axes_username(request, {"username": username}))
        if pause:
            request.account_pause_seconds = pause
            # axes then answers with its lockout page and records nothing
            # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off).
            request.axes_locked_out = True
            raise PermissionDenied
        return None
