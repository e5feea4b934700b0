"""Pages that write: entering a value with evidence, moving an assessment along."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.core.exceptions import DomainError, NotFound, PermissionDenied
from langso.places.models import Level

from .. import actions, queries
from ..forms import EnterValueForm
from ..models import CriteriaSet, Indicator, IndicatorValue, Source
from ..permissions import can_enter_values
from .dashboards import domain_errors


def _dashboard_url(unit, year) -> str:
    return reverse("monitor:commune_detail", args=[unit.code]) + f"?year={year}"


@domain_errors
def enter_value(request, code: str, indicator_code: str, year: int):
    unit = queries.get_unit_for(request.user, code=code, level=Level.COMMUNE)
    indicator = get_object_or_404(
        Indicator.objects.select_related("criterion__criteria_set"),
        code=indicator_code,
        source=Source.ENTERED,
    )
    if not can_enter_values(request.user, unit):
        raise PermissionDenied(_("Bạn không có quyền nhập số liệu cho đơn vị này."))
    current = IndicatorValue.objects.filter(unit=unit, indicator=indicator, year=year).first()
    form = EnterValueForm(
        request.POST or None,
        request.FILES or None,
        indicator=indicator,
        initial={
            "value": current.numerator if current else None,
            "denominator": current.denominator if current else None,
            "note": current.note if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_indicator_value(
                actor=request.user,
                unit=unit,
                indicator=indicator,
                year=year,
                numerator=form.cleaned_data["value"],
                denominator=form.cleaned_data.get("denominator"),
                note=form.cleaned_data["note"],
                files=request.FILES.getlist("evidence"),
            )
        except DomainError as exc:
            if exc.http_status == 403:
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu số liệu chỉ tiêu %(n)s.") % {"n": indicator.number})
            return redirect(_dashboard_url(unit, year))
    return render(
        request,
        "monitor/enter_value.html",
        {"unit": unit, "indicator": indicator, "year": year, "form": form, "current": current},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@domain_errors
def start_assessment(request, code: str, year: int):
    unit = queries.get_unit_for(request.user, code=code, level=Level.COMMUNE)
    cset = queries.set_for_year(year)
    if cset is None:
        raise NotFound(_("Không có bộ tiêu chí áp dụng cho năm này."))
    actions.start_assessment(actor=request.user, unit=unit, criteria_set=cset, year=year)
    messages.success(request, _("Đã lập hồ sơ tự đánh giá năm %(year)s.") % {"year": year})
    return redirect(_dashboard_url(unit, year))


@require_POST
@domain_errors
def move_assessment(request, assessment_id: int):
    assessment = queries.assessments_visible_to(request.user).filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound(_("Không tìm thấy hồ sơ đánh giá."))
    step = request.POST.get("step", "")
    if step not in actions.assessments.TRANSITIONS:
        raise NotFound(_("Bước xử lý không hợp lệ."))
    actions.move_assessment(
        actor=request.user,
        assessment=assessment,
        step=step,
        comment=request.POST.get("comment", ""),
    )
    messages.success(request, _("Đã cập nhật hồ sơ đánh giá."))
    return redirect(_dashboard_url(assessment.unit, assessment.year))


def criteria_set_or_404(code: str) -> CriteriaSet:
    return get_object_or_404(CriteriaSet, code=code)
