"""The pages a person sees when something goes wrong: 400, 403, 404, 500 and a refused CSRF
token, in the visitor's language (Vietnamese first), never Django's English defaults or its
debug page. Under /api/ the same errors answer in the API's JSON error shape instead."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

# A 500 page that needs nothing that might itself be failing: no database, no template.
FALLBACK_500 = (
    '<!doctype html><html lang="vi"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Lỗi máy chủ · Làng Số</title><h1>Đã có lỗi ở máy chủ</h1>"
    "<p>Yêu cầu của bạn chưa được thực hiện. Xin thử lại sau ít phút.</p>"
    '<p><a href="/">Về trang chủ</a></p></html>'
)


def error_page(
    request: HttpRequest, status: int, code: str, title: str, detail: str
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": detail}, status=status)
    body = loader.render_to_string(
        "core/error.html", {"title": title, "detail": detail, "code": code}, request
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        400,
        "core.bad_request",
        _("Yêu cầu không hợp lệ"),
        _("Máy chủ không hiểu yêu cầu này. Xin kiểm tra lại địa chỉ hoặc biểu mẫu."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        403,
        "core.forbidden",
        _("Không có quyền truy cập"),
        _("Tài khoản của bạn không được phép xem hoặc làm việc này."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        404,
        "core.not_found",
        _("Không tìm thấy trang"),
        _("Trang bạn tìm không có hoặc đã được chuyển đi."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "core.server_error", "detail": _("Lỗi máy chủ. Xin thử lại sau.")}, status=500
        )
    body: str
    try:
        body = loader.render_to_string(
            "core/error_500.html",
            {"title": _("Đã có lỗi ở máy chủ")},
        )
    except Exception:
        body = FALLBACK_500
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(
        request,
        403,
        "core.csrf_failed",
        _("Biểu mẫu đã hết hạn"),
        _(
            "Biểu mẫu này đã quá hạn hoặc không đến từ trang của Làng Số. "
            "Xin tải lại trang rồi gửi lại."
        ),
    )
