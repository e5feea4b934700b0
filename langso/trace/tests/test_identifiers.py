import biip

from langso.trace.identifiers import (
    batch_class_uri,
    batch_qr_uri,
    digital_link_path,
    parse_class_uri,
)


def test_qualifiers_come_strictly_in_the_order_22_10_21():
    path = digital_link_path(gtin="09501101530003", cpv="2A", lot="L1", serial="77")
    assert path == "/01/09501101530003/22/2A/10/L1/21/77"


def test_digital_link_round_trips_through_biip_with_percent_encoded_lot(settings, batch):
    settings.LANGSO_PUBLIC_URL = "https://langso.example.vn"
    batch.lot = "AB/12%&"  # CSET 82 characters that are not safe in a path segment
    uri = batch_qr_uri(batch, serial="S+1")
    assert uri.startswith("https://langso.example.vn/01/0893850300001")
    assert "/10/AB%2F12%25%26/21/S%2B1" in uri
    parsed = biip.parse(uri).gs1_digital_link_uri
    values = {e.ai.ai: e.value for e in parsed.element_strings}
    assert values == {"01": batch.gtin, "10": "AB/12%&", "21": "S+1"}
    assert [e.ai.ai for e in parsed.element_strings] == ["01", "10", "21"]


def test_biip_confirms_the_check_digit_of_the_printed_gtin(batch):
    result = biip.parse(batch_qr_uri(batch))
    gtin = result.gs1_digital_link_uri.element_strings[0].gtin
    assert gtin is not None and gtin.value == batch.gtin


def test_product_without_gtin_uses_its_public_id_in_the_same_scheme(
    producer_user, product_without_gtin
):
    from langso.trace.actions import create_batch

    b = create_batch(actor=producer_user, product=product_without_gtin, lot="TL-9", quantity=10)
    uri = batch_qr_uri(b)
    assert f"/t/{product_without_gtin.public_id}/10/TL-9" in uri
    link = parse_class_uri(uri)
    assert link.product_public_id == str(product_without_gtin.public_id) and link.lot == "TL-9"


def test_epcis_class_uses_the_canonical_gs1_resolver(batch):
    assert batch_class_uri(batch) == f"https://id.gs1.org/01/{batch.gtin}/10/VT2026-01"
    assert parse_class_uri(batch_class_uri(batch)).gtin == batch.gtin
