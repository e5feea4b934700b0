import json
from decimal import Decimal

import pytest

from langso.core.exceptions import PermissionDenied
from langso.trace import epcis
from langso.trace.actions import correct_event, create_api_key, import_epcis_document, record_event
from langso.trace.exceptions import ChainRuleBroken, EpcisInvalid
from langso.trace.models import TraceEvent
from langso.trace.queries import batch_documents, query_events

from .conftest import vn


@pytest.fixture
def story(producer_user, batch):
    record_event(actor=producer_user, batch=batch, kind="planting", event_time=vn(2026, 2, 1))
    record_event(
        actor=producer_user,
        batch=batch,
        kind="input_application",
        event_time=vn(2026, 3, 1),
        details={
            "input_type": "pesticide",
            "input_product": "Abamectin 3.6EC",
            "dose": "0,5",
            "dose_unit": "l/ha",
            "method": "drone",
            "phi_days": 7,
        },
    )
    record_event(
        actor=producer_user,
        batch=batch,
        kind="harvest",
        event_time=vn(2026, 4, 1),
        quantity=Decimal("480"),
    )
    record_event(
        actor=producer_user,
        batch=batch,
        kind="inspection",
        event_time=vn(2026, 4, 2),
        details={
            "laboratory": "Trung tâm Kiểm nghiệm",
            "results": [{"name": "Abamectin", "value": "0", "unit": "mg/kg", "passed": True}],
        },
    )
    record_event(
        actor=producer_user,
        batch=batch,
        kind="packing",
        event_time=vn(2026, 4, 2),
        quantity=Decimal("400"),
    )
    ship = record_event(
        actor=producer_user,
        batch=batch,
        kind="shipping",
        event_time=vn(2026, 4, 3),
        quantity=Decimal("300"),
        details={"partner_name": "Siêu thị Hà Nội", "invoice": "HD-001"},
    )
    correct_event(
        actor=producer_user,
        event=ship,
        replacement={
            "kind": "shipping",
            "event_time": vn(2026, 4, 3),
            "quantity": Decimal("200"),
            "details": {"partner_name": "Siêu thị Hà Nội"},
        },
    )
    return batch


def _partner_doc(batch, **overrides):
    event = {
        "type": "ObjectEvent",
        "eventTime": "2026-04-05T10:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "in_progress",
        "eventID": "urn:uuid:0b9a1f3e-5d1c-4b7e-9a41-8f8c5f0c0a01",
        "quantityList": [
            {
                "epcClass": f"https://id.gs1.org/01/{batch.gtin}/10/{batch.lot}",
                "quantity": 200,
                "uom": "KGM",
            }
        ],
        "bizLocation": {"id": "urn:epc:id:sgln:8938600.00001.0"},
    }
    event.update(overrides)
    return epcis.document([event])


def test_a_batch_history_exports_as_a_valid_epcis_2_document(story):
    doc = epcis.document(batch_documents(story))
    assert doc["@context"][0] == "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    assert epcis.schema_errors(json.loads(json.dumps(doc))) == []
    types = [e["type"] for e in doc["epcisBody"]["eventList"]]
    assert types.count("AggregationEvent") == 1
    declarations = [e for e in doc["epcisBody"]["eventList"] if "errorDeclaration" in e]
    assert len(declarations) == 1


def test_a_processing_step_exports_as_a_transformation_event(
    producer_user, batch, product_without_gtin
):
    from langso.trace.actions import create_batch

    dried = create_batch(
        actor=producer_user, product=product_without_gtin, lot="KHO-01", quantity=100
    )
    ev = record_event(
        actor=producer_user,
        batch=dried,
        kind="processing",
        event_time=vn(2026, 4, 2),
        quantity=Decimal("100"),
        inputs=[(batch, Decimal("450"))],
    )
    assert ev.document["type"] == "TransformationEvent"
    assert ev.document["inputQuantityList"][0]["epcClass"].endswith("/10/VT2026-01")
    assert (
        f"/t/{product_without_gtin.public_id}/10/KHO-01"
        in ev.document["outputQuantityList"][0]["epcClass"]
    )
    assert epcis.schema_errors(epcis.document(batch_documents(dried))) == []


def test_a_query_by_biz_step_and_time_returns_a_valid_query_document(story, producer_user):
    rows, _next = query_events(
        producer_user,
        {
            "EQ_bizStep": "shipping",
            "GE_eventTime": "2026-04-03T00:00:00+07:00",
            "LT_eventTime": "2026-04-04T00:00:00+07:00",
        },
    )
    assert {e.biz_step for e in rows} == {"shipping"} and len(rows) == 3  # 2 + declaration
    doc = epcis.query_document([e.document for e in rows])
    assert epcis.schema_errors(doc) == []


def test_the_schema_validator_reports_the_reason(batch):
    doc = _partner_doc(batch, eventTimeZoneOffset="7h")
    assert any("eventTimeZoneOffset" in r for r in epcis.schema_errors(doc))
    assert any("action" in r for r in epcis.schema_errors(_partner_doc(batch, action=None)))


def test_a_partner_document_is_imported_onto_our_batch(story, producer_user):
    stored = import_epcis_document(actor=producer_user, document=_partner_doc(story))
    assert len(stored) == 1
    ev = stored[0]
    assert ev.kind == "receiving" and list(ev.batches.all()) == [story]
    assert ev.quantity == Decimal("200") and ev.details["imported"] is True
    # importing the same document again stores nothing twice
    assert import_epcis_document(actor=producer_user, document=_partner_doc(story)) == []


def test_one_invalid_event_refuses_the_whole_document(story, producer_user):
    doc = _partner_doc(story)
    bad = dict(doc["epcisBody"]["eventList"][0], eventID="urn:uuid:x-2", eventTime="ngày mai")
    doc["epcisBody"]["eventList"].append(bad)
    before = TraceEvent.objects.count()
    with pytest.raises(EpcisInvalid) as err:
        import_epcis_document(actor=producer_user, document=doc)
    assert err.value.code == "trace.epcis_invalid"
    assert "eventList/1/eventTime" in err.value.message
    assert "'ngày mai' is not a 'date-time'" in err.value.message
    assert TraceEvent.objects.count() == before


def test_a_document_breaking_a_chain_rule_is_refused_whole(story, producer_user):
    receive = _partner_doc(story)["epcisBody"]["eventList"][0]
    ship = dict(
        receive,
        eventID="urn:uuid:5d0c1f3e-5d1c-4b7e-9a41-8f8c5f0c0a02",
        bizStep="shipping",
        disposition="in_transit",
        quantityList=[dict(receive["quantityList"][0], quantity=999)],
    )
    before = TraceEvent.objects.count()
    with pytest.raises(ChainRuleBroken) as err:
        import_epcis_document(actor=producer_user, document=epcis.document([receive, ship]))
    assert err.value.code == "trace.ship_exceeds_packed"
    assert TraceEvent.objects.count() == before


def test_another_producers_key_cannot_write_onto_our_batch(story, commune):
    from langso.economy.models import Producer

    rival = Producer.objects.create(
        kind="enterprise", name="Công ty Chè Khác", commune=commune, province_code="19"
    )
    key, _secret = create_api_key(actor=_superuser(), producer=rival, name="rival")
    with pytest.raises(PermissionDenied):
        import_epcis_document(actor=key, document=_partner_doc(story))


def _superuser():
    from langso.people.models import User

    return User.objects.create_superuser("root", "root@example.vn", "pw")
