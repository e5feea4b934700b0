"""Errors of the monitoring app, each with a stable code and a Vietnamese message."""

from langso.core.exceptions import Conflict, ValidationFailed


class EvidenceRejected(ValidationFailed):
    code = "monitor.evidence_rejected"


class ValueNotEnterable(ValidationFailed):
    code = "monitor.value_not_enterable"


class AssessmentTransitionRefused(Conflict):
    code = "monitor.assessment_transition_refused"


class AssessmentFrozen(Conflict):
    code = "monitor.assessment_frozen"


class ImportRejected(ValidationFailed):
    code = "monitor.import_rejected"


class CriteriaUnmet(Conflict):
    """Recognition refused: the commune does not meet every criterion of the set."""

    code = "monitor.criteria_unmet"


class OverrideNotNeeded(Conflict):
    code = "monitor.override_not_needed"


class ReasonRequired(ValidationFailed):
    code = "monitor.reason_required"


class ScopeDecisionRefused(ValidationFailed):
    code = "monitor.scope_decision_refused"
