from decimal import Decimal

import pytest

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.trace.actions import correct_event, create_batch, record_event
from langso.trace.exceptions import AlreadyCorrected, ChainRuleBroken
from langso.trace.models import TraceEvent

from .conftest import make_user, vn

PESTICIDE = {
    "input_type": "pesticide",
    "input_product": "Abamectin 3.6EC",
    "dose": "0,5",
    "dose_unit": "l/ha",
    "method": "drone",
    "phi_days": 7,
}


def _grow_and_pack(user, batch, packed=Decimal("100")):
    record_event(actor=user, batch=batch, kind="planting", event_time=vn(2026, 2, 1, 7))
    record_event(
        actor=user,
        batch=batch,
        kind="harvest",
        event_time=vn(2026, 4, 1, 7),
        quantity=Decimal("500"),
    )
    record_event(
        actor=user, batch=batch, kind="packing", event_time=vn(2026, 4, 2, 7), quantity=packed
    )


def test_a_batch_takes_the_gtin_of_its_product_as_14_digits(batch, product):
    assert batch.gtin == "0" + product.gtin and batch.uom == "KGM"
    assert batch.commune == product.producer.commune


def test_a_lot_with_characters_outside_gs1_set_is_refused(producer_user, product):
    with pytest.raises(ValidationFailed) as err:
        create_batch(actor=producer_user, product=product, lot="lô 1", quantity=5)
    assert err.value.code == "trace.invalid_lot"


def test_the_same_lot_cannot_be_created_twice_for_a_product(producer_user, product, batch):
    with pytest.raises(ValidationFailed) as err:
        create_batch(actor=producer_user, product=product, lot=batch.lot, quantity=5)
    assert err.value.code == "trace.duplicate_lot"
    assert "VT2026-01" in err.value.message


def test_an_official_of_another_commune_cannot_create_a_batch(other_official, product):
    with pytest.raises(PermissionDenied):
        create_batch(actor=other_official, product=product, lot="X1", quantity=5)


def test_a_commune_official_may_enter_a_batch_for_a_producer_of_the_commune(official, product):
    assert create_batch(actor=official, product=product, lot="X1", quantity=5).pk


def test_harvest_before_planting_is_refused_with_a_vietnamese_message(producer_user, batch):
    record_event(actor=producer_user, batch=batch, kind="planting", event_time=vn(2026, 2, 1))
    with pytest.raises(ChainRuleBroken) as err:
        record_event(
            actor=producer_user,
            batch=batch,
            kind="harvest",
            event_time=vn(2026, 1, 15),
            quantity=Decimal("10"),
        )
    assert err.value.code == "trace.harvest_before_planting"
    assert "Không thể thu hoạch lô VT2026-01" in err.value.message
    assert batch.events.count() == 1


def test_shipping_more_than_was_packed_is_refused(producer_user, batch):
    _grow_and_pack(producer_user, batch, packed=Decimal("100"))
    record_event(
        actor=producer_user,
        batch=batch,
        kind="shipping",
        event_time=vn(2026, 4, 3),
        quantity=Decimal("60"),
        details={"partner_name": "Cửa hàng Chè Thái"},
    )
    with pytest.raises(ChainRuleBroken) as err:
        record_event(
            actor=producer_user,
            batch=batch,
            kind="shipping",
            event_time=vn(2026, 4, 4),
            quantity=Decimal("41"),
            details={"partner_name": "Siêu thị Hà Nội"},
        )
    assert err.value.code == "trace.ship_exceeds_packed"
    assert "mới đóng gói 100 kg, đã xuất 60 kg" in err.value.message


def test_packing_more_than_the_batch_holds_is_refused(producer_user, batch):
    with pytest.raises(ChainRuleBroken) as err:
        record_event(
            actor=producer_user,
            batch=batch,
            kind="packing",
            event_time=vn(2026, 4, 2),
            quantity=Decimal("501"),
        )
    assert err.value.code == "trace.pack_exceeds_batch"


def test_shipping_inside_the_pre_harvest_interval_is_blocked(producer_user, batch):
    _grow_and_pack(producer_user, batch)
    record_event(
        actor=producer_user,
        batch=batch,
        kind="input_application",
        event_time=vn(2026, 3, 30, 8),
        details=PESTICIDE,
    )
    with pytest.raises(ChainRuleBroken) as err:
        record_event(
            actor=producer_user,
            batch=batch,
            kind="shipping",
            event_time=vn(2026, 4, 5, 8),
            quantity=Decimal("10"),
            details={"partner_name": "Cửa hàng Chè Thái"},
        )
    assert err.value.code == "trace.pre_harvest_interval"
    assert err.value.message == (
        'Chưa được xuất hàng lô VT2026-01: thuốc bảo vệ thực vật "Abamectin 3.6EC" phun ngày '
        "30/03/2026 có thời gian cách ly 7 ngày, sớm nhất được xuất hàng từ 06/04/2026 08:00."
    )
    ok = record_event(
        actor=producer_user,
        batch=batch,
        kind="shipping",
        event_time=vn(2026, 4, 6, 8),
        quantity=Decimal("10"),
        details={"partner_name": "Cửa hàng Chè Thái"},
    )
    assert ok.biz_step == "shipping"


