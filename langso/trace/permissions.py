"""Who may do what with batches and their events.

- a member of the producer (ProducerMember with a user) manages its batches;
- commune officials and the digital team of the producer's commune (or above) may enter
  data for producers they help;
- an inspector of the unit may record inspections / lab tests only;
- consumers see the public scan page, nothing else.
"""

from django.db.models import Q

from langso.people.models import OFFICIAL_ROLES, Role
from langso.people.permissions import holds_role, unit_scope_q

MANAGING_ROLES = frozenset(OFFICIAL_ROLES - {Role.HEALTH_WORKER}) | {Role.DIGITAL_TEAM_MEMBER}
VIEWING_ROLES = MANAGING_ROLES | {Role.INSPECTOR, Role.OCOP_EVALUATOR}


def producer_scope_q(user, roles=VIEWING_ROLES, prefix: str = "") -> Q:
    """Producers (via `prefix`, e.g. "producer__") the user may see or act for."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return unit_scope_q(user, f"{prefix}commune", roles) | Q(**{f"{prefix}members__user": user})


def is_member(user, producer) -> bool:
    return getattr(user, "is_authenticated", False) and producer.members.filter(user=user).exists()


def can_manage_producer(user, producer) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_member(user, producer) or holds_role(user, MANAGING_ROLES, producer.commune)


def can_inspect_producer(user, producer) -> bool:
    return getattr(user, "is_authenticated", False) and holds_role(
        user, {Role.INSPECTOR}, producer.commune
    )


def can_record(user, producer, kind: str) -> bool:
    if can_manage_producer(user, producer):
        return True
    return kind == "inspection" and can_inspect_producer(user, producer)
