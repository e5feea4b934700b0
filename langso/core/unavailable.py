"""503 instead of a traceback while the database or the cache is unreachable.

When PostgreSQL restarts (or Redis goes away) every request that touches it raises
OperationalError / InterfaceError (or redis' ConnectionError). Without this middleware
Django answers 500 and logs a full traceback per request. With it, the visitor gets a short
Vietnamese page (the API a JSON error with the stable code `core.service_unavailable`), status
503 and a Retry-After header, and the log gets one warning line (at most one every few
seconds per process, with the number of requests refused since the last line).

Nothing here reconnects: Django drops a broken connection at the end of the request
(`close_old_connections` with CONN_HEALTH_CHECKS) and opens a fresh one on the next, so the
site comes back by itself as soon as the database does.
"""

import logging
import sys
import threading
import time

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger("langso.unavailable")

RETRY_AFTER_SECONDS = 10
LOG_EVERY_SECONDS = 5.0


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:  # the cache client is only installed where Redis is used
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        pass
    else:
        errors += [RedisConnectionError, RedisTimeoutError]
    return tuple(errors)


UNAVAILABLE_ERRORS = _unavailable_errors()


class _Throttle:
    """One log line per interval per process; counts what it kept quiet about."""

    def __init__(self, interval: float):
        self.interval = interval
        self.lock = threading.Lock()
        self.last = float("-inf")
        self.suppressed = 0

    def should_log(self) -> tuple[bool, int]:
        with self.lock:
            now = time.monotonic()
            if now - self.last >= self.interval:
                self.last, suppressed, self.suppressed = now, self.suppressed, 0
                return True, suppressed
            self.suppressed += 1
            return False, 0


_throttle = _Throttle(LOG_EVERY_SECONDS)


def is_unavailable_error(exc: BaseException) -> bool:
    return isinstance(exc, UNAVAILABLE_ERRORS)


def unavailable_response(request) -> HttpResponse:
    """The 503 answer. Touches neither the database nor the cache (no context processors,
    no session, no template that reads request.user)."""
    message = _("Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "core.service_unavailable", "detail": message},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        title = _("Tạm gián đoạn")
        response = HttpResponse(
            '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} · Làng Số</title></head>"
            "<body>"  # no style attribute: the Content-Security-Policy refuses inline styles
            f"<h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Our warning is the log line; Django would add an error line per request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _log(request, exc: BaseException) -> None:
    should, suppressed = _throttle.should_log()
    if should:
        logger.warning(
            "service unavailable (%s: %s) on %s %s; %d similar requests since the last line",
            type(exc).__name__,
            str(exc).strip().splitlines()[0] if str(exc) else "",
            request.method,
            request.path,
            suppressed,
        )


def _remember_exception(sender, request=None, **kwargs) -> None:
    exc = sys.exc_info()[1]
    if request is not None and exc is not None and is_unavailable_error(exc):
        request._langso_unavailable = exc


class ServiceUnavailableMiddleware:
    """Put it first in MIDDLEWARE. process_exception answers for what the views raise (the
    usual case: the first query fails). What another middleware raises (e.g. the session
    saved on the way out) Django has already turned into a 500 (and logged) before it gets
    here; the got_request_exception signal tells us why, and the 500 becomes the 503."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_remember_exception, dispatch_uid="langso.core.unavailable")

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, "_langso_unavailable", None)
        if response.status_code == 500 and exc is not None:
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if not is_unavailable_error(exception):
            return None
        _log(request, exception)
        return unavailable_response(request)
