"""Entered values (with evidence) and freshness of computed values."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied
from langso.core.models import AuditAction
from langso.core.uploads import JPEG, PDF, PNG, WEBP, check_upload
from langso.core.validation import validate
from langso.places.models import AdminUnit

from ..evaluation import evaluate, figure_value, threshold_for
from ..exceptions import ValueNotEnterable
from ..models import Evidence, Indicator, IndicatorValue, PendingRecompute, Source
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
            _("%(label)s phải là một số.") % {"label": label}, code="monitor.not_a_number"
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
        raise ValueNotEnterable("Hãy nhập giá trị của chỉ tiêu.", code="monitor.value_required")
    if den is not None and den <= 0:
        raise ValueNotEnterable("Mẫu số phải lớn hơn 0.", code="monitor.bad_denominator")
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
    validate(row)
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
    """`unit`'s figures changed in the current transaction (procedures says so through
    core.figures.figures_changed on a new or settled dossier). Once it commits, queue one
    recompute of the unit unless one is already queued and not started: a burst of dossiers
    in a commune costs one recompute, and the caller's transaction locks nothing here."""
    unit_id = unit.pk
    year = year or timezone.localdate().year
    transaction.on_commit(lambda: queue_recompute(unit_id=unit_id, year=year))


def on_figures_changed(sender, *, unit, year: int | None = None, **kwargs) -> None:
    """Receiver of core.figures.figures_changed (connected in apps.MonitorConfig.ready)."""
    mark_stale(unit, year=year)


def queue_recompute(*, unit_id: int, year: int) -> bool:
    """Queue the recompute of (unit, year) unless one is pending; returns whether it queued.
    Runs after the change committed.

    A marker seen here (even one whose task is deleting it right now: the delete is not yet
    committed, and the task reads figures only after it is) belongs to a task that has not
    read any figure yet, so that task sees this change: nothing is lost by queueing nothing.
    The marker row and the task row commit together, so a marker never stands without its
    task; two changes racing to insert it are settled by the unique constraint."""
    from ..tasks import recompute_unit

    table = PendingRecompute._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT 1 FROM "{table}" WHERE "unit_id" = %s AND "year" = %s',  # noqa: S608
            [unit_id, year],
        )
        if cursor.fetchone() is not None:
            return False  # the usual case in a burst: one read, no transaction
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("unit_id", "year", "queued_at") '  # noqa: S608  fixed identifiers
            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [unit_id, year, timezone.now()],
        )
        queued = cursor.rowcount == 1
        if queued:
            recompute_unit.enqueue(unit_id=unit_id, year=year)
    return queued


def release_stuck_recomputes(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Queue again the recomputes whose marker waited over `older_than` (a periodic job).

    A marker always commits with its task, but the task can still vanish: queued task rows
    deleted by hand, a database restored without its queue. The marker would then stop every
    later recompute of its unit and year. A duplicate task is harmless (a recompute only
    rewrites the same figures), so an old marker is simply replaced with a fresh one and its
    task. Returns how many were queued again."""
    cutoff = timezone.now() - older_than
    stuck = list(
        PendingRecompute.objects.filter(queued_at__lt=cutoff).values_list("pk", "unit_id", "year")
    )
    queued = 0
    for pk, unit_id, year in stuck:
        if PendingRecompute.objects.filter(pk=pk, queued_at__lt=cutoff).delete()[0]:
            queued += queue_recompute(unit_id=unit_id, year=year)
    return queued


def recompute_queued_unit(*, unit_id: int, year: int) -> int:
    """The body of the queued task: recompute (unit, year) for every change committed
    before it starts. Returns the number of values written."""
    from .recompute import recompute_indicators

    # The marker goes first, committed on its own: a change committed from now on queues
    # another recompute (inside the transaction below, a concurrent change would wait for
    # all of it before it could tell).
    PendingRecompute.objects.filter(unit_id=unit_id, year=year).delete()
    unit = AdminUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two workers may run two recomputes of the unit; the one that started later
            # must also write last, or older figures would stand with nothing queued.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RECOMPUTE_LOCK, unit_id])
        return recompute_indicators(units=[unit], year=year).values


RECOMPUTE_LOCK = 0x4C534D52  # advisory lock namespace of monitor's recomputes
