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


# --- Reading what other apps write -------------------------------------------------------


def _payload(*fields: tuple[str, str]) -> str:
    """Assemble a payload the way any EMVCo writer does: lengths in characters, CRC over
    the UTF-8 bytes."""
    body = "".join(f"{tag}{len(value):02d}{value}" for tag, value in fields) + "6304"
    return body + vietqr.crc_hex(body)


def _napas(bank_bin: str, account: str) -> str:
    beneficiary = vietqr.tlv("00", bank_bin) + vietqr.tlv("01", account)
    return vietqr.tlv("00", "A000000727") + vietqr.tlv("01", beneficiary) + "0208QRIBFTTA"


def test_a_payload_with_vietnamese_text_from_another_app_reads_back():
    payload = _payload(
        ("00", "01"),
        ("01", "12"),
        ("38", _napas("970403", "0011012345678")),
        ("53", "704"),
        ("54", "50000"),
        ("58", "VN"),
        ("62", vietqr.tlv("08", "Mua chè Tân Cương")),
    )
    read = vietqr.read_payload(payload)
    assert read.scheme == "vietqr" and read.additional["purpose"] == "Mua chè Tân Cương"
    assert vietqr.parse_payload(payload).purpose == "Mua chè Tân Cương"
    assert read.amount == Decimal(50000) and read.is_dynamic


def test_a_vnpay_merchant_code_is_named_as_vnpay_with_every_field():
    vnpay = vietqr.tlv("00", "A000000775") + vietqr.tlv("01", "0105313144")
    additional = (
        vietqr.tlv("03", "CUA HANG 1")
        + vietqr.tlv("05", "REF123")
        + vietqr.tlv("07", "QUAY01")
        + vietqr.tlv("08", "Mua hang")
    )
    payload = _payload(
        ("00", "01"),
        ("01", "12"),
        ("26", vnpay),
        ("52", "5732"),
        ("53", "704"),
        ("54", "21090000"),
        ("58", "VN"),
        ("59", "HTX CHE"),
        ("60", "THAI NGUYEN"),
        ("62", additional),
    )
    read = vietqr.read_payload(payload)
    assert (read.scheme, read.merchant_id, read.wallet) == ("vnpay", "0105313144", "")
    assert read.field("merchant_name") == "HTX CHE" and read.field("merchant_city") == "THAI NGUYEN"
    assert read.field("merchant_category") == "5732"
    assert read.additional == {
        "store_label": "CUA HANG 1",
        "reference_label": "REF123",
        "terminal_label": "QUAY01",
        "purpose": "Mua hang",
    }
    with pytest.raises(vietqr.VietQRError) as exc:
        vietqr.parse_payload(payload)
    assert exc.value.code == "not_napas" and "vnpay" in exc.value.message


@pytest.mark.parametrize(
    "bank_bin,account,reference",
    [
        ("971025", "PSP123456789000000", "MOMOW2W12345678"),  # MoMo's own NAPAS BIN
        ("970454", "99MM24011M34875080", "MOMOW2W34875080"),  # through its partner bank
    ],
)
def test_a_vietqr_that_pays_into_momo_says_so(bank_bin, account, reference):
    payload = _payload(
        ("00", "01"),
        ("01", "11"),
        ("38", _napas(bank_bin, account)),
        ("53", "704"),
        ("58", "VN"),
        ("62", vietqr.tlv("05", reference)),
        ("80", "046"),
    )
    read = vietqr.read_payload(payload)
    assert (read.scheme, read.wallet, read.bank_bin, read.account) == (
        "vietqr",
        "momo",
        bank_bin,
        account,
    )
    assert read.other_fields == {"80": "046"}


def test_another_emvco_scheme_is_read_and_named_by_its_aid():
    promptpay = vietqr.tlv("00", "A000000677010111") + vietqr.tlv("01", "0066812345678")
    payload = _payload(("00", "01"), ("01", "11"), ("29", promptpay), ("53", "764"), ("58", "TH"))
    read = vietqr.read_payload(payload)
    assert read.scheme == "emvco"
    assert [(a.tag, a.guid, a.scheme) for a in read.merchant_accounts] == [
        ("29", "A000000677010111", "")
    ]
    assert read.merchant_accounts[0].fields["01"] == "0066812345678"


@pytest.mark.parametrize(
    "payload,code,words",
    [
        ("", "no_crc", "CRC"),
        (NAPAS_EXAMPLE[:-6], "no_crc", "CRC"),
        (
            NAPAS_EXAMPLE[:40] + "6304" + vietqr.crc_hex(NAPAS_EXAMPLE[:40] + "6304"),
            "malformed",
            "",
        ),
        (_payload(("00", "01"), ("01", "11"), ("62", "0899abc")), "malformed", "62"),
        (_payload(("00", "01"), ("00", "01")), "malformed", "hai lần"),
        (_payload(("00", "01"), ("54", "12,5")), "bad_amount", "54"),
        (_payload(("00", "01"), ("5²", "x")), "malformed", "vị trí"),
        ("0002010102116304\ud800AAAA", "malformed", "vị trí"),
        ("x" * 600, "too_long", "512"),
    ],
)
def test_unreadable_payloads_are_refused_with_a_code_and_the_place(payload, code, words):
    with pytest.raises(vietqr.VietQRError) as exc:
        vietqr.read_payload(payload)
    assert exc.value.code == code
    assert words in exc.value.message


# --- Fuzzing: the reader only ever answers a reading or a VietQRError ---------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _read_or_refuse(text: str) -> None:
    try:
        read = vietqr.read_payload(text)
    except vietqr.VietQRError as exc:
        assert exc.code and exc.message
    else:
        assert read.scheme in ("vietqr", "vnpay", "emvco")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_any_text_is_read_or_refused_with_a_vietqr_error(text):
    _read_or_refuse(text)


@settings(max_examples=200, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(NAPAS_EXAMPLE)),
    insert=st.text(max_size=8),
    fix_crc=st.booleans(),
)
def test_damaged_napas_payloads_are_read_or_refused(cut, insert, fix_crc):
    # Truncated, with characters (any Unicode) spliced in, lengths thrown off; with the
    # CRC recomputed the damage reaches the TLV reader instead of the CRC check.
    body = NAPAS_EXAMPLE[:-8]
    damaged = body[:cut] + insert + body[cut + len(insert) :]
    text = damaged + "6304" + vietqr.crc_hex(damaged + "6304") if fix_crc else damaged
    _read_or_refuse(text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_the_parse_api_never_answers_500(client, db, text):
    for payload in (text, NAPAS_EXAMPLE[:-8] + text):
        response = client.post(
            "/api/economy/vietqr/parse", {"payload": payload}, content_type="application/json"
        )
        if "\x00" in payload:  # refused for every route (core.middleware)
            assert response.status_code == 400
            assert response.json()["code"] == "core.invalid_characters"
            continue
        assert response.status_code in (200, 422), response.content
        if response.status_code == 422:
            assert response.json()["code"].startswith("economy.vietqr_")
