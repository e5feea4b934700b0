"""EPCIS 2.0 JSON-LD: building event documents in the CBV vocabulary, wrapping them in an
EPCISDocument, and validating against GS1's official JSON Schema (langso/trace/data/).

Vocabulary choices:
- harvest = ObjectEvent ADD, bizStep `commissioning`, disposition `active`;
- processing = TransformationEvent (inputs -> outputs), bizStep `commissioning`;
- packing = AggregationEvent ADD, bizStep `packing`;
- inspection / lab test = ObjectEvent OBSERVE, bizStep `inspecting`,
  disposition `conformant` / `non_conformant`, results under `langso:labResults`;
- shipping / receiving / retail selling = ObjectEvent OBSERVE with CBV `shipping`
  (`in_transit`), `receiving` (`in_progress`), `retail_selling` (`retail_sold`) and the
  trading partners in sourceList / destinationList (`owning_party`);
- CBV 2.0 has no step for planting or for applying fertiliser / pesticide, so those use the
  extension URIs `urn:langso:bizstep:planting` and `urn:langso:bizstep:input_application`
  (the schema's `vocab-other-uri`), with the input product, dose, method (drone spraying)
  and pre-harvest interval as `langso:` extension fields declared in the @context.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
LANGSO_NS = "urn:langso:epcis:"
CONTEXT = [EPCIS_CONTEXT, {"langso": LANGSO_NS}]
SCHEMA_PATH = Path(__file__).parent / "data" / "EPCIS-JSON-Schema.json"
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

BIZSTEP_PLANTING = "urn:langso:bizstep:planting"
BIZSTEP_INPUT = "urn:langso:bizstep:input_application"

#: kind -> (EPCIS type, action, bizStep, default disposition)
KIND_VOCABULARY = {
    "planting": ("ObjectEvent", "OBSERVE", BIZSTEP_PLANTING, "in_progress"),
    "input_application": ("ObjectEvent", "OBSERVE", BIZSTEP_INPUT, "in_progress"),
    "harvest": ("ObjectEvent", "ADD", "commissioning", "active"),
    "processing": ("TransformationEvent", "", "commissioning", "active"),
    "packing": ("AggregationEvent", "ADD", "packing", "in_progress"),
    "inspection": ("ObjectEvent", "OBSERVE", "inspecting", "conformant"),
    "shipping": ("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
    "receiving": ("ObjectEvent", "OBSERVE", "receiving", "in_progress"),
    "retail_selling": ("ObjectEvent", "OBSERVE", "retail_selling", "retail_sold"),
}
_CBV_PREFIXES = ("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:")


def kind_for(event: dict) -> str:
    """Our timeline kind for an imported event (by bizStep, short or long form)."""
    step = str(event.get("bizStep", ""))
    for prefix in _CBV_PREFIXES:
        if step.startswith(prefix):
            step = step[len(prefix) :]
    if event.get("type") == "TransformationEvent":
        return "processing"
    if event.get("type") == "AggregationEvent" and step in ("packing", ""):
        return "packing"
    return {
        BIZSTEP_PLANTING: "planting",
        BIZSTEP_INPUT: "input_application",
        "commissioning": "harvest",
        "inspecting": "inspection",
        "sampling": "inspection",
        "shipping": "shipping",
        "receiving": "receiving",
        "retail_selling": "retail_selling",
        "packing": "packing",
    }.get(step, "other")


def format_time(moment: datetime) -> tuple[str, str]:
    """An aware datetime -> (ISO eventTime in Vietnam time, '+07:00')."""
    local = timezone.localtime(moment, VN_TZ)
    text = local.isoformat(timespec="seconds")
    return text, text[-6:]


def _num(value) -> float | int:
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)


def quantity_element(epc_class: str, quantity=None, uom: str = "") -> dict:
    element: dict = {"epcClass": epc_class}
    if quantity is not None:
        element["quantity"] = _num(quantity)
        if uom:
            element["uom"] = uom
    return element


def build_event(
    *,
    kind: str,
    event_id: str,
    event_time: datetime,
    classes: list[str],
    quantity=None,
    uom: str = "",
    read_point: str = "",
    biz_location: str = "",
    disposition: str = "",
    sources: list[tuple[str, str]] = (),
    destinations: list[tuple[str, str]] = (),
    inputs: list[dict] = (),
    outputs: list[dict] = (),
    parent_id: str = "",
    extensions: dict | None = None,
    biz_transactions: list[dict] = (),
) -> dict:
    """One event as EPCIS 2.0 JSON (no @context: the document carries it)."""
    event_type, action, biz_step, default_disposition = KIND_VOCABULARY[kind]
    when, offset = format_time(event_time)
    event: dict = {
        "type": event_type,
        "eventID": event_id,
        "eventTime": when,
        "eventTimeZoneOffset": offset,
    }
    if event_type == "ObjectEvent":
        event["action"] = action
        event["quantityList"] = [quantity_element(c, quantity, uom) for c in classes]
    elif event_type == "AggregationEvent":
        event["action"] = action
        event["parentID"] = parent_id
        event["childQuantityList"] = [quantity_element(c, quantity, uom) for c in classes]
    elif event_type == "TransformationEvent":
        event["inputQuantityList"] = list(inputs)
        event["outputQuantityList"] = list(outputs)
    event["bizStep"] = biz_step
    event["disposition"] = disposition or default_disposition
    if read_point:
        event["readPoint"] = {"id": read_point}
    if biz_location:
        event["bizLocation"] = {"id": biz_location}
    if biz_transactions:
        event["bizTransactionList"] = list(biz_transactions)
    if sources:
        event["sourceList"] = [{"type": t, "source": s} for t, s in sources]
    if destinations:
        event["destinationList"] = [{"type": t, "destination": d} for t, d in destinations]
    for key, value in (extensions or {}).items():
        if value not in (None, "", [], {}):
            event[f"langso:{key}"] = value
    return event


def error_declaration(
    original: dict, *, declared_at: datetime, reason: str, corrective_ids: list[str]
) -> dict:
    """EPCIS 2.0 error declaration: the original event repeated with `errorDeclaration`."""
    event = dict(original)
    event["errorDeclaration"] = {
        "declarationTime": format_time(declared_at)[0],
        "reason": reason,
        "correctiveEventIDs": list(corrective_ids),
    }
    return event


def document(events: list[dict], *, sender: str = "") -> dict:
    doc = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": format_time(timezone.now())[0],
        "epcisBody": {"eventList": events},
    }
    if sender:
        doc["sender"] = sender
    return doc


def query_document(events: list[dict], *, query_name: str = "SimpleEventQuery") -> dict:
    """The answer to GET /events (EPCIS 2.0 REST binding): an EPCISQueryDocument."""
    return {
        "@context": CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": format_time(timezone.now())[0],
        "epcisBody": {
            "queryResults": {"queryName": query_name, "resultsBody": {"eventList": events}}
        },
    }


def event_epcs(event: dict) -> list[str]:
    """Every EPC and EPC class an event mentions (for MATCH_epc / MATCH_anyEPC)."""
    found: list[str] = []
    for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
        found.extend(event.get(key) or [])
    if event.get("parentID"):
        found.append(event["parentID"])
    for key in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        found.extend(q["epcClass"] for q in event.get(key) or [])
    return list(dict.fromkeys(found))


# --- validation ---------------------------------------------------------------------------

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uri")
    def _is_uri(value) -> bool:
        return not isinstance(value, str) or bool(_URI.match(value))

    @checker.checks("date-time", raises=ValueError)
    def _is_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", value):
            raise ValueError("not an RFC 3339 date-time")
        return parse_time(value) is not None

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=checker)


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _deepest(error):
    """jsonschema reports anyOf/allOf failures at the top; the leaf says what is wrong."""
    best = error
    while best.context:
        best = max(best.context, key=lambda e: (len(e.absolute_path), -len(e.context or [])))
    return best


def schema_errors(doc) -> list[str]:
    """Readable reasons why `doc` is not a valid EPCIS 2.0 document ([] when valid)."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    out = []
    for error in errors:
        leaf = _deepest(error)
        path = "/".join(str(p) for p in leaf.absolute_path) or "(gốc)"
        out.append(f"{path}: {leaf.message}")
    return out
