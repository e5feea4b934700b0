"""One place where a refused domain rule becomes a page: a `DomainError` that a view lets
through is shown as the Vietnamese error page with its message and stable code, at the
error's own HTTP status (403 for "not allowed", 404 for "not found", 400/409/422 for the
rest), never a 500. The API has its own handler with the same code and message
(config/api.py); views may still catch an error to re-show a form."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .error_pages import error_page
from .exceptions import DomainError

TITLES = {
    403: _("Không có quyền truy cập"),
    404: _("Không tìm thấy trang"),
    409: _("Dữ liệu đã thay đổi"),
}


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        status = int(getattr(exception, "http_status", 400) or 400)
        title = TITLES.get(status, _("Không thực hiện được"))
        return error_page(request, status, exception.code, str(title), exception.message)
