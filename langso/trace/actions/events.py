"""Recording EPCIS events on batches, the chain rules, and corrections.

Rules (each refusal has a stable code and a Vietnamese message; nothing is stored):
- no event in the future;
- no harvest before the batch's planting (and no planting after its harvest);
- no packing of more than the batch holds;
- no shipping of more than was packed;
- no shipping or retail sale inside the pre-harvest interval (PHI) of a pesticide applied to
  the batch or to a batch it was processed from.
Events declared wrong (error declaration) no longer count for the rules.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import formats, gs1
from langso.core.audit import record_change
from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.models import AuditAction

from .. import epcis
from .. import exceptions as codes
from ..exceptions import AlreadyCorrected, ChainRuleBroken
from ..identifiers import (
    batch_class_uri,
    growing_area_uri,
    partner_uri,
    producer_location_uri,
    producer_party_uri,
    public_base,
)
from ..models import ApiKey, Batch, EventKind, TraceEvent
from ..permissions import can_record
from ..queries import ancestors_of, effective_events

logger = logging.getLogger(__name__)

INPUT_TYPES = {"fertiliser", "pesticide"}
METHODS = {"manual", "drone", "machine"}
SALE_KINDS = {EventKind.SHIPPING, EventKind.RETAIL_SELLING}


def _vn(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def authorise(actor, producer, kind: str) -> None:
    if isinstance(actor, ApiKey):
        if actor.revoked_at is None and actor.producer_id == producer.pk:
            return
    elif can_record(actor, producer, kind):
        return
    raise PermissionDenied(_("Bạn không có quyền ghi sự kiện cho lô của chủ thể này."))


def _sum(qs) -> Decimal:
    return sum((e.quantity or Decimal(0) for e in qs), Decimal(0))


def check_chain(
    *,
    batch: Batch,
    kind: str,
    event_time: datetime,
    quantity: Decimal | None,
    exclude: AbstractSet[int] = frozenset(),
) -> None:
    if event_time > timezone.now() + timedelta(minutes=10):
        raise ChainRuleBroken(
            _("Không thể ghi sự kiện ở thời điểm trong tương lai."), code=codes.EVENT_IN_FUTURE
        )
    events = effective_events(batch, exclude)
    if kind == EventKind.HARVEST:
        late_planting = events.filter(kind=EventKind.PLANTING, event_time__gt=event_time).first()
        if late_planting:
            raise ChainRuleBroken(
                _(
                    "Không thể thu hoạch lô %(lot)s lúc %(time)s: lô được gieo trồng lúc "
                    "%(planted)s, sau thời điểm thu hoạch."
                )
                % {
                    "lot": batch.lot,
                    "time": _vn(event_time),
                    "planted": _vn(late_planting.event_time),
                },
                code=codes.HARVEST_BEFORE_PLANTING,
            )
    if kind == EventKind.PLANTING:
        early_harvest = events.filter(kind=EventKind.HARVEST, event_time__lt=event_time).first()
        if early_harvest:
            raise ChainRuleBroken(
                _(
                    "Không thể ghi gieo trồng lúc %(time)s: lô %(lot)s đã thu hoạch lúc "
                    "%(harvested)s, trước thời điểm này."
                )
                % {
                    "lot": batch.lot,
                    "time": _vn(event_time),
                    "harvested": _vn(early_harvest.event_time),
                },
                code=codes.HARVEST_BEFORE_PLANTING,
            )
    if kind == EventKind.PACKING and quantity is not None:
        packed = _sum(events.filter(kind=EventKind.PACKING))
        if packed + quantity > batch.quantity:
            raise ChainRuleBroken(
                _(
                    "Không thể đóng gói %(qty)s %(unit)s: lô %(lot)s chỉ có %(total)s %(unit)s, "
                    "đã đóng gói %(packed)s %(unit)s."
                )
                % {
                    "qty": _fmt(quantity),
                    "unit": batch.unit,
                    "lot": batch.lot,
                    "total": _fmt(batch.quantity),
                    "packed": _fmt(packed),
                },
                code=codes.PACK_EXCEEDS_BATCH,
            )
    if kind == EventKind.SHIPPING:
        packed = _sum(events.filter(kind=EventKind.PACKING))
        shipped = _sum(events.filter(kind=EventKind.SHIPPING))
        if shipped + (quantity or Decimal(0)) > packed:
            raise ChainRuleBroken(
                _(
                    "Không thể xuất %(qty)s %(unit)s của lô %(lot)s: mới đóng gói %(packed)s "
                    "%(unit)s, đã xuất %(shipped)s %(unit)s."
                )
                % {
                    "qty": _fmt(quantity or 0),
                    "unit": batch.unit,
                    "lot": batch.lot,
                    "packed": _fmt(packed),
                    "shipped": _fmt(shipped),
                },
                code=codes.SHIP_EXCEEDS_PACKED,
            )
    if kind in SALE_KINDS:
        _check_pre_harvest_interval(batch, kind, event_time, exclude)


def _check_pre_harvest_interval(batch, kind, event_time, exclude) -> None:
    for source in [batch, *ancestors_of(batch)]:
        sprays = effective_events(source, exclude).filter(
            kind=EventKind.INPUT, event_time__lte=event_time
        )
        for spray in sprays:
            days = spray.details.get("phi_days")
            if spray.details.get("input_type") != "pesticide" or not days:
                continue
            safe_from = spray.event_time + timedelta(days=int(days))
            if event_time < safe_from:
                action = _("bán") if kind == EventKind.RETAIL_SELLING else _("xuất hàng")
                raise ChainRuleBroken(
                    _(
                        "Chưa được %(action)s lô %(lot)s: thuốc bảo vệ thực vật "
                        '"%(product)s" phun ngày %(sprayed)s có thời gian cách ly %(days)s '
                        "ngày, sớm nhất được %(action)s từ %(safe)s."
                    )
                    % {
                        "action": action,
                        "lot": batch.lot,
                        "product": spray.details.get("input_product", ""),
                        "sprayed": timezone.localtime(spray.event_time).strftime("%d/%m/%Y"),
                        "days": days,
                        "safe": _vn(safe_from),
                    },
                    code=codes.PRE_HARVEST_INTERVAL,
                )


def _fmt(value) -> str:
    return formats.number(Decimal(value))


def _clean_details(kind: str, details: dict) -> dict:
    out = {k: v for k, v in (details or {}).items() if v not in (None, "")}
    if kind == EventKind.INPUT:
        if out.get("input_type") not in INPUT_TYPES:
            raise ValidationFailed(
                _("Hãy chọn loại vật tư: phân bón hoặc thuốc bảo vệ thực vật."),
                code=codes.MISSING_DETAIL,
            )
        if not out.get("input_product"):
            raise ValidationFailed(_("Hãy ghi tên vật tư đã dùng."), code=codes.MISSING_DETAIL)
        if out.get("method", "manual") not in METHODS:
            raise ValidationFailed(_("Cách bón/phun không hợp lệ."), code=codes.MISSING_DETAIL)
        if out["input_type"] == "pesticide":
            try:
                out["phi_days"] = int(out.get("phi_days", ""))  # absent: int("") fails as int(None)
            except (TypeError, ValueError) as exc:
                raise ValidationFailed(
                    _("Thuốc bảo vệ thực vật phải có thời gian cách ly (số ngày)."),
                    code=codes.MISSING_DETAIL,
                ) from exc
            if out["phi_days"] < 0:
                raise ValidationFailed(
                    _("Thời gian cách ly không thể âm."), code=codes.MISSING_DETAIL
                )
    if out.get("partner_gln"):
        try:
            out["partner_gln"] = gs1.normalize_gln(str(out["partner_gln"]))
        except gs1.InvalidKey as exc:
            raise ValidationFailed(
                _("Mã GLN của đối tác phải có 13 chữ số và đúng số kiểm tra."),
                code=codes.INVALID_GLN,
            ) from exc
    if kind in (EventKind.SHIPPING, EventKind.RECEIVING) and not out.get("partner_name"):
        raise ValidationFailed(
            _("Hãy ghi tên đối tác nhận / giao hàng."), code=codes.MISSING_DETAIL
        )
    if kind == EventKind.INSPECTION:
        results = out.get("results") or []
        out["results"] = [dict(r) for r in results]
        out["passed"] = bool(out.get("passed", all(r.get("passed", True) for r in results)))
    return out


def _where(batch: Batch, kind: str, details: dict) -> tuple[str, str]:
    producer = batch.producer
    if kind in (EventKind.PLANTING, EventKind.INPUT, EventKind.HARVEST) and batch.growing_area:
        uri = growing_area_uri(batch.growing_area)
        return uri, uri
    if kind in (EventKind.RECEIVING, EventKind.RETAIL_SELLING) and details.get("partner_name"):
        uri = partner_uri(details["partner_name"], details.get("partner_gln", ""))
        return uri, uri
    uri = producer_location_uri(producer)
    return uri, uri


def _extensions(kind: str, details: dict) -> dict:
    if kind == EventKind.INPUT:
        return {
            "inputType": details.get("input_type"),
            "inputProduct": details.get("input_product"),
            "activeIngredient": details.get("active_ingredient"),
            "dose": details.get("dose"),
            "doseUnit": details.get("dose_unit"),
            "applicationMethod": details.get("method", "manual"),
            "preHarvestIntervalDays": details.get("phi_days"),
            "note": details.get("note"),
        }
    if kind == EventKind.INSPECTION:
        return {
            "laboratory": details.get("laboratory"),
            "reportNumber": details.get("report_number"),
            "labResults": details.get("results"),
            "note": details.get("note"),
        }
    if kind == EventKind.PLANTING:
        return {"variety": details.get("variety"), "note": details.get("note")}
    return {"note": details.get("note")}


def build_document(
    *,
    batch: Batch,
    kind: str,
    event_id: str,
    event_time: datetime,
    quantity,
    details: dict,
    inputs: list[tuple[Batch, Decimal]],
    disposition: str = "",
    uom: str = "",
) -> dict:
    read_point, biz_location = _where(batch, kind, details)
    cls = batch_class_uri(batch)
    sources: list[tuple[str, str]] = []
    destinations: list[tuple[str, str]] = []
    if kind in (EventKind.SHIPPING, EventKind.RECEIVING, EventKind.RETAIL_SELLING):
        sources.append(("owning_party", producer_party_uri(batch.producer)))
        if details.get("partner_name"):
            destinations.append(
                (
                    "owning_party",
                    partner_uri(details["partner_name"], details.get("partner_gln", "")),
                )
            )
    biz_transactions = []
    if details.get("invoice"):
        biz_transactions.append(
            {"type": "inv", "bizTransaction": f"{public_base()}/t/inv/{details['invoice']}"}
        )
    if kind == EventKind.INSPECTION and not disposition:
        disposition = "conformant" if details.get("passed", True) else "non_conformant"
    return epcis.build_event(
        kind=kind,
        event_id=event_id,
        event_time=event_time,
        classes=[cls],
        quantity=quantity,
        uom=(uom or batch.uom) if quantity is not None else "",
        read_point=read_point,
        biz_location=biz_location,
        disposition=disposition,
        sources=sources,
        destinations=destinations,
        inputs=[epcis.quantity_element(batch_class_uri(b), q, b.uom) for b, q in inputs],
        outputs=[epcis.quantity_element(cls, quantity, uom or batch.uom)],
        parent_id=f"{public_base()}/t/pkg/{uuid.uuid4()}" if kind == EventKind.PACKING else "",
        extensions={
            **_extensions(kind, details),
            # who: the producer responsible for the lot (partners: source/destination)
            "responsibleParty": producer_party_uri(batch.producer),
        },
        biz_transactions=biz_transactions,
    )


def store_event(
    *,
    document: dict,
    kind: str,
    batches: list[Batch],
    producer,
    actor,
    details: dict,
    quantity=None,
    uom: str = "",
    corrects=None,
    declared_wrong=None,
) -> TraceEvent:
    """Insert one event row (and its batch links) from its EPCIS JSON. Used by capture,
    import and correction alike; it never updates an existing row."""
    event = TraceEvent(
        event_id=document["eventID"] if document.get("eventID") else f"urn:uuid:{uuid.uuid4()}",
        is_error_declaration="errorDeclaration" in document,
        declared_wrong=declared_wrong,
        corrects=corrects,
        producer=producer,
        kind=kind,
        event_type=document["type"],
        action=document.get("action", ""),
        biz_step=str(document.get("bizStep", "")),
        disposition=str(document.get("disposition", "")),
        event_time=epcis.parse_time(document["eventTime"]),
        tz_offset=document["eventTimeZoneOffset"],
        read_point=(document.get("readPoint") or {}).get("id", ""),
        biz_location=(document.get("bizLocation") or {}).get("id", ""),
        quantity=quantity,
        uom=uom,
        epcs=f" {' '.join(epcis.event_epcs(document))} ",  # spaces delimit exact matches
        details=details,
        document=document,
        captured_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # an event captured without eventID keeps none (adding one would change its JSON-LD
    # meaning); the row's event_id is then a generated urn:uuid
    event.full_clean(
        exclude=["batches", "declared_wrong", "corrects", "producer", "captured_by", "event_id"]
    )
    event.save(force_insert=True)
    if batches:
        event.batches.add(*batches)
        touch_batches([b.pk for b in batches])
    return event


class _PageRefresh:
    """A transaction's on-commit callback: the batches it touched, the savepoints it saw."""

    def __init__(self, sids: set[str]):
        self.ids: set[int] = set()
        self.sids = sids

    def __call__(self) -> None:
        refresh_scan_pages(sorted(self.ids))


