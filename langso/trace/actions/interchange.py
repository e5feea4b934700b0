"""Importing a partner's EPCIS 2.0 document: all events or none.

An event keeps the JSON-LD @context it came with (stored in its document), so that what
the platform answers later expands to the same IRIs and value types (see epcis.py).

An eventID already stored:
- the same event again (same fields under the same IRIs): nothing to do (idempotent);
- a different event without `errorDeclaration`: the whole capture fails, naming the event
  (`EventIdConflict`); an EPCIS event ID names one event only;
- with `errorDeclaration`: the stored event is declared wrong (the declaration is stored
  and linked to it); a second, different declaration of the same event fails as above.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core.audit import record
from langso.core.exceptions import PermissionDenied
from langso.core.models import AuditAction

from .. import epcis
from ..exceptions import EpcisInvalid, EventIdConflict
from ..identifiers import parse_class_uri
from ..models import ApiKey, Batch, CaptureJob, TraceEvent
from .events import authorise, check_chain, store_event

#: rules are checked for imported events of these kinds on our batches
RULED_KINDS = {"harvest", "planting", "packing", "shipping", "retail_selling"}


def _batches_for(event: dict) -> tuple[list[Batch], dict[int, Decimal | None]]:
    """Our batches the event mentions (by Digital Link class or EPC) and their quantities."""
    quantities: dict[str, Decimal | None] = {}
    for key in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        for q in event.get(key) or []:
            quantities[q["epcClass"]] = Decimal(str(q["quantity"])) if "quantity" in q else None
    for uri in epcis.event_epcs(event):
        quantities.setdefault(uri, None)
    found: list[Batch] = []
    amounts: dict[int, Decimal | None] = {}
    for uri, qty in quantities.items():
        link = parse_class_uri(uri)
        if link is None or not link.lot:
            continue
        if link.gtin:
            cond = Q(gtin=link.gtin)
        else:
            cond = Q(product__public_id=link.product_public_id, gtin="")
        batch = (
            Batch.objects.select_related("producer", "product").filter(cond, lot=link.lot).first()
        )
        if batch and batch.pk not in amounts:
            found.append(batch)
            amounts[batch.pk] = qty
    return found, amounts


@transaction.atomic
def import_epcis_document(*, actor, document, producer=None) -> list[TraceEvent]:
    """Validate the whole document against the EPCIS 2.0 JSON Schema, then store every
    event. Any invalid event, broken chain rule or foreign batch refuses the whole document
    (the transaction rolls back). The same event sent again is skipped; another event under
    a stored eventID raises EventIdConflict (module docstring)."""
    errors = epcis.schema_errors(document)
    if not errors and document.get("type") != "EPCISDocument":
        errors = [_("type: chỉ nhận EPCISDocument")]
    if errors:
        raise EpcisInvalid(
            _("Tài liệu EPCIS không hợp lệ theo JSON Schema EPCIS 2.0: %(reason)s")
            % {"reason": errors[0]},
            reasons=errors,
        )
    if isinstance(actor, ApiKey):
        producer = actor.producer
    stored: list[TraceEvent] = []
    document_context = document.get("@context")
    for index, sent in enumerate(document["epcisBody"]["eventList"]):
        event = {k: v for k, v in sent.items() if k != "@context"}
        context = epcis.capture_context(document_context, sent.get("@context"))
        kind = epcis.kind_for(event)
        batches, amounts = _batches_for(event)
        for batch in batches:
            authorise(actor, batch.producer, kind)
        owner = batches[0].producer if batches else producer
        if owner is None:
            raise PermissionDenied(_("Sự kiện %(n)s không thuộc lô nào của bạn.") % {"n": index})
        event_id = event.get("eventID")
        declared = "errorDeclaration" in event
        if event_id and _already_stored(index, event_id, declared, {"@context": context, **event}):
            continue
        quantity = amounts.get(batches[0].pk) if batches else None
        event_time = epcis.parse_time(event["eventTime"])
        if not declared and kind in RULED_KINDS:
            for batch in batches:
                check_chain(
                    batch=batch, kind=kind, event_time=event_time, quantity=amounts.get(batch.pk)
                )
        wrong = None
        if declared and event_id:
            wrong = TraceEvent.objects.filter(event_id=event_id, is_error_declaration=False).first()
        details: dict = {"imported": True}
        if kind == "input_application":
            details.update(
                {
                    "input_type": event.get("langso:inputType"),
                    "input_product": event.get("langso:inputProduct"),
                    "phi_days": event.get("langso:preHarvestIntervalDays"),
                }
            )
        dest = [d.get("destination") for d in event.get("destinationList") or []]
        if dest:
            details["partner"] = dest[0]
        stored.append(
            store_event(
                document={"@context": context, **event},
                kind=kind,
                batches=batches,
                producer=owner,
                actor=actor,
                details=details,
                quantity=quantity,
                uom=_uom(event),
                declared_wrong=wrong,
            )
        )
    record(
        actor=None if isinstance(actor, ApiKey) else actor,
        action=AuditAction.IMPORT,
        object_type="trace.EPCISDocument",
        object_repr=f"{len(stored)} events",
        unit=producer.commune if producer else None,
        fields={"events": len(stored)},
    )
    return stored


def _already_stored(index: int, event_id: str, declared: bool, incoming: dict) -> bool:
    """True if this very event is stored already; raises EventIdConflict if another event
    is stored under its eventID."""
    rows = {
        row.is_error_declaration: row.document
        for row in TraceEvent.objects.filter(event_id=event_id).only(
            "document", "is_error_declaration"
        )
    }
    if declared in rows:
        if epcis.same_event(rows[declared], incoming):
            return True
        other = rows[declared]
    elif not declared and True in rows:
        # its error declaration came first: it must declare this very event wrong
        other = {k: v for k, v in rows[True].items() if k != "errorDeclaration"}
        if epcis.same_event(other, incoming):
            return False
    else:
        return False
    raise EventIdConflict(
        _(
            "Sự kiện thứ %(n)s (eventID %(id)s) khác với sự kiện đã lưu cùng eventID đó; "
            "một eventID chỉ được dùng cho một sự kiện. Không sự kiện nào của tài liệu "
            "được lưu."
        )
        % {"n": index + 1, "id": event_id},
        event_id=event_id,
        index=index,
        stored_type=other.get("type", ""),
    )


def _uom(event: dict) -> str:
    for key in ("quantityList", "childQuantityList", "outputQuantityList"):
        for q in event.get(key) or []:
            return q.get("uom", "")
    return ""


def capture_document(*, actor, document) -> CaptureJob:
    """EPCIS capture: import the document (all or nothing) and keep the job that the
    capture interface answers with (202 + its address). A document refused by the schema
    or the rules raises as `import_epcis_document` does; one whose eventID collides with
    another stored event gives a failed job (nothing stored), which the caller can read."""
    is_key = isinstance(actor, ApiKey)
    who = {"api_key": actor if is_key else None, "created_by": None if is_key else actor}
    try:
        with transaction.atomic():
            stored = import_epcis_document(actor=actor, document=document)
            return CaptureJob.objects.create(
                **who, finished_at=timezone.now(), event_ids=[e.event_id for e in stored]
            )
    except EventIdConflict as exc:
        return CaptureJob.objects.create(
            **who,
            finished_at=timezone.now(),
            success=False,
            errors=[{"code": exc.code, "detail": exc.message, **exc.details}],
        )
