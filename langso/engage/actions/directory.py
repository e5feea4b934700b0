from django.db import transaction
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.models import AuditAction
from langso.core.text import fold
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.people.models import OFFICIAL_ROLES, Role
from langso.people.permissions import holds_role

from ..exceptions import NotAllowed
from ..models import DirectoryEntry

EDITABLE = (
    "display_name",
    "position",
    "department",
    "phone",
    "email",
    "working_hours",
    "order",
    "listed",
    "position_public",
    "phone_public",
    "email_public",
    "hours_public",
)
PRIVACY = {"listed", "position_public", "phone_public", "email_public", "hours_public"}


def vietnamese_name(user) -> str:
    """Family name first, as Vietnamese write it (User keeps it in last_name)."""
    return f"{user.last_name} {user.first_name}".strip() or user.username


def _search_key(entry: DirectoryEntry) -> str:
    return fold(f"{entry.display_name} {entry.position} {entry.department}")[:300]


@transaction.atomic
def create_directory_entry(
    *,
    actor: Actor,
    user,
    unit,
    position: str = "",
    department: str = "",
    phone: str = "",
    email: str = "",
    working_hours: str = "",
    display_name: str = "",
    order: int = 100,
) -> DirectoryEntry:
    """A commune leader (or the official themself) opens a directory line. It stays out of
    the public directory until the official chooses what to publish."""
    if not (
        holds_role(actor, {Role.COMMUNE_LEADER}, unit)
        or (actor.pk == user.pk and holds_role(actor, OFFICIAL_ROLES, unit))
    ):
        raise NotAllowed(_("Bạn không có quyền thêm cán bộ vào danh bạ của đơn vị này."))
    if not holds_role(user, OFFICIAL_ROLES | {Role.DIGITAL_TEAM_MEMBER}, unit):
        raise NotAllowed(_("Người này không phải cán bộ của đơn vị."))
    entry = DirectoryEntry(
        user=user,
        unit=unit,
        position=position,
        department=department,
        phone=phone,
        email=email,
        working_hours=working_hours,
        order=order,
        display_name=display_name or vietnamese_name(user),
    )
    entry.search_key = _search_key(entry)
    validate(entry)
    entry.save()
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=entry)
    return entry


@transaction.atomic
def update_directory_entry(*, actor: Actor, entry: DirectoryEntry, **changes) -> DirectoryEntry:
    """The official edits their own line and decides what is public. A leader may correct
    the description of a colleague's line but never publish it for them."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    own = actor.pk == entry.user_id
    if not own:
        if not holds_role(actor, {Role.COMMUNE_LEADER}, entry.unit):
            raise NotAllowed(_("Chỉ cán bộ đó mới sửa được dòng danh bạ của mình."))
        if PRIVACY & {k for k, v in changes.items() if getattr(entry, k) != v}:
            raise NotAllowed(_("Chỉ chính cán bộ đó mới quyết định công khai thông tin nào."))
    changed = [k for k, v in changes.items() if getattr(entry, k) != v]
    if not changed:
        return entry
    for key in changed:
        setattr(entry, key, changes[key])
    entry.search_key = _search_key(entry)
    validate(entry)
    entry.save(update_fields=[*changed, "search_key", "updated_at"])
    audit.record_change(actor=actor, action=AuditAction.UPDATE, target=entry, changed=changed)
    return entry
