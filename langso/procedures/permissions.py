"""Who may do what with procedures and dossiers."""

from langso.people.models import PERSONAL_DATA_ROLES, Role
from langso.people.permissions import holds_role

# Roles that work at the one-stop desk: receive, process, settle dossiers, edit the catalogue.
DESK_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL})
# Roles that may read dossiers of their unit (they hold applicants' personal data).
READ_ROLES = PERSONAL_DATA_ROLES


def can_work_desk(user, commune) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and holds_role(user, DESK_ROLES, commune)


def can_read_dossiers(user, commune) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and holds_role(user, READ_ROLES, commune)


def is_applicant(user, dossier) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and dossier.applicant_user_id == user.pk
