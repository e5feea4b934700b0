"""Entered values (with evidence) and freshness of computed values."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied
from langso.core.models import AuditAction
from langso.core.uploads import JPEG, PDF, PNG, WEBP, check_upload

from ..evaluation import evaluate, figure_value, threshold_for
from ..exceptions import ValueNotEnterable
from ..models import Evidence, Indicator, IndicatorValue, Source, StaleUnit
from ..permissions import can_enter_values

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_KINDS = (PDF, JPEG, PNG, WEBP)  # checked on the content, not on the file name


def _decimal(raw, label: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise ValueNotEnterable(
            _("%(label)s phải là một số.") % {"label": label}, code="not_a_number"
        ) from None


@transaction.atomic
def enter_indicator_value(
    *,
    actor,
    unit,
    indicator: Indicator,
    year: int,
    value=None,
    numerator=None,
    denominator=None,
    note: str = "",
    files=(),
) -> IndicatorValue:
    """An official enters the value of an `entered` indicator, with evidence files and a note.
    Give either `value` (a count, a yes/no as 1/0) or `numerator` and `denominator`."""
    if not can_enter_values(actor, unit):
        raise PermissionDenied("Bạn không có quyền nhập số liệu cho đơn vị này.")
    if indicator.source != Source.ENTERED:
        raise ValueNotEnterable("Chỉ tiêu này được tính tự động từ dữ liệu của nền tảng.")
    num, den = _decimal(numerator, "Tử số"), _decimal(denominator, "Mẫu số")
    if num is None:
        num = _decimal(value, "Giá trị")
    if num is None:
        raise ValueNotEnterable("Hãy nhập giá trị của chỉ tiêu.", code="value_required")
    if den is not None and den <= 0:
        raise ValueNotEnterable("Mẫu số phải lớn hơn 0.", code="bad_denominator")
    computed = figure_value(indicator, num, den)
    threshold = threshold_for(indicator, unit, year)
    row, created = IndicatorValue.objects.get_or_create(
        unit=unit,
        indicator=indicator,
        year=year,
        defaults={"source": Source.ENTERED, "computed_at": timezone.now()},
    )
    row.numerator, row.denominator, row.value = num, den, computed
    row.status = evaluate(indicator, computed, threshold)
    row.threshold = threshold.value if threshold else None
    row.note, row.entered_by, row.computed_at = note, actor, timezone.now()
    row.source = Source.ENTERED
    row.full_clean()
    row.save()
    for f in files:
        attach_evidence(actor=actor, value=row, upload=f)
    audit.record_change(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=row,
        changed=["numerator", "denominator", "value", "note"],
    )
    return row


@transaction.atomic
def attach_evidence(*, actor, value: IndicatorValue, upload) -> Evidence:
    if not can_enter_values(actor, value.unit):
        raise PermissionDenied("Bạn không có quyền nhập số liệu cho đơn vị này.")
    checked = check_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=MAX_EVIDENCE_BYTES)
    evidence = Evidence(
        value=value,
        file=upload,
        original_name=checked.name,
        content_type=checked.content_type,
        uploaded_by=actor,
    )
    evidence.save()
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=evidence, changed=["file"])
    return evidence


def mark_stale(unit, *, year: int | None = None) -> None:
    """Called by other apps (procedures on a new or settled dossier) when `unit`'s figures
    changed. Records the unit as stale and, after the transaction commits, enqueues the task
    that recomputes it (immediate in tests and the demo; the DB worker in production)."""
    from ..tasks import recompute_unit

    StaleUnit.objects.update_or_create(unit=unit)
    year = year or timezone.localdate().year
    transaction.on_commit(lambda: recompute_unit.enqueue(unit_id=unit.pk, year=year))
