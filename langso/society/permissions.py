"""Who may do what in the society app. Every view, API endpoint and action asks here.

Only a signed-in user passes these checks: each is a `TypeGuard[User]`, so an action may
record its actor as a user once the check has passed."""

from typing import TypeGuard

from langso.people.actors import Actor
from langso.people.models import OFFICIAL_ROLES, Role, User
from langso.people.permissions import holds_role
from langso.places.models import AdminUnit

#: officials who manage the commune's map, addresses, stations, teams and training
MANAGER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL})
#: province officers also manage communes below them
SUPERVISOR_ROLES = MANAGER_ROLES | {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER}
HEALTH_ROLES = frozenset({Role.HEALTH_WORKER})


def can_manage(user: Actor | None, commune: AdminUnit | None) -> TypeGuard[User]:
    return holds_role(user, SUPERVISOR_ROLES, commune)


def is_commune_official(user: Actor | None, commune: AdminUnit | None) -> TypeGuard[User]:
    """Sees officials-only layers and residents' names in address lookups."""
    return holds_role(user, OFFICIAL_ROLES, commune)


def is_health_staff(user: Actor | None, commune: AdminUnit | None) -> TypeGuard[User]:
    """Commune health staff. Deliberately not a superuser shortcut: health data is
    sensitive and reaches only the people the law and the resident allow."""
    if commune is None or not getattr(user, "is_authenticated", False):
        return False
    from langso.people.permissions import scoped_unit_ids

    return commune.pk in scoped_unit_ids(user, HEALTH_ROLES)


def can_record_training(user: Actor | None, commune: AdminUnit | None) -> TypeGuard[User]:
    """Creates the commune's training sessions and records who attended: the commune's own
    leaders and civil servants (not the province, not another commune)."""
    if commune is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    from langso.people.permissions import scoped_unit_ids

    return commune.pk in scoped_unit_ids(user, MANAGER_ROLES)
