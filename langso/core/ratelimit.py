"""A small rate limiter: fixed one-minute windows counted in the Django cache.

One atomic `cache.incr` per limited request, no database. The key is the scope, the client
address and the window number, so old windows expire by themselves::

    @rate_limit("procedures.track", per_minute=20, methods=("POST",))
    def track(request): ...

The limit of a scope can be changed without code in settings::

    LANGSO_RATE_LIMITS = {"procedures.track": 10, "auth.login": 0}   # 0 switches it off

Beyond the limit the view is not called: the answer is 429 with a `Retry-After` header, a
Vietnamese page for a browser, or `{"code": "core.rate_limited", "detail": ...}` for the API
(paths under /api/ or requests that accept JSON). `LANGSO_RATE_LIMIT_ENABLED = False` turns
every limit off (the test settings do so; the limiter's own tests turn it back on).

Client address: REMOTE_ADDR. Behind reverse proxies set `LANGSO_TRUSTED_PROXY_COUNT` to the
number of proxies that each append to X-Forwarded-For (1 for one nginx); the address that
the outermost trusted proxy saw is then used. Never trust X-Forwarded-For without a proxy in
front: anyone can write it and would get a fresh counter per request. The same `client_ip`
is the address of django-axes' lockouts (AXES_CLIENT_IP_CALLABLE) and of the audit log, so
one setting decides it everywhere.

The cache must be shared by the application's processes (Redis in production); with the
per-process local-memory cache each worker counts on its own, so the effective limit is
multiplied by the number of workers.
"""

from __future__ import annotations

import ipaddress
import json
import math
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

WINDOW_SECONDS = 60

clock: Callable[[], float] = time.time  # replaced by a fake clock in tests


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind LANGSO_TRUSTED_PROXY_COUNT proxies,
    the address the outermost trusted proxy received the request from."""
    return client_ip_of(request.META)


def client_address(request) -> str | None:
    """client_ip, or None when the request has no address at all (django-axes and the audit
    log store it in an IP address column)."""
    address = client_ip(request)
    return None if address == "unknown" else address


def client_ip_of(meta) -> str:
    """client_ip from a request's META or a WSGI environ."""
    proxies = int(getattr(settings, "LANGSO_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [
            part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return meta.get("REMOTE_ADDR", "") or "unknown"


def _is_address(text: str) -> bool:
    """An IP address (what a proxy appends); anything else is not trusted as one."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def limit_for(scope: str, default: int) -> int:
    return int(getattr(settings, "LANGSO_RATE_LIMITS", {}).get(scope, default))


def hit(scope: str, key: str, *, per_minute: int) -> int:
    """Count one request of `key` in `scope`; returns 0 if allowed, otherwise the seconds to
    wait before the window resets."""
    if per_minute <= 0 or not getattr(settings, "LANGSO_RATE_LIMIT_ENABLED", True):
        return 0
    now = clock()
    window = int(now // WINDOW_SECONDS)
    cache = caches[getattr(settings, "LANGSO_RATE_LIMIT_CACHE", "default")]
    cache_key = f"rl:{scope}:{key}:{window}"
    try:
        count = cache.incr(cache_key)
    except ValueError:  # first request of the window
        if cache.add(cache_key, 1, timeout=WINDOW_SECONDS + 5):
            count = 1
        else:  # another request created it in between
            count = cache.incr(cache_key)
    if count <= per_minute:
        return 0
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def too_many_requests(request, retry_after: int) -> HttpResponse:
    detail = _(
        "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau %(seconds)s giây."
    ) % {"seconds": retry_after}
    if request.path.startswith("/api/") or "application/json" in request.META.get(
        "HTTP_ACCEPT", ""
    ):
        response = HttpResponse(
            json.dumps({"code": "core.rate_limited", "detail": detail}, ensure_ascii=False),
            status=429,
            content_type="application/json",
        )
    else:
        response = render(request, "core/rate_limited.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def check_rate(request, scope: str, *, per_minute: int) -> HttpResponse | None:
    """For code that cannot use the decorator: None when allowed, else the 429 response."""
    wait = hit(scope, client_ip(request), per_minute=limit_for(scope, per_minute))
    return too_many_requests(request, wait) if wait else None


def rate_limit(scope: str, *, per_minute: int, methods: Iterable[str] | None = None):
    """Limit a view (function view or Ninja operation) to `per_minute` requests per client
    address; only `methods` are counted when given (e.g. POST of a form, not its GET)."""
    counted = {m.upper() for m in methods} if methods else None

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if counted is None or request.method in counted:
                refused = check_rate(request, scope, per_minute=per_minute)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class _LocalCounts:
    """Per-process fixed windows, for pages served from the cache in about a millisecond,
    where a counter in Redis would cost as much as the page itself (the trace scan page).
    Each worker counts on its own, so the limit is per worker; counts are approximate
    under threads (no lock: an extra request or two may pass)."""

    def __init__(self) -> None:
        self.window = -1
        self.counts: dict[tuple[str, str], int] = {}

    def hit(self, scope: str, key: str, *, per_minute: int) -> int:
        if per_minute <= 0 or not getattr(settings, "LANGSO_RATE_LIMIT_ENABLED", True):
            return 0
        now = clock()
        window = int(now // WINDOW_SECONDS)
        if window != self.window:
            self.window, self.counts = window, {}
        count = self.counts.get((scope, key), 0) + 1
        self.counts[(scope, key)] = count
        if count <= per_minute:
            return 0
        return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


_local_counts = _LocalCounts()


def local_rate_allows(meta, scope: str, *, per_minute: int) -> bool:
    """Count one request in this process (see _LocalCounts); False beyond the limit."""
    return not _local_counts.hit(scope, client_ip_of(meta), per_minute=limit_for(scope, per_minute))


def check_local_rate(request, scope: str, *, per_minute: int) -> HttpResponse | None:
    """Like check_rate, counted in this process only (see _LocalCounts)."""
    wait = _local_counts.hit(scope, client_ip(request), per_minute=limit_for(scope, per_minute))
    return too_many_requests(request, wait) if wait else None
