"""Who may see and act on monitoring data. Units and values are official statistics of the
unit: officials of the unit or of a unit above it see them; residents do not see the
evidence files (they may hold names), so the dashboards are for officials."""

from langso.core.permissions import holds_role
from langso.people.models import OFFICIAL_ROLES, Role

ENTER_ROLES = {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL}
SUBMIT_ROLES = {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL}
APPRAISE_ROLES = {Role.PROVINCE_OFFICER}


def can_view_unit(user, unit) -> bool:
    return holds_role(user, OFFICIAL_ROLES, unit)


def can_enter_values(user, unit) -> bool:
    return holds_role(user, ENTER_ROLES, unit)


def can_submit_assessment(user, unit) -> bool:
    return holds_role(user, SUBMIT_ROLES, unit)


def can_appraise_assessment(user, unit) -> bool:
    return holds_role(user, APPRAISE_ROLES, unit)


def can_import_values(user, unit) -> bool:
    """DHIS2 imports: the commune's own officials, or the province (which may run DHIS2)."""
    return holds_role(user, ENTER_ROLES | APPRAISE_ROLES, unit)
