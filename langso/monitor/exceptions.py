"""Errors of the monitoring app, each with a stable code and a Vietnamese message."""

from langso.core.exceptions import Conflict, ValidationFailed


class EvidenceRejected(ValidationFailed):
    code = "evidence_rejected"


class ValueNotEnterable(ValidationFailed):
    code = "value_not_enterable"


class AssessmentTransitionRefused(Conflict):
    code = "assessment_transition_refused"


class AssessmentFrozen(Conflict):
    code = "assessment_frozen"


class ImportRejected(ValidationFailed):
    code = "import_rejected"
