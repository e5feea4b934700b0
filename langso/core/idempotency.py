"""Exactly-once creates: a repeated submission gets the first answer instead of a second row.

A form page renders a one-time `submission_token` (`{% submission_token %}` from
`core_forms`); the view wraps its create in `form_once(request, scope, create)`, where
`create` calls the action and returns the URL of what it made. The first request runs it and
keeps the URL; a repeat with the same token (F5 on the receipt, a double click, back and
resubmit) runs nothing and is sent to the same URL. Views answer with a redirect
(post/redirect/get), so reloading the receipt is a GET.

An API operation takes `@idempotent("app.scope")` (under `@router.post`). A request with an
`Idempotency-Key` header runs once per (credential, key): a repeat with the same body gets the
first answer again (status, body and headers, plus `Idempotent-Replayed: true`); a repeat
with another body is refused with 422 `core.idempotency_key_reused`. Only successful answers
are kept: after a refusal the client may correct the request and send it with the same key.

Why this is safe under concurrency: the `IdempotencyRecord` row is inserted *first*, in the
same transaction as the create, under a unique (scope, owner, key) constraint. A concurrent
duplicate blocks on that insert (PostgreSQL's unique index; SQLite's single writer) until the
first transaction ends, then fails with an IntegrityError and replays the committed answer; if
the first one rolled back, the duplicate's insert succeeds and it runs the create itself.

Keys are scoped to their owner (the signed-in user, the API credential, or else the browser's
CSRF cookie or address), so one client cannot replay another's answer. Records older than
`TTL` no longer count; an owner's expired records are removed when it sends a new key, and
`purge_expired` removes all of them.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ValidationFailed
from .models import IdempotencyRecord
from .ratelimit import client_ip

T = TypeVar("T")

TTL = timedelta(hours=24)
SUBMISSION_FIELD = "submission_token"
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
# Headers of a kept API answer that describe the answer itself (not the connection or session).
_KEPT_HEADERS = ("Content-Type", "Location", "GS1-EPCIS-Version", "Link")


class IdempotencyKeyReused(ValidationFailed):
    code = "core.idempotency_key_reused"


class IdempotencyKeyInvalid(ValidationFailed):
    code = "core.idempotency_key_invalid"


@dataclass(frozen=True)
class Answer:
    """What a repeat of the request gets: an HTTP status, a body, and a few headers."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def _live(scope: str, owner: str, key: str) -> IdempotencyRecord | None:
    record = IdempotencyRecord.objects.filter(scope=scope, owner=owner, key=key).first()
    if record is not None and record.created_at < timezone.now() - TTL:
        record.delete()
        return None
    return record


def _replay(record: IdempotencyRecord, fingerprint: str) -> Answer:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _(
                "Khoá chống gửi trùng (Idempotency-Key) này đã được dùng cho một yêu cầu khác. "
                "Hãy dùng khoá mới cho mỗi yêu cầu mới."
            )
        )
    return Answer(record.status, record.body, dict(record.headers))


def once(
    *,
    scope: str,
    owner: str,
    key: str,
    fingerprint: str,
    run: Callable[[], tuple[T, Answer | None]],
) -> T | Answer:
    """Run `run` once for (scope, owner, key) and return its value; a repeat returns the
    kept `Answer` instead. `run` returns its value and the answer to keep (None keeps
    nothing, so a repeat runs again). Raises IdempotencyKeyReused when the key was used with
    another fingerprint."""
    record = _live(scope, owner, key)
    if record is not None:
        return _replay(record, fingerprint)
    try:
        with transaction.atomic():
            # this owner's expired keys go as new ones come (the unique index finds them)
            IdempotencyRecord.objects.filter(
                scope=scope, owner=owner, created_at__lt=timezone.now() - TTL
            ).delete()
            record = IdempotencyRecord.objects.create(
                scope=scope, owner=owner, key=key, fingerprint=fingerprint
            )
            value, answer = run()
            if answer is None:
                record.delete()
            else:
                record.status = answer.status
                record.body = answer.body
                record.headers = answer.headers
                record.save(update_fields=["status", "body", "headers"])
    except IntegrityError:
        # Another request with this key committed first: answer as it did.
        record = _live(scope, owner, key)
        if record is None:
            raise
        return _replay(record, fingerprint)
    return value


def purge_expired() -> int:
    """Remove records older than TTL; returns how many."""
    deleted, _counts = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - TTL
    ).delete()
    return deleted


# --- owners -------------------------------------------------------------------------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:40]


