"""Who may do what in engagement. Commune officials and leaders act on their commune; a
province officer reads. Residents act on their own records."""

from typing import TypeGuard

from langso.people.actors import Actor
from langso.people.models import Role, User
from langso.people.permissions import holds_role
from langso.places.models import AdminUnit

MANAGE_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL})
READ_ROLES = MANAGE_ROLES | {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER}


def can_manage(user: Actor | None, commune: AdminUnit | None) -> TypeGuard[User]:
    """Publish announcements, run surveys, handle feedback of `commune`. Only a signed-in
    user passes: an action may record its actor as a user after this check."""
    return holds_role(user, MANAGE_ROLES, commune)


def can_read_official_data(user: Actor | None, commune: AdminUnit | None) -> TypeGuard[User]:
    return holds_role(user, READ_ROLES, commune)
