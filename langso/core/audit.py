"""Writing the audit log. Actions call `record_change`; queries that reveal personal data
call `record_read`. Both are append-only inserts."""

from collections.abc import Iterable
from typing import Any, cast

from django.db import models

from .inserts import insert
from .models import AuditAction, AuditEvent
from .request_context import current_origin
from .types import ActorLike


def _unit_of(obj: Any):
    for attr in ("audit_unit", "commune", "unit"):
        unit = getattr(obj, attr, None)
        if unit is not None and not callable(unit):
            return unit
    return None


def event(
    *,
    actor: ActorLike | None,
    action: str,
    target: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit=None,
    fields: dict | None = None,
    purpose: str = "",
) -> AuditEvent:
    """The audit line `record` writes, not yet written: for a caller that inserts it with
    the rows it is about (see procedures' submission)."""
    origin = current_origin.get()
    if target is not None and isinstance(target, models.Model):
        object_type = object_type or target._meta.label
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)[:200]
        unit = unit if unit is not None else _unit_of(target)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        # Only a signed-in user's row is kept; core cannot name the user model (people's).
        actor=cast(Any, user),
        actor_repr=(user.get_username() if user is not None else "anonymous")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        unit=unit,
        fields=fields or {},
        purpose=purpose[:200],
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )


def record(
    *,
    actor: ActorLike | None,
    action: str,
    target: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit=None,
    fields: dict | None = None,
    purpose: str = "",
) -> AuditEvent:
    written = event(
        actor=actor,
        action=action,
        target=target,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        unit=unit,
        fields=fields,
        purpose=purpose,
    )
    insert(written)  # AuditEvent.save() only refuses rewriting a saved event
    return written


def change_event(
    *, actor: ActorLike | None, action: str, target: Any, changed: Iterable[str] = (), unit=None
) -> AuditEvent:
    """The line `record_change` writes, not yet written."""
    return event(
        actor=actor, action=action, target=target, unit=unit, fields={"changed": sorted(changed)}
    )


def record_change(
    *, actor: ActorLike | None, action: str, target: Any, changed: Iterable[str] = (), unit=None
) -> AuditEvent:
    written = change_event(actor=actor, action=action, target=target, changed=changed, unit=unit)
    insert(written)
    return written


def record_read(
    *, actor: ActorLike | None, target: Any, fields: Iterable[str], purpose: str, unit=None
) -> AuditEvent:
    """Log that `actor` saw personal data `fields` of `target` for `purpose`."""
    return record(
        actor=actor,
        action=AuditAction.READ,
        target=target,
        unit=unit,
        fields={"read": sorted(fields)},
        purpose=purpose,
    )


def record_refusal(*, actor: ActorLike | None, target: Any, purpose: str, unit=None) -> AuditEvent:
    return record(
        actor=actor, action=AuditAction.REFUSED, target=target, unit=unit, purpose=purpose
    )