def touch_batches(batch_ids: list[int]) -> None:
    """Bump the batches' version; on commit, drop their scan pages (and those of batches
    made from them) from the page cache and queue their rendering: once per transaction,
    however many events it stores (an EPCIS import of a thousand events)."""
    Batch.objects.filter(pk__in=batch_ids).update(version=F("version") + 1)
    callback = getattr(_pending, "callback", None)
    connection = transaction.get_connection()
    active = set(connection.savepoint_ids)
    # reuse the callback of this transaction if it was queued here or in an enclosing block
    # that is still open (a savepoint since released or rolled back gets a callback anew)
    if (
        callback is None
        or not callback.sids <= active
        or not any(item[1] is callback for item in connection.run_on_commit)
    ):
        callback = _PageRefresh(active)
        _pending.callback = callback
        callback.ids.update(batch_ids)  # before on_commit: outside a transaction it runs now
        transaction.on_commit(callback)
    else:
        callback.ids.update(batch_ids)


_pending = threading.local()


def refresh_scan_pages(batch_ids: list[int]) -> None:
    """Drop the cached scan pages now (the next scan renders the new story), then have the
    worker render them ahead of the next scan."""
    from ..pages import forget_pages
    from ..tasks import render_scan_pages

    ids = forget_pages(batch_ids)
    try:
        render_scan_pages.enqueue(batch_ids=ids)
    except Exception:  # the pages render on their next scan anyway
        logger.warning("Scan pages not queued for rendering.", exc_info=True)


