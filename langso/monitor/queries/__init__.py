"""Reads of the monitoring app."""

from .dashboards import (
    assessments_visible_to,
    commune_overview,
    criteria_sets,
    data_changed_since,
    default_commune_for,
    default_province_for,
    entered_indicators,
    evidence_visible_to,
    get_unit_for,
    how_computed,
    pending_assessments,
    province_ranking,
    set_for_year,
    sets_for_year,
    units_visible_to,
    unmet_criteria,
    unmet_in,
    value_of,
    values_visible_to,
)
from .history import shown_values
from .scope import commune_in_province, in_programme, programme_scope
from .targets import progress_for, target_progress

__all__ = [
    "assessments_visible_to",
    "commune_in_province",
    "commune_overview",
    "criteria_sets",
    "data_changed_since",
    "default_commune_for",
    "default_province_for",
    "entered_indicators",
    "evidence_visible_to",
    "get_unit_for",
    "how_computed",
    "in_programme",
    "pending_assessments",
    "programme_scope",
    "progress_for",
    "province_ranking",
    "set_for_year",
    "sets_for_year",
    "shown_values",
    "target_progress",
    "units_visible_to",
    "unmet_criteria",
    "unmet_in",
    "value_of",
    "values_visible_to",
]
