import uuid
from datetime import datetime
from typing import TypeGuard

from django.db import IntegrityError, transaction

from langso.core import audit
from langso.core.models import AuditAction
from langso.people.actors import Actor
from langso.people.models import Household, User

from ..exceptions import NotAllowed, NotTeamMember
from ..models import DigitalTeam, HelpSession, HelpTopic
from ..permissions import can_manage


def may_log_for(user: Actor, team: DigitalTeam) -> TypeGuard[User]:
    return user.is_authenticated and (
        team.members.filter(user=user).exists() or can_manage(user, team.commune)
    )


def log_help_session(
    *,
    actor: Actor,
    session_id: uuid.UUID,
    team: DigitalTeam,
    topic: str,
    occurred_at: datetime,
    household: Household | None = None,
    people_helped: int = 1,
    notes: str = "",
) -> tuple[HelpSession, bool]:
    """Store a help session made on a phone, possibly offline. `session_id` comes from the
    phone: sending the same session again returns the stored one (created=False)."""
    if not may_log_for(actor, team):
        raise NotTeamMember("Bạn không phải thành viên của tổ này.")
    existing = HelpSession.objects.filter(pk=session_id).first()
    if existing is not None:
        return existing, False
    if household is not None and household.commune_id != team.commune_id:
        raise NotAllowed("Hộ này không thuộc xã của tổ.")
    if topic not in HelpTopic.values:
        raise NotAllowed("Nội dung hỗ trợ không hợp lệ.")
    session = HelpSession(
        id=session_id,
        team=team,
        helper=actor,
        household=household,
        people_helped=max(1, people_helped),
        topic=topic,
        occurred_at=occurred_at,
        notes=notes[:300],
    )
    session.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            session.save(force_insert=True)
            audit.record_change(actor=actor, action=AuditAction.CREATE, target=session)
    except IntegrityError:
        return HelpSession.objects.get(pk=session_id), False
    return session, True
