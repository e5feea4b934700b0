"""Who may issue, sign and see commune documents."""

from langso.core.permissions import holds_role
from langso.people.models import OFFICIAL_ROLES, Role

#: Roles that issue and sign documents for their commune.
ISSUER_ROLES = (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL)
#: Roles that read a commune's register (province and district officers included).
REGISTER_ROLES = tuple(OFFICIAL_ROLES)


def can_issue(user, commune) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and holds_role(
        user, ISSUER_ROLES, commune)


def is_leader(user, commune) -> bool:
    return holds_role(user, (Role.COMMUNE_LEADER,), commune) and not user.is_superuser
