"""Pages that write: entering a value with evidence, moving an assessment along."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.core.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from langso.core.uploads import accepts_files
from langso.places.models import Level

from .. import actions, queries
from ..forms import EnterValueForm, OverrideForm
from ..models import CriteriaSet
from ..permissions import ASSESSMENT_STEPS, can_enter_values
from .dashboards import domain_errors


def _dashboard_url(unit, year) -> str:
    return reverse("monitor:commune_detail", args=[unit.code]) + f"?year={year}"


@accepts_files
@domain_errors
def enter_value(request, code: str, indicator_code: str, year: int):
    unit = queries.get_unit_for(request.user, code=code, level=Level.COMMUNE)
    indicator = get_object_or_404(queries.entered_indicators(), code=indicator_code)
    if not can_enter_values(request.user, unit):
        raise PermissionDenied(_("Bạn không có quyền nhập số liệu cho đơn vị này."))
    current = queries.value_of(unit, indicator, year)
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


def _dashboard_for(assessment) -> str:
    return _dashboard_url(assessment.unit, assessment.year) + f"&bo={assessment.criteria_set.code}"


@require_POST
@domain_errors
def start_assessment(request, code: str, year: int):
    unit = queries.get_unit_for(request.user, code=code, level=Level.COMMUNE)
    wanted = request.POST.get("bo", "")
    sets = queries.sets_for_year(year)
    cset = next((s for s in sets if s.code == wanted), sets[0] if sets else None)
    if cset is None:
        raise NotFound(_("Không có bộ tiêu chí áp dụng cho năm này."))
    assessment = actions.start_assessment(
        actor=request.user, unit=unit, criteria_set=cset, year=year
    )
    messages.success(request, _("Đã lập hồ sơ tự đánh giá năm %(year)s.") % {"year": year})
    return redirect(_dashboard_for(assessment))


def _visible_assessment(request, assessment_id: int):
    assessment = queries.assessments_visible_to(request.user).filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound(_("Không tìm thấy hồ sơ đánh giá."))
    return assessment


@require_POST
@domain_errors
def move_assessment(request, assessment_id: int):
    assessment = _visible_assessment(request, assessment_id)
    step = request.POST.get("step", "")
    if step not in ASSESSMENT_STEPS:
        raise NotFound(_("Bước xử lý không hợp lệ."))
    try:
        actions.move_assessment(
            actor=request.user,
            assessment=assessment,
            step=step,
            comment=request.POST.get("comment", ""),
        )
    except (Conflict, ValidationFailed) as exc:  # refused by a rule: say why on the page
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật hồ sơ đánh giá."))
    return redirect(_dashboard_for(assessment))


@require_POST
@domain_errors
def override_recognition(request, assessment_id: int):
    """The province recognises although criteria are unmet, with its reason (audited)."""
    assessment = _visible_assessment(request, assessment_id)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(_dashboard_for(assessment))
    try:
        actions.recognise_with_override(
            actor=request.user, assessment=assessment, reason=form.cleaned_data["reason"]
        )
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã công nhận theo ngoại lệ; lý do đã được ghi nhật ký."))
    return redirect(_dashboard_for(assessment))


def criteria_set_or_404(code: str) -> CriteriaSet:
    return get_object_or_404(queries.criteria_sets(), code=code)
