from decimal import Decimal

import pytest
import segno

from langso.economy import vietqr

NAPAS_EXAMPLE = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA"
    "530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
)


def test_crc_of_the_check_string_is_29b1():
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1


def test_napas_example_is_reproduced_byte_for_byte():
    payload = vietqr.build_payload(
        bank_bin="970403",
        account="0011012345678",
        amount=180000,
        bill_number="NPS6869",
        purpose="thanh toan don hang",
    )
    assert payload == NAPAS_EXAMPLE
    assert payload.endswith("2E2E")


def test_static_payload_has_no_amount_and_point_of_initiation_11():
    payload = vietqr.build_payload(bank_bin="970436", account="1234567890")
    assert payload.startswith("000201010211")
    assert "54" not in [t for t, _ in vietqr.parse_tlv(payload[:-8])]
    parsed = vietqr.parse_payload(payload)
    assert parsed.amount is None and parsed.bank_bin == "970436"


def test_crc_is_always_four_upper_case_hex_digits():
    # Try accounts until a CRC below 0x1000 comes up: it must keep its leading zero.
    for n in range(2000):
        payload = vietqr.build_payload(bank_bin="970436", account=f"{n:010d}")
        crc = payload[-4:]
        assert len(crc) == 4 and crc == crc.upper()
        if crc.startswith("0"):
            break
    else:
        pytest.fail("no CRC below 0x1000 in 2000 tries")
    assert vietqr.parse_payload(payload).account == f"{n:010d}"


def test_parser_reads_the_napas_example_back():
    parsed = vietqr.parse_payload(NAPAS_EXAMPLE)
    assert parsed == vietqr.VietQR(
        bank_bin="970403",
        account="0011012345678",
        service="QRIBFTTA",
        amount=Decimal(180000),
        bill_number="NPS6869",
        purpose="thanh toan don hang",
        currency="704",
        country="VN",
    )


def test_round_trip_keeps_every_field():
    payload = vietqr.build_payload(
        bank_bin="970405",
        account="8888777766665",
        amount=250000,
        bill_number="DH-2025/07",
        purpose="Mua che Tan Cuong",
        service=vietqr.SERVICE_TO_CARD,
    )
    parsed = vietqr.parse_payload(payload)
    assert (
        parsed.bank_bin,
        parsed.account,
        parsed.amount,
        parsed.bill_number,
        parsed.purpose,
        parsed.service,
    ) == ("970405", "8888777766665", Decimal(250000), "DH-2025/07", "Mua che Tan Cuong", "QRIBFTTC")


def test_parser_rejects_a_bad_crc():
    broken = NAPAS_EXAMPLE[:-4] + "2E2F"
    with pytest.raises(vietqr.VietQRError) as exc:
        vietqr.parse_payload(broken)
    assert exc.value.code == "bad_crc"


def test_parser_rejects_a_changed_amount_even_with_the_old_crc():
    tampered = NAPAS_EXAMPLE.replace("5406180000", "5406980000")
    with pytest.raises(vietqr.VietQRError, match="CRC"):
        vietqr.parse_payload(tampered)


def test_vietnamese_diacritics_are_stripped_from_free_text():
    payload = vietqr.build_payload(
        bank_bin="970403", account="0011012345678", amount=50000, purpose="Thanh toán chè Đồng Hỷ"
    )
    assert "0822Thanh toan che Dong Hy" in payload
    payload.encode("ascii")


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"bank_bin": "97040"}, "bad_bin"),
        ({"account": "0011-0123"}, "bad_account"),
        ({"account": "1" * 20}, "bad_account"),
        ({"amount": 0}, "bad_amount"),
        ({"amount": "12.5"}, "bad_amount"),
        ({"purpose": "x" * 51}, "too_long"),
    ],
)
def test_invalid_values_are_refused_with_a_code(kwargs, code):
    args = {"bank_bin": "970403", "account": "0011012345678", **kwargs}
    with pytest.raises(vietqr.VietQRError) as exc:
        vietqr.build_payload(**args)
    assert exc.value.code == code


def test_numeric_segments_never_make_a_larger_symbol():
    other = vietqr.build_payload(bank_bin="970436", account="1234567890123")
    for payload in (NAPAS_EXAMPLE, other):
        naive = segno.make(payload, error="m", micro=False, boost_error=False)
        assert vietqr.make_qr(payload).version <= naive.version
    assert (
        vietqr.make_qr(NAPAS_EXAMPLE).version
        < segno.make(NAPAS_EXAMPLE, error="m", micro=False, boost_error=False).version
    )


def test_segments_keep_the_payload_intact():
    assert "".join(s for s, _ in vietqr.segments(NAPAS_EXAMPLE)) == NAPAS_EXAMPLE


def test_png_and_svg_images_are_produced():
    assert vietqr.qr_png(NAPAS_EXAMPLE).startswith(b"\x89PNG")
    assert b"<svg" in vietqr.qr_svg(NAPAS_EXAMPLE)


def test_crc_agrees_with_the_standard_library_on_random_payloads():
    import binascii
    import random

    rng = random.Random(3)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        assert vietqr.crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)
