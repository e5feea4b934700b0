"""Who may change what in the economy app.

- A producer's manager (ProducerMember with a user and role MANAGER) edits that producer,
  its products, accounts, growing areas and dossiers.
- A commune official or leader edits every producer of their commune (and below).
- OCOP evaluators and province officers score dossiers of their province; district officers
  (before July 2025) score at district level; the commune receives dossiers.
- Everyone else reads public data only.
"""

from langso.people.models import Role
from langso.people.permissions import holds_role, scoped_unit_ids

from .models import ProducerMember

COMMUNE_EDIT_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL})
LEVEL_ROLES = {
    "commune": frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL}),
    "district": frozenset({Role.DISTRICT_OFFICER}),
    "province": frozenset({Role.PROVINCE_OFFICER, Role.OCOP_EVALUATOR}),
    # The ministry's council does not log in here; the province records its sheets.
    "central": frozenset({Role.PROVINCE_OFFICER, Role.OCOP_EVALUATOR}),
}
OCOP_READ_ROLES = frozenset(
    COMMUNE_EDIT_ROLES
    | {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.OCOP_EVALUATOR, Role.INSPECTOR}
)


def managed_producer_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        ProducerMember.objects.filter(
            user=user, member_role=ProducerMember.MemberRole.MANAGER
        ).values_list("producer_id", flat=True)
    )


def is_commune_editor(user, commune) -> bool:
    return holds_role(user, COMMUNE_EDIT_ROLES, commune)


def can_edit_producer(user, producer) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return producer.pk in managed_producer_ids(user) or is_commune_editor(user, producer.commune)


def can_create_producer(user, commune) -> bool:
    return getattr(user, "is_authenticated", False) and is_commune_editor(user, commune)


def can_evaluate(user, dossier, level: str) -> bool:
    roles = LEVEL_ROLES.get(level)
    if not roles:
        return False
    return holds_role(user, roles, dossier.commune)


def is_ocop_staff(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or scoped_unit_ids(user, OCOP_READ_ROLES))
