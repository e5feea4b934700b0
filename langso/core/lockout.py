"""Failed sign-ins counted per account, across addresses (password spraying, a botnet
guessing one official's password from many addresses).

django-axes locks a user name *from one address* after 5 failures (config/settings/base.py);
an attacker with many addresses gets 5 guesses per address. Here every failure for a user
name is also counted whatever its address, and after `LANGSO_ACCOUNT_FAILURE_LIMIT` (20) in
`LANGSO_ACCOUNT_LOCK_SECONDS` (15 minutes, counted from the first failure) the account
refuses every sign-in, the right password included, until the period ends: the axes lockout
page (429) is shown. The limit is higher than axes' so that one person mistyping cannot lock
their own account for everyone, and a lock lasts only the period, which bounds how long an
attacker can keep an official out.

The counter lives in the cache (Redis in production, shared by the workers), keyed by a hash
of the lower-cased user name; no database row, no user name in the key.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver


def failure_limit() -> int:
    return int(getattr(settings, "LANGSO_ACCOUNT_FAILURE_LIMIT", 20))


def lock_seconds() -> int:
    return int(getattr(settings, "LANGSO_ACCOUNT_LOCK_SECONDS", 15 * 60))


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"lockout:account:{digest}"


def failures(username: str) -> int:
    return int(cache.get(_key(username), 0) or 0) if username else 0


def is_locked(username: str) -> bool:
    limit = failure_limit()
    return limit > 0 and failures(username) >= limit


@receiver(user_login_failed, dispatch_uid="langso.core.lockout.count")
def count_failure(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username") or ""
    if not username or failure_limit() <= 0:
        return
    key = _key(username)
    if not cache.add(key, 1, timeout=lock_seconds()):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, timeout=lock_seconds())


class AccountLockoutBackend:
    """First authentication backend: refuses a locked account before any password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked(username):
            if request is not None:
                request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
            raise PermissionDenied
        return None

    # No get_user: this backend never signs anybody in (and Django's test client's
    # force_login picks the first backend that has one).