def test_retail_sale_of_a_processed_batch_respects_the_interval_of_its_raw_leaves(
    producer_user, batch, product_without_gtin
):
    record_event(
        actor=producer_user,
        batch=batch,
        kind="input_application",
        event_time=vn(2026, 3, 30, 8),
        details=PESTICIDE,
    )
    dried = create_batch(
        actor=producer_user, product=product_without_gtin, lot="KHO-01", quantity=Decimal("100")
    )
    record_event(
        actor=producer_user,
        batch=dried,
        kind="processing",
        event_time=vn(2026, 4, 1, 8),
        quantity=Decimal("100"),
        inputs=[(batch, Decimal("450"))],
    )
    with pytest.raises(ChainRuleBroken) as err:
        record_event(
            actor=producer_user,
            batch=dried,
            kind="retail_selling",
            event_time=vn(2026, 4, 2, 8),
            details={"partner_name": "Chợ Đu"},
        )
    assert err.value.code == "trace.pre_harvest_interval"
    assert "Chưa được bán lô KHO-01" in err.value.message


def test_fertiliser_has_no_interval_and_drone_spraying_is_recorded(producer_user, batch):
    ev = record_event(
        actor=producer_user,
        batch=batch,
        kind="input_application",
        event_time=vn(2026, 3, 1),
        details={
            "input_type": "fertiliser",
            "input_product": "NPK 16-16-8",
            "dose": "200",
            "dose_unit": "kg/ha",
            "method": "drone",
        },
    )
    assert ev.document["langso:applicationMethod"] == "drone"
    assert ev.document["bizStep"] == "urn:langso:bizstep:input_application"


def test_pesticide_without_interval_is_refused(producer_user, batch):
    with pytest.raises(ValidationFailed) as err:
        record_event(
            actor=producer_user,
            batch=batch,
            kind="input_application",
            event_time=vn(2026, 3, 1),
            details={"input_type": "pesticide", "input_product": "Abamectin"},
        )
    assert err.value.code == "trace.missing_detail"


def test_a_partner_gln_with_a_wrong_check_digit_is_refused(producer_user, batch):
    _grow_and_pack(producer_user, batch)
    with pytest.raises(ValidationFailed) as refused:
        record_event(
            actor=producer_user,
            batch=batch,
            kind="shipping",
            event_time=vn(2026, 4, 3, 9, 30),
            quantity=Decimal("50"),
            details={"partner_name": "Siêu thị Hà Nội", "partner_gln": "8938503000108"},
        )
    assert refused.value.code == "trace.invalid_gln"
    assert not batch.events.filter(kind="shipping").exists()


def test_each_event_carries_what_where_when_why_and_who(producer_user, batch, producer):
    _grow_and_pack(producer_user, batch)
    ship = record_event(
        actor=producer_user,
        batch=batch,
        kind="shipping",
        event_time=vn(2026, 4, 3, 9, 30),
        quantity=Decimal("50"),
        details={"partner_name": "Siêu thị Hà Nội", "partner_gln": "8938503000109"},
    )
    doc = ship.document
    assert doc["quantityList"] == [
        {
            "epcClass": f"https://id.gs1.org/01/{batch.gtin}/10/VT2026-01",
            "quantity": 50,
            "uom": "KGM",
        }
    ]
    assert doc["eventTime"] == "2026-04-03T09:30:00+07:00"
    assert doc["eventTimeZoneOffset"] == "+07:00"
    assert (doc["bizStep"], doc["disposition"]) == ("shipping", "in_transit")
    assert doc["bizLocation"]["id"] == "urn:epc:id:sgln:893850300.000.0"
    assert doc["sourceList"] == [
        {"type": "owning_party", "source": "urn:epc:id:pgln:893850300.000"}
    ]
    assert doc["destinationList"][0]["destination"] == "https://id.gs1.org/417/8938503000109"
    assert doc["langso:responsibleParty"] == "urn:epc:id:pgln:893850300.000"
    harvest = batch.events.get(kind="harvest").document
    assert (harvest["type"], harvest["action"], harvest["bizStep"]) == (
        "ObjectEvent",
        "ADD",
        "commissioning",
    )
    assert harvest["readPoint"]["id"].endswith(f"/t/area/{batch.growing_area.public_id}")
    pack = batch.events.get(kind="packing").document
    assert pack["type"] == "AggregationEvent" and pack["childQuantityList"][0]["quantity"] == 100