#: what a harvest is weighed in (UN/CEFACT codes); the lot may be counted in retail units
HARVEST_UNITS = {"kg": "KGM", "tấn": "TNE"}


def _event_unit(batch: Batch, kind: str, unit: str) -> tuple[str, str]:
    """(unit, UN/CEFACT code) of an event's quantity: a harvest's own weight unit (kg unless
    told), any other event's the lot's unit (it adds up against the lot's quantity)."""
    unit = (unit or "").strip()
    if kind == EventKind.HARVEST:
        unit = unit or "kg"
        if unit not in HARVEST_UNITS:
            raise ValidationFailed(
                _("Sản lượng thu hoạch ghi bằng kg hoặc tấn."), code="trace.invalid_unit"
            )
        return unit, HARVEST_UNITS[unit]
    if unit and unit != batch.unit:
        raise ValidationFailed(
            _("Số lượng của sự kiện này ghi theo đơn vị của lô (%(unit)s).") % {"unit": batch.unit},
            code="trace.invalid_unit",
        )
    return batch.unit, batch.uom


@transaction.atomic
def record_event(
    *,
    actor,
    batch: Batch,
    kind: str,
    event_time: datetime,
    quantity: Decimal | None = None,
    unit: str = "",
    details: dict | None = None,
    inputs: Sequence[tuple[Batch, Decimal]] = (),
    disposition: str = "",
    _corrects: TraceEvent | None = None,
) -> TraceEvent:
    """Record what happened to a batch. `inputs` (processing): the batches consumed and how
    much of each; the batch itself is the output. `unit`: a harvest's weight unit (kg, tấn);
    other quantities are in the lot's unit."""
    if kind not in EventKind.values or kind == EventKind.OTHER:
        raise ValidationFailed(_("Loại sự kiện không hợp lệ."), code="trace.invalid_kind")
    authorise(actor, batch.producer, kind)
    for source, _qty in inputs:
        authorise(actor, source.producer, kind)
    if timezone.is_naive(event_time):
        event_time = timezone.make_aware(event_time)
    if quantity is not None:
        quantity = Decimal(quantity)
        if quantity <= 0:
            raise ValidationFailed(_("Số lượng phải lớn hơn 0."), code="trace.invalid_quantity")
    if kind in (EventKind.PACKING, EventKind.SHIPPING, EventKind.HARVEST) and quantity is None:
        raise ValidationFailed(_("Hãy ghi số lượng."), code=codes.MISSING_DETAIL)
    if kind == EventKind.PROCESSING and not inputs:
        raise ValidationFailed(
            _("Chế biến cần ít nhất một lô nguyên liệu đầu vào."), code=codes.MISSING_DETAIL
        )
    details = _clean_details(kind, details or {})
    unit, uom = _event_unit(batch, kind, unit)
    if kind == EventKind.HARVEST and quantity is not None:
        details["unit"] = unit
    if inputs:
        details["input_batch_ids"] = [b.pk for b, _q in inputs]
        details["inputs"] = [
            {"lot": b.lot, "product": b.product.name, "quantity": str(q), "unit": b.unit}
            for b, q in inputs
        ]
    exclude = {_corrects.pk} if _corrects else set()
    check_chain(batch=batch, kind=kind, event_time=event_time, quantity=quantity, exclude=exclude)
    event_id = f"urn:uuid:{uuid.uuid4()}"
    document = build_document(
        batch=batch,
        kind=kind,
        event_id=event_id,
        event_time=event_time,
        quantity=quantity,
        uom=uom,
        details=details,
        inputs=list(inputs),
        disposition=disposition,
    )
    errors = epcis.schema_errors(epcis.document([document]))
    if errors:  # our own builder must never produce an invalid event
        raise ValidationFailed(errors[0], code=codes.EPCIS_INVALID)
    event = store_event(
        document=document,
        kind=kind,
        batches=[batch, *[b for b, _q in inputs]],
        producer=batch.producer,
        actor=actor,
        details=details,
        quantity=quantity,
        uom=uom if quantity is not None else "",
        corrects=_corrects,
    )
    _update_batch_dates(batch, kind, event_time)
    if not isinstance(actor, ApiKey):
        record_change(
            actor=actor,
            action=AuditAction.CREATE,
            target=event,
            changed=["kind", "event_time"],
            unit=batch.commune,
        )
    return event


