"""Writes on places: a commune's own list of hamlets (the administrative units themselves
are loaded from the official lists, never edited)."""

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.models import AuditAction
from langso.core.text import fold
from langso.core.validation import validate
from langso.people.permissions import holds_role

from .models import AdminUnit, Hamlet, HamletKind

# Who keeps a commune's hamlets (role values of people.Role; places sits below people).
HAMLET_KEEPERS = frozenset({"commune_leader", "commune_official", "province_officer"})


def hamlet_search_key(name: str) -> str:
    return fold(name)[:200]


@transaction.atomic
def save_hamlet(
    *,
    actor,
    commune: AdminUnit,
    code: str,
    name: str,
    kind: str = HamletKind.XOM,
    latitude: float | None = None,
    longitude: float | None = None,
    hamlet: Hamlet | None = None,
) -> Hamlet:
    """Create a hamlet of `commune`, or change `hamlet` (which may not move to another
    commune)."""
    if not holds_role(actor, HAMLET_KEEPERS, commune):
        raise PermissionDenied(
            _("Bạn không có quyền sửa danh sách thôn của xã này."), code="places.not_allowed"
        )
    if hamlet is None:
        hamlet = Hamlet(commune=commune)
        action = AuditAction.CREATE
    else:
        hamlet = Hamlet.objects.select_for_update().get(pk=hamlet.pk)
        if hamlet.commune_id != commune.pk:
            raise ValidationFailed(
                _("Không chuyển thôn sang xã khác."), code="places.hamlet_commune_fixed"
            )
        action = AuditAction.UPDATE
    before = (hamlet.code, hamlet.name, hamlet.kind, hamlet.latitude, hamlet.longitude)
    hamlet.code, hamlet.name, hamlet.kind = code.strip(), name.strip(), kind
    hamlet.latitude, hamlet.longitude = latitude, longitude
    hamlet.search_key = hamlet_search_key(hamlet.name)
    validate(hamlet, code="places.invalid_hamlet")
    names = ("code", "name", "kind", "latitude", "longitude")
    after = (hamlet.code, hamlet.name, hamlet.kind, hamlet.latitude, hamlet.longitude)
    changed = [n for n, b, a in zip(names, before, after, strict=True) if b != a]
    hamlet.save()
    audit.record_change(actor=actor, action=action, target=hamlet, changed=changed, unit=commune)
    return hamlet