def test_published_events_cannot_be_rewritten_or_deleted(producer_user, batch):
    ev = record_event(actor=producer_user, batch=batch, kind="planting", event_time=vn(2026, 2, 1))
    ev.details = {"note": "sửa lén"}
    with pytest.raises(RuntimeError):
        ev.save()
    with pytest.raises(RuntimeError):
        TraceEvent.objects.filter(pk=ev.pk).update(kind="harvest")
    with pytest.raises(RuntimeError):
        TraceEvent.objects.filter(pk=ev.pk).delete()
    assert TraceEvent.objects.get(pk=ev.pk).details == {}


def test_a_correction_is_a_new_event_and_an_error_declaration(producer_user, batch):
    _grow_and_pack(producer_user, batch)
    wrong = record_event(
        actor=producer_user,
        batch=batch,
        kind="shipping",
        event_time=vn(2026, 4, 3),
        quantity=Decimal("90"),
        details={"partner_name": "Cửa hàng Chè Thái"},
    )
    declaration = correct_event(
        actor=producer_user,
        event=wrong,
        note="Gõ nhầm số lượng",
        replacement={
            "kind": "shipping",
            "event_time": vn(2026, 4, 3),
            "quantity": Decimal("40"),
            "details": {"partner_name": "Cửa hàng Chè Thái"},
        },
    )
    wrong.refresh_from_db()
    assert wrong.quantity == Decimal("90") and "errorDeclaration" not in wrong.document
    assert declaration.event_id == wrong.event_id and declaration.is_error_declaration
    fixed = wrong.corrections.get()
    assert declaration.document["errorDeclaration"]["correctiveEventIDs"] == [fixed.event_id]
    assert declaration.document["errorDeclaration"]["reason"] == "incorrect_data"
    # the wrong 90 kg no longer counts: 60 more can still be shipped (100 packed)
    record_event(
        actor=producer_user,
        batch=batch,
        kind="shipping",
        event_time=vn(2026, 4, 4),
        quantity=Decimal("60"),
        details={"partner_name": "Chợ Đu"},
    )
    with pytest.raises(AlreadyCorrected):
        correct_event(actor=producer_user, event=wrong)


def test_an_inspector_records_lab_tests_but_not_harvests(inspector, batch):
    ev = record_event(
        actor=inspector,
        batch=batch,
        kind="inspection",
        event_time=vn(2026, 4, 2),
        details={
            "laboratory": "Trung tâm Kiểm nghiệm Thái Nguyên",
            "results": [
                {
                    "name": "Dư lượng Abamectin",
                    "value": "<0,01",
                    "unit": "mg/kg",
                    "limit": "0,05",
                    "passed": True,
                }
            ],
        },
    )
    assert (ev.biz_step, ev.disposition) == ("inspecting", "conformant")
    assert ev.document["langso:labResults"][0]["name"] == "Dư lượng Abamectin"
    with pytest.raises(PermissionDenied):
        record_event(
            actor=inspector,
            batch=batch,
            kind="harvest",
            event_time=vn(2026, 4, 2),
            quantity=Decimal("5"),
        )


def test_an_inspector_of_another_commune_is_refused(other_commune, batch):
    from langso.people.models import Role

    stranger = make_user("kiemtra.badinh", Role.INSPECTOR, other_commune)
    with pytest.raises(PermissionDenied):
        record_event(actor=stranger, batch=batch, kind="inspection", event_time=vn(2026, 4, 2))


def test_a_resident_cannot_record_events(resident_user, batch):
    with pytest.raises(PermissionDenied):
        record_event(actor=resident_user, batch=batch, kind="planting", event_time=vn(2026, 2, 1))


def test_events_in_the_future_are_refused(producer_user, batch):
    with pytest.raises(ChainRuleBroken) as err:
        record_event(actor=producer_user, batch=batch, kind="planting", event_time=vn(2099, 1, 1))
    assert err.value.code == "trace.event_in_future"


def test_the_database_itself_refuses_to_rewrite_an_event(producer_user, batch):
    from django.db import DatabaseError, connection, transaction

    ev = record_event(actor=producer_user, batch=batch, kind="planting", event_time=vn(2026, 2, 1))
    statements = ["UPDATE trace_traceevent SET kind = 'harvest' WHERE id = %s"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM trace_traceevent WHERE id = %s")
    for sql in statements:
        with pytest.raises(DatabaseError):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [ev.pk])
    assert TraceEvent.objects.get(pk=ev.pk).kind == "planting"


def test_a_harvest_in_a_unit_that_is_not_a_weight_is_refused(producer_user, batch):
    with pytest.raises(ValidationFailed) as err:
        record_event(
            actor=producer_user,
            batch=batch,
            kind="harvest",
            event_time=vn(2026, 4, 1, 7),
            quantity=Decimal("5"),
            unit="hộp",
        )
    assert err.value.code == "trace.invalid_unit"
    assert not batch.events.exists()
