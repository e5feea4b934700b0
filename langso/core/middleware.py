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
                "code": "csrf_failed",
                "detail": _(
                    "Thiếu mã chống giả mạo (CSRF). Tải lại trang rồi thử lại, hoặc dùng khóa API."
                ),
            },
            status=403,
        )