def request_owner(request: HttpRequest) -> str:
    """Who a key belongs to: the signed-in user, else this browser (its CSRF cookie), else
    its address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if cookie:
        return f"browser:{_digest(cookie)}"
    return f"ip:{_digest(client_ip(request))}"


def api_owner(request: HttpRequest) -> str:
    """The credential the request carries (API key or bearer token), else `request_owner`.
    Read from the headers because it runs before the operation authenticates; a wrong
    credential gets a 401 and nothing is kept."""
    for header in ("Authorization", "X-API-Key", "X-Station-Key"):
        value = request.headers.get(header, "")
        if value:
            return f"key:{_digest(value)}"
    return request_owner(request)


# --- forms --------------------------------------------------------------------------------


def new_submission_token() -> str:
    return str(uuid.uuid4())


def submission_token_of(request: HttpRequest) -> str:
    """The posted one-time token, or "" when the form carried none (or a malformed one)."""
    raw = request.POST.get(SUBMISSION_FIELD, "")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return ""


def form_once(request: HttpRequest, scope: str, create: Callable[[], str]) -> str:
    """Run `create` (which calls the action and returns the URL to show what it made) once
    per submission token and return that URL; a repeat of the token returns the first URL
    without calling `create`. Errors from `create` propagate and keep nothing."""
    token = submission_token_of(request)
    if not token:
        return create()

    def run() -> tuple[str, Answer]:
        location = create()
        return location, Answer(303, location)

    result = once(
        scope=f"form:{scope}", owner=request_owner(request), key=token, fingerprint="", run=run
    )
    return result.body if isinstance(result, Answer) else result


# --- API ----------------------------------------------------------------------------------


def _update(digest: Any, *parts: object) -> None:
    digest.update(json.dumps(parts, ensure_ascii=False, default=str).encode())
    digest.update(b"\x00")


def request_fingerprint(request: HttpRequest) -> str:
    """A hash of what the request asks for: method, path, query and body. Form bodies are
    compared by their fields and files' contents (a client's multipart boundary changes on
    every send); JSON by its parsed value (key order and spacing do not count)."""
    digest = hashlib.sha256()
    _update(digest, request.method, request.path, sorted(request.GET.lists()))
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        _update(digest, sorted(request.POST.lists()))
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                content = hashlib.sha256()
                for chunk in upload.chunks():
                    content.update(chunk)
                upload.seek(0)
                _update(digest, name, upload.name, content.hexdigest())
        return digest.hexdigest()
    body = request.body
    try:
        _update(digest, json.loads(body) if body else None)
    except (ValueError, RecursionError):
        digest.update(body)
    return digest.hexdigest()


def _kept(response: HttpResponse) -> tuple[HttpResponse, Answer | None]:
    if not 200 <= response.status_code < 300 or getattr(response, "streaming", False):
        return response, None
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    return response, Answer(response.status_code, response.content.decode(), headers)


def _error(exc: ValidationFailed) -> JsonResponse:
    return JsonResponse({"code": exc.code, "detail": exc.message}, status=exc.http_status)


def idempotent_view(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., Any]]:
    """Wrap a view-level callable (request, *args, **kwargs) -> HttpResponse so that requests
    carrying an `Idempotency-Key` run once (see the module docstring)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = request.headers.get(HEADER)
            if key is None:
                return view(request, *args, **kwargs)
            if not _KEY.fullmatch(key):
                return _error(
                    IdempotencyKeyInvalid(
                        _("Khoá Idempotency-Key phải gồm 1 đến 255 ký tự ASCII in được.")
                    )
                )
            try:
                result = once(
                    scope=f"api:{scope}",
                    owner=api_owner(request),
                    key=key,
                    fingerprint=request_fingerprint(request),
                    run=lambda: _kept(view(request, *args, **kwargs)),
                )
            except IdempotencyKeyReused as exc:
                return _error(exc)
            if isinstance(result, Answer):
                response = HttpResponse(result.body, status=result.status)
                for name, value in result.headers.items():
                    response[name] = value
                response[REPLAYED_HEADER] = "true"
                return response
            return result

        return wrapper

    return decorate


def idempotent(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`@idempotent("procedures.submit")` under `@router.post(...)`: the operation honours
    the `Idempotency-Key` header. It wraps the whole operation (authentication, parsing,
    error answers), so a replay is byte for byte the first answer."""
    from ninja.decorators import decorate_view
    from ninja.utils import contribute_operation_callback

    def decorate(op_func: Callable[..., Any]) -> Callable[..., Any]:
        contribute_operation_callback(op_func, _document_header)
        return decorate_view(idempotent_view(scope))(op_func)

    return decorate


IDEMPOTENCY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": (
        "Any unique string (a UUID) chosen by the client for this submission. A repeat with "
        "the same key and body gets the first answer again, with `Idempotent-Replayed: "
        "true`; the same key with another body is refused with 422 "
        "`core.idempotency_key_reused`. Keys are kept 24 hours."
    ),
}


def _document_header(operation: Any) -> None:
    """Declare the header in the operation's OpenAPI description."""
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), IDEMPOTENCY_PARAMETER]
    operation.openapi_extra = extra
