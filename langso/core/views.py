from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from langso.people.demo import VO_TRANH_CODE
from langso.places.models import AdminUnit, Level, Structure

from .health import readiness
from .models import AuditAction
from .observability import metrics_allowed, render_metrics
from .queries import audit_events_visible_to, can_read_audit_log

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


def home_commune() -> AdminUnit | None:
    return (AdminUnit.objects.select_related("parent")
            .filter(structure=Structure.Y2025, level=Level.COMMUNE, code=VO_TRANH_CODE).first())


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"commune": home_commune(),
                                              "links": _resolved_links()})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: database, cache and (when tasks use the database queue) the worker."""
    ready, components = readiness()
    return JsonResponse({"status": "ok" if ready else "unavailable", **components},
                        status=200 if ready else 503)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for allowed addresses or the bearer token (docs/production.md)."""
    if not metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


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
    return render(request, "core/audit_log.html", {
        "page": page, "actions": AuditAction.choices, "action": action, "who": who})
