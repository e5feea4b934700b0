"""Who may do what in engagement. Commune officials and leaders act on their commune; a
province officer reads. Residents act on their own records."""

from langso.people.models import Role
from langso.people.permissions import holds_role

MANAGE_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL})
READ_ROLES = MANAGE_ROLES | {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER}


def can_manage(user, commune) -> bool:
    """Publish announcements, run surveys, handle feedback of `commune`."""
    return holds_role(user, MANAGE_ROLES, commune)


def can_read_official_data(user, commune) -> bool:
    return holds_role(user, READ_ROLES, commune)
