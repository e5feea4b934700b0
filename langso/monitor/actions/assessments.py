"""The commune's self-assessment of a criteria set for a year, and the province's appraisal.

draft → submitted → appraised → recognised, or → returned (with comments) → submitted again
(the table and who may take each step: `permissions.ASSESSMENT_STEPS`). Each step is
recorded (who, when, comment). Recognition freezes a snapshot of the values: later
recomputations do not alter it; pages compare it with the live values and warn.

Recognition is refused while any criterion of the set is unmet (`CriteriaUnmet` names them).
The province may still recognise, by an override that states its reason: the override keeps
the criteria unmet at that moment, appears on the assessment page and in the audit log.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.models import AuditAction
from langso.core.validation import validate

from ..exceptions import (
    AssessmentTransitionRefused,
    CriteriaUnmet,
    OverrideNotNeeded,
    ReasonRequired,
)
from ..models import (
    Assessment,
    AssessmentStatus,
    AssessmentStep,
    CriteriaSet,
    IndicatorValue,
    RecognitionOverride,
)
from ..permissions import ASSESSMENT_STEPS, can_override_recognition, can_start_assessment
from ..queries.dashboards import UnmetCriterion, unmet_criteria

S = AssessmentStatus
MIN_REASON_CHARS = 20


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
    if not can_start_assessment(actor, unit):
        raise PermissionDenied(_("Chỉ lãnh đạo UBND xã được lập hồ sơ tự đánh giá của xã."))
    if criteria_set.is_programme or not criteria_set.applies_to(year):
        raise ValidationFailed(
            _("Bộ tiêu chí %(set)s không áp dụng cho năm %(year)s.")
            % {"set": criteria_set.name, "year": year},
            code="monitor.set_not_in_force",
        )
    assessment, created = Assessment.objects.get_or_create(
        unit=unit, criteria_set=criteria_set, year=year
    )
    if created:
        AssessmentStep.objects.create(assessment=assessment, to_status=S.DRAFT, actor=actor)
        audit.record_change(actor=actor, action=AuditAction.CREATE, target=assessment)
    return assessment


def _unmet_message(unmet: list[UnmetCriterion]) -> str:
    return _(
        "Chưa thể công nhận: còn %(count)s tiêu chí chưa đạt: %(criteria)s. Tỉnh chỉ công "
        "nhận khi đạt đủ các tiêu chí, hoặc ghi nhận công nhận ngoại lệ kèm lý do."
    ) % {"count": len(unmet), "criteria": "; ".join(c.label for c in unmet)}


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit__parent__parent", "criteria_set")
        .get(pk=assessment.pk)
    )


def _apply_step(*, actor, assessment: Assessment, step: str, comment: str) -> Assessment:
    to_status = ASSESSMENT_STEPS[step].target
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


def _check_state(assessment: Assessment, step: str) -> None:
    rule = ASSESSMENT_STEPS[step]
    if assessment.status not in rule.sources:
        raise AssessmentTransitionRefused(
            _("Hồ sơ đang ở trạng thái '%(status)s', không thể chuyển sang '%(to)s'.")
            % {"status": assessment.get_status_display(), "to": S(rule.target).label}
        )


@transaction.atomic
def move_assessment(*, actor, assessment: Assessment, step: str, comment: str = "") -> Assessment:
    """Apply one workflow step: 'submit', 'appraise', 'recognise' or 'return'."""
    assessment = _locked(assessment)
    if not ASSESSMENT_STEPS[step].allowed(actor, assessment.unit):
        raise PermissionDenied(_("Bạn không có quyền thực hiện bước này."))
    _check_state(assessment, step)
    if step == "return" and not comment.strip():
        raise ValidationFailed(
            _("Hãy ghi rõ nội dung cần bổ sung khi trả lại hồ sơ."), code="monitor.comment_required"
        )
    if step == "recognise":
        unmet = unmet_criteria(assessment)
        if unmet:
            raise CriteriaUnmet(_unmet_message(unmet), unmet=[c.number for c in unmet])
    return _apply_step(actor=actor, assessment=assessment, step=step, comment=comment)


@transaction.atomic
def recognise_with_override(*, actor, assessment: Assessment, reason: str) -> Assessment:
    """The province recognises an appraised assessment although criteria are unmet, and
    records why. Refused when nothing is unmet (plain recognition applies then)."""
    assessment = _locked(assessment)
    if not can_override_recognition(actor, assessment.unit):
        raise PermissionDenied(_("Chỉ cán bộ cấp tỉnh được công nhận ngoại lệ."))
    _check_state(assessment, "recognise")
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ReasonRequired(
            _("Hãy ghi rõ lý do công nhận ngoại lệ (ít nhất %(n)s ký tự).")
            % {"n": MIN_REASON_CHARS}
        )
    unmet = unmet_criteria(assessment)
    if not unmet:
        raise OverrideNotNeeded(
            _("Hồ sơ đã đạt đủ các tiêu chí: hãy công nhận bình thường, không cần ngoại lệ.")
        )
    override = RecognitionOverride(
        assessment=assessment,
        reason=reason,
        unmet=[c.as_data() for c in unmet],
        decided_by=actor,
    )
    validate(override)
    override.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=override,
        unit=assessment.unit,
        fields={"unmet": [c.number for c in unmet]},
        purpose=(_("Công nhận ngoại lệ: %(reason)s") % {"reason": reason})[:200],
    )
    comment = _("Công nhận ngoại lệ khi còn %(count)s tiêu chí chưa đạt. Lý do: %(reason)s") % {
        "count": len(unmet),
        "reason": reason,
    }
    return _apply_step(actor=actor, assessment=assessment, step="recognise", comment=comment)
