"""Reads of the audit log: the commune leader (or a province officer) sees their unit's log."""

from django.db.models import QuerySet

from langso.core.models import AuditEvent

from .models import Role
from .permissions import scoped_unit_ids, unit_scope_q

AUDIT_READERS = {Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER}


def can_read_audit_log(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or scoped_unit_ids(user, AUDIT_READERS))


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("unit__parent", "actor")  # a unit names its parent
    if getattr(user, "is_superuser", False):
        return qs
    if not can_read_audit_log(user):
        return qs.none()
    return qs.filter(unit_scope_q(user, "unit", AUDIT_READERS))
