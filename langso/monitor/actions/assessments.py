"""The commune's self-assessment of a criteria set for a year, and the province's appraisal.

draft → submitted → appraised → recognised, or → returned (with comments) → submitted again.
Each step is recorded (who, when, comment). Recognition freezes a snapshot of the values:
later recomputations do not alter it; pages compare it with the live values and warn.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.models import AuditAction

from ..exceptions import AssessmentTransitionRefused
from ..models import Assessment, AssessmentStatus, AssessmentStep, CriteriaSet, IndicatorValue
from ..permissions import can_appraise_assessment, can_submit_assessment

S = AssessmentStatus
TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED, can_submit_assessment),
    "appraise": ({S.SUBMITTED}, S.APPRAISED, can_appraise_assessment),
    "recognise": ({S.APPRAISED}, S.RECOGNISED, can_appraise_assessment),
    "return": ({S.SUBMITTED, S.APPRAISED}, S.RETURNED, can_appraise_assessment),
}


def snapshot_values(assessment: Assessment) -> dict:
    rows = IndicatorValue.objects.filter(
        unit=assessment.unit,
        year=assessment.year,
        indicator__criterion__criteria_set=assessment.criteria_set,
    ).select_related("indicator")
    return {
        v.indicator.code: {
            "numerator": str(v.numerator) if v.numerator is not None else None,
            "denominator": str(v.denominator) if v.denominator is not None else None,
            "value": str(v.value) if v.value is not None else None,
            "status": v.status,
            "threshold": str(v.threshold) if v.threshold is not None else None,
            "computed_at": v.computed_at.isoformat(),
            "evidence": [e.original_name for e in v.evidence.all()],
        }
        for v in rows
    }


@transaction.atomic
def start_assessment(*, actor, unit, criteria_set: CriteriaSet, year: int) -> Assessment:
    if not can_submit_assessment(actor, unit):
        raise PermissionDenied("Bạn không có quyền lập hồ sơ tự đánh giá của xã này.")
    if not criteria_set.applies_to(year):
        raise ValidationFailed(
            _("Bộ tiêu chí %(set)s không áp dụng cho năm %(year)s.")
            % {"set": criteria_set.name, "year": year},
            code="set_not_in_force",
        )
    assessment, created = Assessment.objects.get_or_create(
        unit=unit, criteria_set=criteria_set, year=year
    )
    if created:
        AssessmentStep.objects.create(assessment=assessment, to_status=S.DRAFT, actor=actor)
        audit.record_change(actor=actor, action=AuditAction.CREATE, target=assessment)
    return assessment


@transaction.atomic
def move_assessment(*, actor, assessment: Assessment, step: str, comment: str = "") -> Assessment:
    """Apply one workflow step: 'submit', 'appraise', 'recognise' or 'return'."""
    assessment = Assessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)
    allowed_from, to_status, can = TRANSITIONS[step]
    if not can(actor, assessment.unit):
        raise PermissionDenied("Bạn không có quyền thực hiện bước này.")
    if assessment.status not in allowed_from:
        raise AssessmentTransitionRefused(
            _("Hồ sơ đang ở trạng thái '%(status)s', không thể chuyển sang '%(to)s'.")
            % {"status": assessment.get_status_display(), "to": S(to_status).label}
        )
    if step == "return" and not comment.strip():
        raise ValidationFailed(
            "Hãy ghi rõ nội dung cần bổ sung khi trả lại hồ sơ.", code="comment_required"
        )
    fields = ["status", "updated_at"]
    if step in ("submit", "recognise"):
        assessment.snapshot = snapshot_values(assessment)
        fields.append("snapshot")
    if step == "recognise":
        assessment.recognised_at = timezone.now()
        fields.append("recognised_at")
    from_status = assessment.status
    assessment.status = to_status
    assessment.save(update_fields=fields)
    AssessmentStep.objects.create(
        assessment=assessment,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=assessment, changed=["status"]
    )
    return assessment
