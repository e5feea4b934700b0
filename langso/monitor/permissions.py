"""Who may see and act on monitoring data. Units and values are official statistics of the
unit: officials of the unit or of a unit above it see them; residents do not see the
evidence files (they may hold names), so the dashboards are for officials.

The assessment workflow is one table, `ASSESSMENT_STEPS`: each step says from which states
it starts, where it goes and which permission function allows it. The actions check that
function, and the pages draw a button only where `assessment_steps_for` says the user may
take the step, so a button is never shown that would then be refused:

- the commune leader (chủ tịch UBND xã) opens the self-assessment and sends it to the
  province; commune officials enter the values and evidence but do not send;
- the province officer appraises, returns, recognises, and may recognise by an audited
  override when criteria are unmet;
- everybody else who sees the commune reads.
"""

from collections.abc import Callable
from dataclasses import dataclass

from langso.people.models import OFFICIAL_ROLES, Role
from langso.people.permissions import holds_role

from .models import AssessmentStatus

ENTER_ROLES = {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL}
SUBMIT_ROLES = {Role.COMMUNE_LEADER}
APPRAISE_ROLES = {Role.PROVINCE_OFFICER}


def can_view_unit(user, unit) -> bool:
    return holds_role(user, OFFICIAL_ROLES, unit)


def can_enter_values(user, unit) -> bool:
    return holds_role(user, ENTER_ROLES, unit)


def can_start_assessment(user, unit) -> bool:
    """Open the commune's self-assessment (lập hồ sơ tự đánh giá)."""
    return holds_role(user, SUBMIT_ROLES, unit)


def can_submit_assessment(user, unit) -> bool:
    """Send the self-assessment to the province (gửi tỉnh thẩm định)."""
    return holds_role(user, SUBMIT_ROLES, unit)


def can_appraise_assessment(user, unit) -> bool:
    """Appraise an assessment, or return it to the commune with comments."""
    return holds_role(user, APPRAISE_ROLES, unit)


def can_recognise_assessment(user, unit) -> bool:
    return holds_role(user, APPRAISE_ROLES, unit)


def can_override_recognition(user, unit) -> bool:
    """Recognise although criteria are unmet, recording the reason (audited)."""
    return holds_role(user, APPRAISE_ROLES, unit)


def can_manage_programme_scope(user, unit) -> bool:
    """Decide which units of the province are in the New Rural programme."""
    return holds_role(user, APPRAISE_ROLES, unit)


def can_import_values(user, unit) -> bool:
    """DHIS2 imports: the commune's own officials, or the province (which may run DHIS2)."""
    return holds_role(user, ENTER_ROLES | APPRAISE_ROLES, unit)


S = AssessmentStatus


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    allowed: Callable[[object, object], bool]


ASSESSMENT_STEPS = {
    s.name: s
    for s in (
        Step("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, can_submit_assessment),
        Step("appraise", frozenset({S.SUBMITTED}), S.APPRAISED, can_appraise_assessment),
        Step("recognise", frozenset({S.APPRAISED}), S.RECOGNISED, can_recognise_assessment),
        Step("return", frozenset({S.SUBMITTED, S.APPRAISED}), S.RETURNED, can_appraise_assessment),
    )
}


def assessment_steps_for(user, assessment) -> list[str]:
    """The workflow steps `user` may take on `assessment` as it stands."""
    return [
        step.name
        for step in ASSESSMENT_STEPS.values()
        if assessment.status in step.sources and step.allowed(user, assessment.unit)
    ]


def may_override_recognition(user, assessment) -> bool:
    return assessment.status == S.APPRAISED and can_override_recognition(user, assessment.unit)
