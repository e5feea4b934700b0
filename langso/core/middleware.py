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
