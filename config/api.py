"""The one NinjaAPI; each app contributes a router from its api.py."""

from importlib import import_module

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from langso.core import limits
from langso.core.exceptions import DomainError
from langso.core.schemas import ERROR_CODE_DESCRIPTION, ERROR_CODE_PATTERN

# Every operation can answer these through the handlers below, whatever its own decorator
# declares; the schema says so, with one shared body {code, detail} (see `_declare_errors`).
ERROR_STATUSES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    # answered by middleware before the operation: a body over the route's cap, a query string
    # over limits.QUERY_LIMIT (langso/core/uploads.py, langso/core/middleware.py)
    413: "Request body too large",
    414: "Query string too long",
    415: "A form body sent where JSON is expected",
    422: "Invalid input",
    429: "Too many requests",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "detail"],
    "properties": {
        # `<app>.<reason>` (docs/adr/0012-error-codes.md), as langso.core.schemas.ErrorOut says
        "code": {
            "type": "string",
            "title": "Code",
            "description": ERROR_CODE_DESCRIPTION,
            "pattern": ERROR_CODE_PATTERN,
        },
        "detail": {"type": "string", "title": "Detail"},
    },
}


def _declare_errors(schema: dict) -> dict:
    """Add the shared error responses each operation does not declare itself (401 only where
    the operation needs authentication)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            statuses = dict(ERROR_STATUSES)
            if operation.get("security"):
                statuses[401] = "Not signed in"
            for status, text in statuses.items():
                responses.setdefault(status, {"description": text, **ref})
    return schema


class LangSoAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return _declare_errors(super().get_openapi_schema(*args, **kwargs))


api = LangSoAPI(
    title="Làng Số API",
    version="1",
    description="API of Làng Số, the digital village platform. Errors carry a stable `code`.",
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"code": exc.code, "detail": exc.message}, status=exc.http_status
    )


@api.exception_handler(RawPostDataException)
def body_already_read(request, exc: RawPostDataException):
    # a form (multipart) body sent to an operation that reads JSON: the form was parsed
    # first (CSRF, input checks), so the raw body is gone; say what the operation takes
    return api.create_response(
        request,
        {
            "code": "core.unsupported_media_type",
            "detail": _("Thao tác này nhận dữ liệu JSON (Content-Type: application/json)."),
        },
        status=415,
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(
        request,
        {"code": f"core.http_{exc.status_code}", "detail": str(exc)},
        status=exc.status_code,
    )


def _app_of(request) -> str:
    """The app whose router answered, for `<app>.<reason>` codes; core outside them."""
    parts = request.path.split("/")
    return parts[2] if len(parts) > 2 and parts[1] == "api" and parts[2] in API_APPS else "core"


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    too_long = [e for e in exc.errors if e.get("type") == "string_too_long"]
    if too_long:
        # one stable code for text over its limit (langso.core.limits), said in Vietnamese
        error = too_long[0]
        field = str(error.get("loc", ("",))[-1])
        return api.create_response(
            request,
            {
                "code": f"{_app_of(request)}.text_too_long",
                "detail": limits.too_long_message(
                    _("trường “%(field)s”") % {"field": field},
                    int(error.get("ctx", {}).get("max_length", 0)),
                ),
                "errors": exc.errors,
            },
            status=422,
        )
    reasons = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors
    )
    return api.create_response(
        request,
        {
            "code": "core.validation_error",
            "detail": _("Dữ liệu không hợp lệ: %(reasons)s") % {"reasons": reasons},
            "errors": exc.errors,
        },
        status=422,
    )


@api.exception_handler(DjangoValidationError)
def model_validation_error(request, exc: DjangoValidationError):
    # full_clean() in an action refused a value the schema let through
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    codes = {
        error.code
        for errors in getattr(exc, "error_dict", {"": getattr(exc, "error_list", [])}).values()
        for error in errors
    }
    reason = "max_length" in codes and len(codes) == 1
    detail = "; ".join(
        (f"{field}: " if field and field != "__all__" else "") + " ".join(texts)
        for field, texts in messages.items()
    )
    return api.create_response(
        request,
        {
            # as langso/core/validation.py names a refused model
            "code": f"{_app_of(request)}.{'text_too_long' if reason else 'invalid'}",
            "detail": detail,
        },
        status=422,
    )


@api.exception_handler(RecursionError)
def too_deep(request, exc: RecursionError):
    # a JSON document nested deeper than Python's stack (EPCIS capture, DHIS2 import)
    return api.create_response(
        request,
        {"code": "core.too_deep", "detail": _("Dữ liệu lồng nhau quá sâu.")},
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(
        request, {"code": "core.not_found", "detail": _("Không tìm thấy.")}, status=404
    )


@api.exception_handler(OverflowError)
def out_of_range(request, exc: OverflowError):
    # SQLite refuses integers past 64 bits in a query: a number the client made too large.
    return api.create_response(
        request, {"code": "core.out_of_range", "detail": _("Giá trị số quá lớn.")}, status=422
    )


API_APPS = [
    "people",
    "places",
    "procedures",
    "documents",
    "economy",
    "trace",
    "society",
    "engage",
    "monitor",
]
for _app in API_APPS:
    _module = import_module(f"langso.{_app}.api")
    if getattr(_module, "router", None) is not None:
        api.add_router(f"/{_app}/", _module.router)

__all__ = ["_", "api"]
