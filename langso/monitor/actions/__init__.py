"""Every write of the monitoring app."""

from .assessments import move_assessment, recognise_with_override, start_assessment
from .recompute import recompute_indicators, roll_up_indicators
from .scope import set_programme_membership
from .values import attach_evidence, enter_indicator_value, mark_stale

__all__ = [
    "attach_evidence",
    "enter_indicator_value",
    "mark_stale",
    "move_assessment",
    "recognise_with_override",
    "recompute_indicators",
    "roll_up_indicators",
    "set_programme_membership",
    "start_assessment",
]
