"""How long a sign-in lasts: short for officials, long for residents.

An official's session opens personal data of a whole commune, often on a shared office
computer, so it ends after `LANGSO_OFFICIAL_SESSION_IDLE_SECONDS` without a request (30
minutes) and, however active, `LANGSO_OFFICIAL_SESSION_MAX_SECONDS` after the sign-in (12
hours). Residents and producers keep Django's `SESSION_COOKIE_AGE` (two weeks) on their own
phones.

Whether a session is short is decided once, at sign-in (`user_logged_in`, which every way in
sends: the login form, single sign-on, the admin), and kept in the session: checking it costs
no query per request. The last-seen time is written back at most once a minute, so an active
official's session row is not rewritten on every request. The absolute end is also the
session's own expiry (cookie and database row), so an expired session is gone even if the
middleware never sees it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

LOGIN_AT = "_langso_login_at"
SEEN_AT = "_langso_seen_at"
SHORT = "_langso_short_session"
SEEN_WRITE_SECONDS = 60
# Roles that do not make a session short: people acting for themselves (people.Role values).
LONG_SESSION_ROLES = frozenset({"resident", "producer"})

clock: Callable[[], float] = time.time  # replaced by a fake clock in tests


def idle_limit() -> int:
    return int(getattr(settings, "LANGSO_OFFICIAL_SESSION_IDLE_SECONDS", 30 * 60))


def total_limit() -> int:
    return int(getattr(settings, "LANGSO_OFFICIAL_SESSION_MAX_SECONDS", 12 * 3600))


def has_short_session(user) -> bool:
    """Staff, superusers and holders of any role other than resident or producer."""
    from .models import RoleAssignment

    if user.is_staff or user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user).exclude(role__in=LONG_SESSION_ROLES).exists()


def start_session(session, user) -> None:
    now = int(clock())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[SHORT] = has_short_session(user)
    if session[SHORT]:
        session.set_expiry(timedelta(seconds=total_limit()))


@receiver(user_logged_in, dispatch_uid="langso.people.sessions.start")
def _on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_session(request.session, user)


class SessionLimitMiddleware:
    """Ends an official's session after the idle or total limit (after AuthenticationMiddleware
    and MessageMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> None:
        session = request.session
        if SHORT not in session:  # signed in before this rule existed
            start_session(session, request.user)
            return
        if not session[SHORT]:
            return
        now = clock()
        seen, login_at = session.get(SEEN_AT, 0), session.get(LOGIN_AT, 0)
        if now - seen > idle_limit() or now - login_at > total_limit():
            logout(request)
            messages.info(
                request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại để tiếp tục.")
            )
        elif now - seen >= SEEN_WRITE_SECONDS:
            session[SEEN_AT] = int(now)
