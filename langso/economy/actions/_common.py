from django.utils.translation import gettext as _

from langso.core.audit import record_change
from langso.core.exceptions import ValidationFailed
from langso.core.models import AuditAction
from langso.core.text import fold

from ..exceptions import NotProducerManager
from ..permissions import can_edit_producer

__all__ = ["AuditAction", "fold", "record_change", "require_editor"]


def require_editor(actor, producer) -> None:
    if not can_edit_producer(actor, producer):
        raise NotProducerManager(
            _("Bạn không có quyền sửa thông tin của chủ thể %(name)s.") % {"name": producer.name}
        )


def apply_changes(obj, changes: dict, allowed: set[str]) -> list[str]:
    changed = []
    for field, value in changes.items():
        if field not in allowed:
            raise ValidationFailed(_("Không sửa được trường %(field)s.") % {"field": field})
        if value is None and not obj._meta.get_field(field).null:
            # `null` sent for a field that cannot be empty (a PATCH body): refuse, never a 500
            raise ValidationFailed(
                _("Trường %(field)s không được để trống (null).") % {"field": field}
            )
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed
