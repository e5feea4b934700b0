"""The one NinjaAPI; each app contributes a router from its api.py."""

from importlib import import_module

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError

from langso.core.exceptions import DomainError

api = NinjaAPI(
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


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(
        request, {"code": f"http_{exc.status_code}", "detail": str(exc)}, status=exc.status_code
    )


API_APPS = [
    "people", "places", "procedures", "documents", "economy", "trace", "society", "engage",
    "monitor",
]
for _app in API_APPS:
    _module = import_module(f"langso.{_app}.api")
    if getattr(_module, "router", None) is not None:
        api.add_router(f"/{_app}/", _module.router)

__all__ = ["_", "api"]
