"""Every write of the monitoring app."""

from .assessments import move_assessment, start_assessment
from .recompute import recompute_indicators, roll_up_indicators
from .values import attach_evidence, enter_indicator_value, mark_stale

__all__ = [
    "attach_evidence",
    "enter_indicator_value",
    "mark_stale",
    "move_assessment",
    "recompute_indicators",
    "roll_up_indicators",
    "start_assessment",
]
