from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from langso.core.exceptions import NotFound
from langso.core.idempotency import form_once

from ..actions.environment import acknowledge_alert, record_reading
from ..charts import series_svg
from ..forms import ReadingForm
from ..permissions import can_manage
from ..queries import environment as env_queries
from ..queries.maps import commune_by_code
from .common import domain_errors


@domain_errors
def stations(request):
    commune = commune_by_code(request.GET.get("commune"), request.user)
    if commune is None:
        raise NotFound(_("Không tìm thấy xã."))
    return render(
        request,
        "society/stations.html",
        {
            "commune": commune,
            "stations": env_queries.stations_visible_to(request.user, commune),
            "alerts": env_queries.alerts_of(commune, open_only=True)[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def station_detail(request, code):
    station = env_queries.get_station(code)
    if station is None:
        raise NotFound(_("Không tìm thấy trạm."))
    manage = can_manage(request.user, station.commune)
    form = ReadingForm(request.POST or None) if manage else None
    if request.method == "POST" and request.POST.get("acknowledge"):
        alert = station.alerts.filter(pk=request.POST["acknowledge"]).first()
        if alert is None:
            raise NotFound(_("Không tìm thấy cảnh báo."))
        acknowledge_alert(actor=request.user, alert=alert)
        messages.success(request, _("Đã ghi nhận xử lý cảnh báo."))
        return redirect("society:station", code=station.code)
    if request.method == "POST":
        if form is None:
            return render(
                request,
                "society/error.html",
                {"message": _("Chỉ cán bộ xã được nhập kết quả quan trắc.")},
                status=403,
            )
        if form.is_valid():
            page = reverse("society:station", args=[station.code])
            ran = []

            def create() -> str:
                reading, created = record_reading(
                    actor=request.user,
                    station=station,
                    parameter_code=form.cleaned_data["parameter"].code,
                    observed_at=form.cleaned_data["observed_at"],
                    value=form.cleaned_data["value"],
                )
                ran.append(True)
                if not created:
                    messages.info(request, _("Kết quả này đã được nhập trước đó."))
                elif reading.within_limits is False:
                    messages.warning(request, _("Đã lưu. Kết quả vượt giới hạn, đã tạo cảnh báo."))
                else:
                    messages.success(request, _("Đã lưu kết quả."))
                return page

            location = form_once(request, "society.reading", create)
            if not ran:  # the same form sent again: nothing new was recorded
                messages.info(request, _("Kết quả này đã được lưu."))
            return redirect(location)
    charts = []
    for parameter in env_queries.parameters_of(station):
        readings = env_queries.series(station, parameter)
        latest = readings[-1] if readings else None
        charts.append(
            {
                "parameter": parameter,
                "latest": latest,
                "limit": latest.limit if latest else None,
                "svg": mark_safe(  # noqa: S308 - built from escaped parts
                    series_svg(readings, title=str(parameter), unit=parameter.unit)
                ),
            }
        )
    return render(
        request,
        "society/station.html",
        {
            "station": station,
            "charts": charts,
            "form": form,
            "manage": manage,
            "alerts": station.alerts.select_related("reading__parameter")[:20],
        },
        status=422 if request.method == "POST" else 200,
    )
