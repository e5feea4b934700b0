"""Who may issue, sign and see commune documents."""

from typing import TypeGuard

from langso.people.actors import Actor
from langso.people.models import PERSONAL_DATA_ROLES, Role, User
from langso.people.permissions import holds_role, scoped_unit_ids
from langso.places.models import AdminUnit

#: Roles that issue and sign documents for their commune.
ISSUER_ROLES = (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL)
#: Roles that read a commune's register (province and district officers included). Documents
#: carry personal data (a residence certificate names the resident), hence the same roles as
#: for residents' data: health workers and digital-team members are not among them.
REGISTER_ROLES = tuple(PERSONAL_DATA_ROLES)


def can_issue(user: Actor | None, commune: AdminUnit | None) -> TypeGuard[User]:
    """Only a signed-in user passes: the issuer is recorded on the document."""
    return bool(getattr(user, "is_authenticated", False)) and holds_role(
        user, ISSUER_ROLES, commune
    )


def is_leader(user, commune) -> bool:
    return holds_role(user, (Role.COMMUNE_LEADER,), commune) and not user.is_superuser


def can_read_register(user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "is_authenticated", False) and scoped_unit_ids(user, REGISTER_ROLES))
