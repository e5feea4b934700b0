from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from langso.core import oidc
from langso.core.health import readiness
from langso.core.models import AuditAction
from langso.core.observability import metrics_allowed, render_metrics
from langso.core.ratelimit import rate_limit
from langso.people.audit_queries import audit_events_visible_to, can_read_audit_log
from langso.places.queries import home_commune

# The home page shows each service whose app provides the named URL.
SERVICE_LINKS = [
    ("procedures:catalogue", _("Dịch vụ công trực tuyến"), _("Nộp và theo dõi hồ sơ")),
    ("procedures:track", _("Tra cứu hồ sơ"), _("Theo mã biên nhận")),
    ("engage:announcements", _("Thông báo của xã"), _("Tin mới nhất")),
    ("engage:directory", _("Danh bạ cán bộ"), _("Số điện thoại, giờ làm việc")),
    ("engage:feedback_new", _("Phản ánh, kiến nghị"), _("Gửi ý kiến cho xã")),
    ("engage:surveys", _("Khảo sát"), _("Ý kiến về xây dựng nông thôn mới")),
    ("society:map", _("Bản đồ số"), _("Địa chỉ số, trường học, du lịch")),
    ("society:address_lookup", _("Tra cứu địa chỉ số"), _("Theo mã hoặc tên")),
    ("economy:market", _("Sản phẩm OCOP, chợ nông sản"), _("Kết nối cung cầu")),
    ("documents:verify", _("Kiểm tra văn bản ký số"), _("Xác thực chữ ký trên PDF")),
    ("monitor:commune_dashboard", _("Nông thôn mới"), _("Tiến độ các tiêu chí")),
    ("places:search", _("Đơn vị hành chính"), _("Tra cứu xã cũ, xã mới sau sáp nhập")),
]


def _resolved_links():
    links = []
    for name, title, hint in SERVICE_LINKS:
        try:
            links.append({"url": reverse(name), "title": title, "hint": hint})
        except NoReverseMatch:
            continue
    return links


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "site/home.html", {"commune": home_commune(), "links": _resolved_links()}
    )


@require_GET
def api_index(request: HttpRequest) -> HttpResponse:
    """/api/: where the API's documents are, for a person who opens it in a browser."""
    return render(request, "site/api_index.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: database, cache and (when tasks use the database queue) the worker."""
    ready, components = readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **components}, status=200 if ready else 503
    )


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for allowed addresses or the bearer token (docs/production.md)."""
    if not metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)


# Per address, on top of django-axes' lock of a username after 5 failures.
@method_decorator(rate_limit("auth.login", per_minute=20, methods=("POST",)), name="dispatch")
class LoginView(auth_views.LoginView):
    """Local accounts, with a button per configured single sign-on provider beside them."""

    template_name = "site/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = list(oidc.providers().values())
        context["sso_demo"] = oidc.demo_idp_enabled()
        return context


SSO_SESSION_KEY = "langso_sso"


def _login_page_with_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    from django.contrib.auth.forms import AuthenticationForm

    return render(
        request,
        "site/login.html",
        {
            "form": AuthenticationForm(request),
            "sso_providers": list(oidc.providers().values()),
            "sso_demo": oidc.demo_idp_enabled(),
            "sso_error": message,
            "next": "",
        },
        status=status,
    )


def _unknown_provider(request: HttpRequest, name: str) -> HttpResponse:
    """An address naming no configured provider: the login page, in Vietnamese, with 404."""
    return _login_page_with_error(
        request,
        _("Làng Số không có cách đăng nhập “%(name)s”. Hãy chọn một cách đăng nhập dưới đây.")
        % {"name": name[:40]},
        404,
    )


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _sso_refused(request: HttpRequest, error: oidc.SsoError) -> HttpResponse:
    response = _login_page_with_error(request, error.message, error.http_status)
    if isinstance(error, oidc.SsoUnavailable):
        response["Retry-After"] = str(error.retry_after)
    return response


@never_cache
@require_GET
def sso_start(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to the provider (authorization code flow with PKCE)."""
    chosen = oidc.get_provider(provider)
    if chosen is None:
        return _unknown_provider(request, provider)
    request.session[SSO_SESSION_KEY + "_next"] = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(reverse("sso_callback", args=[chosen.name]))
    try:
        return oidc.start_login(request, chosen, redirect_uri)
    except oidc.SsoError as exc:
        from langso.people.sso import record_sso_refusal

        record_sso_refusal(provider=chosen, code=exc.code)
        return _sso_refused(request, exc)


@never_cache
@require_GET
def sso_callback(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider sends the browser back here with a code; sign the mapped user in."""
    from langso.people.sso import record_sso_refusal, sign_in_external

    chosen = oidc.get_provider(provider)
    if chosen is None:
        return _unknown_provider(request, provider)
    try:
        login = oidc.finish_login(request, chosen)
    except oidc.SsoError as exc:
        record_sso_refusal(provider=chosen, code=exc.code)
        return _sso_refused(request, exc)
    try:
        user = sign_in_external(provider=chosen, login=login)
    except oidc.SsoError as exc:
        return _sso_refused(request, exc)
    next_url = request.session.pop(SSO_SESSION_KEY + "_next", "")
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SSO_SESSION_KEY] = {"provider": chosen.name, "id_token": login.id_token}
    return HttpResponseRedirect(_safe_next(request, next_url))


class LogoutView(auth_views.LogoutView):
    """Clear the local session; after a single sign-on, also end the provider's session
    (RP-initiated logout) when it has an end_session_endpoint."""

    def post(self, request, *args, **kwargs):
        sso = request.session.get(SSO_SESSION_KEY) or {}
        response = super().post(request, *args, **kwargs)
        provider = oidc.get_provider(sso.get("provider", ""))
        if provider is not None and sso.get("id_token"):
            url = oidc.logout_url(
                provider,
                id_token=sso["id_token"],
                post_logout_redirect_uri=request.build_absolute_uri(
                    resolve_url(settings.LOGOUT_REDIRECT_URL)
                ),
            )
            if url:
                return HttpResponseRedirect(url)
        return response


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log of the user's unit, for the commune leader and province officers."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied
    events = audit_events_visible_to(request.user)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    who = request.GET.get("who", "").strip()
    if who:
        events = events.filter(actor_repr__icontains=who)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "site/audit_log.html",
        {"page": page, "actions": AuditAction.choices, "action": action, "who": who},
    )
