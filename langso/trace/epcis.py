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

JSON-LD contexts (what keeps a partner's extensions meaning what they meant):
- an imported event is stored with the `@context` it was captured under (the document's,
  then the event's own), so the stored JSON alone expands to the same JSON-LD;
- our own events carry no `@context` of their own: they mean what `CONTEXT` says;
- a document that carries several events (`document`, `query_document`) gets one top-level
  `@context`: the EPCIS context, then every event's term definitions merged. An event whose
  terms would expand differently under the merged context (the same prefix bound to another
  IRI by another sender, a typed term another sender did not type) carries an embedded
  `@context` with its own definitions (`compose`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
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
#: GS1's EPCIS 2.0 context document (the file published at EPCIS_CONTEXT), see data/README.md
CONTEXT_PATH = Path(__file__).parent / "data" / "epcis-context.jsonld"
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
    sources: Sequence[tuple[str, str]] = (),
    destinations: Sequence[tuple[str, str]] = (),
    inputs: Sequence[dict] = (),
    outputs: Sequence[dict] = (),
    parent_id: str = "",
    extensions: dict | None = None,
    biz_transactions: Sequence[dict] = (),
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


# --- JSON-LD contexts ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def epcis_context_document() -> dict:
    """The EPCIS 2.0 context document, read from the package (never fetched)."""
    return json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _epcis_terms() -> frozenset[str]:
    """Terms the EPCIS context defines (protected: a partner cannot redefine them)."""
    return frozenset(epcis_context_document()["@context"])


def _as_list(context) -> list:
    if context is None:
        return []
    return list(context) if isinstance(context, list) else [context]


def capture_context(document_context, event_context=None) -> list:
    """The @context an event was captured under: its document's, then its own."""
    return _as_list(document_context) + _as_list(event_context)


def _split(context) -> tuple[list[str], dict]:
    """(remote context URLs, the term definitions of the inline contexts merged in order)."""
    remote, terms = [], {}
    for item in _as_list(context):
        if isinstance(item, str):
            remote.append(item)
        elif isinstance(item, dict):
            terms.update(item)
    return remote, terms


#: keywords of a context that describe processing, not terms: never merged across senders
_PROCESSING = {"@version", "@protected", "@propagate", "@import"}


def _mentions(event: dict, term: str) -> bool:
    """Whether `term` could take part in expanding `event` (as a key, a value or a prefix);
    errs on the side of yes."""
    text = json.dumps(event, ensure_ascii=False)
    return f'"{term}"' in text or f'"{term}:' in text


def compose(events: list[dict]) -> tuple[list, list[dict]]:
    """(top-level @context, events) for one document carrying these stored events, such
    that each event expands exactly as it did when captured (see the module docstring).

    Every term definition goes to the top-level context, unless an event that does not
    define the term could be touched by it (a key, value or prefix it uses): then the term
    stays in the @context of the events that define it. An event that defines a top-level
    term differently carries its own definition. So no definition is ever unbound (which
    JSON-LD processors handle unevenly), and the common case is one context for all."""
    remote: list[str] = [EPCIS_CONTEXT]
    merged: dict = {}
    parts = []
    protected = _epcis_terms()
    for event in events:
        body = {k: v for k, v in event.items() if k != "@context"}
        urls, terms = _split(event.get("@context", CONTEXT))
        terms = {t: v for t, v in terms.items() if t not in _PROCESSING and t not in protected}
        remote += [u for u in urls if u not in remote]
        for term, definition in terms.items():
            merged.setdefault(term, definition)
        parts.append((body, terms))
    kept_down = {
        term
        for body, terms in parts
        for term in merged
        if term not in terms and (term.startswith("@") or _mentions(body, term))
    }
    top = {t: v for t, v in merged.items() if t not in kept_down}
    out = []
    missing = object()
    for body, terms in parts:
        own = {t: v for t, v in terms.items() if t in kept_down or top.get(t, missing) != v}
        out.append({"@context": own, **body} if own else body)
    return remote + ([top] if top else []), out


def _definitions(context) -> dict:
    return {t: v for t, v in _split(context)[1].items() if t not in _PROCESSING}


def _iri(key: str, terms: dict) -> str:
    """A key as the IRI it stands for (terms and compact IRIs of the event's context)."""
    definition = terms.get(key)
    if isinstance(definition, dict):
        definition = definition.get("@id")
    if isinstance(definition, str):
        key = definition
    prefix, sep, rest = key.partition(":")
    if sep and not rest.startswith("//"):
        base = terms.get(prefix)
        base = base.get("@id") if isinstance(base, dict) else base
        if isinstance(base, str):
            return base + rest
    return key


def _canonical(value, terms: dict):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "@context":
                continue
            iri = _iri(key, terms)
            typing = terms.get(key)
            out[iri] = [_canonical(item, terms), typing if isinstance(typing, dict) else None]
        return out
    if isinstance(value, list):
        return [_canonical(v, terms) for v in value]
    return value


def same_event(stored: dict, incoming: dict) -> bool:
    """Whether two events (each with the @context it came with; none: ours) say the same:
    the same fields under the same IRIs, with the same values and term typing."""

    def form(event):
        terms = _definitions(event.get("@context", CONTEXT))
        return json.dumps(_canonical(event, terms), sort_keys=True, ensure_ascii=False)

    return form(stored) == form(incoming)


def document(events: list[dict], *, sender: str = "") -> dict:
    context, events = compose(events)
    doc = {
        "@context": context,
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
    context, events = compose(events)
    return {
        "@context": context,
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