def _update_batch_dates(batch: Batch, kind: str, event_time: datetime) -> None:
    fields: dict[str, str] = {
        EventKind.PLANTING: "planted_on",
        EventKind.HARVEST: "harvested_on",
        EventKind.PACKING: "packed_on",
    }
    field = fields.get(kind)
    if field and getattr(batch, field) is None:
        setattr(batch, field, timezone.localtime(event_time).date())
        batch.save(update_fields=[field, "updated_at"])


@transaction.atomic
def correct_event(
    *,
    actor,
    event: TraceEvent,
    reason: str = "incorrect_data",
    replacement: dict | None = None,
    note: str = "",
) -> TraceEvent:
    """Declare a published event wrong (EPCIS error declaration, same eventID) and, when
    `replacement` is given (record_event keyword arguments), record the corrected event.
    The original row stays as it was. Returns the error declaration."""
    event = TraceEvent.objects.select_for_update().get(pk=event.pk)
    batches = list(event.batches.select_related("producer", "product"))
    producer = event.producer or (batches[0].producer if batches else None)
    if producer is None:
        raise PermissionDenied(_("Không xác định được chủ thể của sự kiện."))
    authorise(actor, producer, event.kind)
    if event.is_error_declaration or event.error_declarations.exists():
        raise AlreadyCorrected(_("Sự kiện này đã được đính chính trước đó."))
    if reason not in ("incorrect_data", "did_not_occur"):
        raise ValidationFailed(_("Lý do đính chính không hợp lệ."), code="trace.invalid_reason")
    corrective: list[TraceEvent] = []
    if replacement:
        batch = replacement.pop("batch", batches[0] if batches else None)
        corrective.append(record_event(actor=actor, batch=batch, _corrects=event, **replacement))
    declared = epcis.error_declaration(
        {**event.document, "eventID": event.event_id},
        declared_at=timezone.now(),
        reason=reason,
        corrective_ids=[c.event_id for c in corrective],
    )
    details = {"note": note} if note else {}
    declaration = store_event(
        document=declared,
        kind=event.kind,
        batches=batches,
        producer=producer,
        actor=actor,
        details=details,
        quantity=event.quantity,
        uom=event.uom,
        declared_wrong=event,
    )
    if not isinstance(actor, ApiKey):
        record_change(
            actor=actor,
            action=AuditAction.CREATE,
            target=declaration,
            changed=["errorDeclaration"],
            unit=producer.commune,
        )
    return declaration
