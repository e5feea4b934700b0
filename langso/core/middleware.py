from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from .request_context import RequestOrigin, current_origin


def _client_ip(request) -> str | None:
    from .ratelimit import client_address

    return client_address(request)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = RequestOrigin(
            ip_address=_client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        )
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose another language with the switch (cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a cheap phone
    set to English would get English pages; the product is Vietnamese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class ApiCsrfMiddleware:
    """CSRF for every write to the API made with a signed-in browser session.

    ninja marks its views csrf_exempt and checks CSRF only in its cookie authentication
    (`django_auth`); operations that declare `auth=None` or no auth and read `request.user`
    themselves (the procedures API, feedback and survey answers of a signed-in resident)
    would otherwise take a cross-site form post, `text/plain` included, as the user. Here a
    POST/PUT/PATCH/DELETE under /api/ whose session holds a signed-in user needs Django's CSRF
    token whatever its content type. API-key and station-token clients carry no session, so
    nothing changes for them; anonymous calls carry no ambient credential to forge.
    """

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.SAFE_METHODS or not request.path_info.startswith("/api/"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is None:
            return None
        return JsonResponse(
            {
                "code": "core.csrf_failed",
                "detail": _(
                    "Thiếu mã chống giả mạo (CSRF). Tải lại trang rồi thử lại, hoặc dùng khóa API."
                ),
            },
            status=403,
        )


class InputIntegrityMiddleware:
    """Refuse with 414 a query string longer than limits.QUERY_LIMIT, and with 400 a request
    whose path, query string or body holds a NUL character or bytes that are not UTF-8,
    before any view sees it.

    Django decodes such bytes without complaint (invalid UTF-8 becomes U+FFFD, %00 a NUL),
    and PostgreSQL then refuses a NUL in any text value: the request would end in a 500.
    Forms refuse NUL themselves (ProhibitNullCharactersValidator); API schemas and query
    parameters do not, so the check is done once here. Linear in the request: one pass over
    the query string and, for a body that is not multipart (already capped per route by
    RequestSizeLimitMiddleware), over the body; multipart text parts are checked after
    Django has parsed them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .limits import QUERY_LIMIT

        if len(request.META.get("QUERY_STRING", "")) > QUERY_LIMIT:
            return _invalid_input(request, too_long=QUERY_LIMIT)
        if not _clean_input(request):
            return _invalid_input(request)
        return self.get_response(request)


def _decodes(raw: bytes) -> bool:
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean_input(request) -> bool:
    from urllib.parse import unquote_to_bytes

    if "\x00" in request.path:
        return False
    query = request.META.get("QUERY_STRING", "")
    if query:
        try:  # WSGI hands the raw bytes over as latin-1
            raw = query.encode("latin-1")
        except UnicodeEncodeError:
            raw = query.encode("utf-8")
        if not _decodes(unquote_to_bytes(raw.replace(b"+", b" "))):
            return False
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    # A malformed or too large body raises here, and Django answers it with a 400 as it
    # would in the view (the body can be read only once).
    if content_type.startswith("multipart/"):
        values = [v for values in request.POST.lists() for v in values[1]]
        return not any("\x00" in v for v in values)
    body = request.body
    if not body:
        return True
    if content_type.startswith("application/x-www-form-urlencoded"):
        return _decodes(unquote_to_bytes(body.replace(b"+", b" ")))
    if "json" in content_type or not content_type or content_type.startswith("text/"):
        # JSON may also spell NUL as an escape
        return _decodes(body) and b"\\u0000" not in body
    if content_type.startswith("application/xml"):
        return b"\x00" not in body
    return True  # binary content is its view's to judge


def _invalid_input(request, *, too_long: int = 0):
    import json

    from django.http import HttpResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    if too_long:
        detail = _("Địa chỉ yêu cầu quá dài (tối đa %(max)s ký tự sau dấu ?).") % {"max": too_long}
        code, status = "core.query_too_long", 414
    else:
        detail = _(
            "Dữ liệu gửi lên có ký tự không hợp lệ (ký tự rỗng NUL hoặc không phải mã UTF-8). "
            "Vui lòng nhập lại nội dung."
        )
        code, status = "core.invalid_characters", 400
    if request.path.startswith("/api/") or "application/json" in request.META.get(
        "HTTP_ACCEPT", ""
    ):
        return HttpResponse(
            json.dumps({"code": code, "detail": detail}, ensure_ascii=False),
            status=status,
            content_type="application/json",
        )
    return render(
        request,
        "core/error.html",
        {"title": _("Dữ liệu không hợp lệ"), "detail": detail, "code": code},
        status=status,
    )
