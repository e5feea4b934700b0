"""The province decides which of its units are in the New Rural programme (queries/scope.py
says how decisions and the default combine). A decision changes the province's figures, so
its roll-ups are recomputed at once for the years the decision touches."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied
from langso.core.models import AuditAction
from langso.core.validation import validate
from langso.places.models import Level

from ..exceptions import ReasonRequired, ScopeDecisionRefused
from ..models import CriteriaSet, ProgrammeMembership
from ..permissions import can_manage_programme_scope
from .recompute import roll_up_indicators

FIRST_YEAR, LAST_YEAR = 2021, 2030  # the programme's two phases


def _years_to_roll_up(year_from: int, year_to: int | None) -> list[int]:
    last = min(year_to or LAST_YEAR, timezone.localdate().year)
    sets = list(CriteriaSet.objects.all())
    return [y for y in range(year_from, last + 1) if any(s.applies_to(y) for s in sets)]


@transaction.atomic
def set_programme_membership(
    *,
    actor,
    unit,
    included: bool,
    year_from: int,
    year_to: int | None = None,
    reason: str,
) -> ProgrammeMembership:
    """Record that `unit` is in (or out of) the programme from `year_from` to `year_to`
    (open when None). A decision from the same year replaces the earlier one."""
    if not can_manage_programme_scope(actor, unit):
        raise PermissionDenied(_("Chỉ cán bộ cấp tỉnh được quyết định phạm vi chương trình."))
    if unit.level != Level.COMMUNE:
        raise ScopeDecisionRefused(
            _("Chỉ quyết định cho xã, phường, đặc khu; %(name)s là đơn vị cấp trên.")
            % {"name": unit.name}
        )
    if not (FIRST_YEAR <= year_from <= LAST_YEAR) or (
        year_to is not None and not (year_from <= year_to <= LAST_YEAR)
    ):
        raise ScopeDecisionRefused(
            _("Năm áp dụng phải trong khoảng %(a)s-%(b)s, năm kết thúc không trước năm bắt đầu.")
            % {"a": FIRST_YEAR, "b": LAST_YEAR}
        )
    reason = reason.strip()
    if not reason:
        raise ReasonRequired(_("Hãy ghi lý do (ví dụ số quyết định của UBND tỉnh)."))
    row = ProgrammeMembership.objects.filter(unit=unit, year_from=year_from).first()
    created = row is None
    if row is None:
        row = ProgrammeMembership(unit=unit, year_from=year_from)
    row.included, row.year_to, row.reason, row.decided_by = included, year_to, reason, actor
    validate(row)
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=row,
        unit=unit,
        fields={"changed": ["included", "year_from", "year_to", "reason"]},
        purpose=reason[:200],
    )
    for year in _years_to_roll_up(year_from, year_to):
        roll_up_indicators(units=[unit], year=year)
    return row
