"""VietQR: EMVCo merchant-presented QR payloads for NAPAS 247 transfers.

Build a payload byte-exact to the NAPAS specification (tag order, two-digit lengths,
CRC-16/CCITT-FALSE over the payload including "6304"), read one back, and draw it with
segno, splitting long digit runs into numeric segments for a smaller symbol.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import segno
from segno import consts
from unidecode import unidecode

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
STATIC = "11"
DYNAMIC = "12"


class VietQRError(ValueError):
    """A value that cannot go into (or a payload that cannot come out of) a VietQR code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


def crc_hex(payload_without_crc_value: str) -> str:
    return f"{crc16_ccitt_false(payload_without_crc_value.encode('ascii')):04X}"


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError("too_long", f"Trường {tag} dài quá 99 ký tự.")
    return f"{tag}{len(value):02d}{value}"


_FREE_TEXT = re.compile(r"[^A-Za-z0-9 .,\-/]")


def clean_free_text(text: str, *, max_length: int = 25) -> str:
    """Strip Vietnamese diacritics and characters bank apps refuse; keep the case."""
    raw = unicodedata.normalize("NFC", text or "").replace("đ", "d").replace("Đ", "D")
    # Same transliteration as langso.core.text.fold (search keys), but keeping the case.
    ascii_text = unidecode(raw)
    cleaned = re.sub(r"\s+", " ", _FREE_TEXT.sub("", ascii_text)).strip()
    if len(cleaned) > max_length:
        raise VietQRError("too_long", f"Nội dung dài quá {max_length} ký tự.")
    return cleaned


@dataclass(frozen=True)
class VietQR:
    bank_bin: str
    account: str
    service: str = SERVICE_TO_ACCOUNT
    amount: Decimal | None = None
    bill_number: str = ""
    purpose: str = ""
    currency: str = CURRENCY_VND
    country: str = COUNTRY_VN

    @property
    def is_dynamic(self) -> bool:
        return self.amount is not None


def _amount_text(amount) -> str:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:
        raise VietQRError("bad_amount", "Số tiền không hợp lệ.") from exc
    if value <= 0 or value != value.to_integral_value():
        raise VietQRError("bad_amount", "Số tiền phải là số nguyên dương (đồng).")
    text = str(int(value))
    if len(text) > 13:
        raise VietQRError("bad_amount", "Số tiền quá lớn.")
    return text


def build_payload(
    *,
    bank_bin: str,
    account: str,
    amount=None,
    bill_number: str = "",
    purpose: str = "",
    service: str = SERVICE_TO_ACCOUNT,
) -> str:
    """The VietQR string. Static when amount is None, dynamic (point of initiation 12)
    otherwise. Free text is stripped of diacritics."""
    if not (bank_bin.isascii() and bank_bin.isdigit() and len(bank_bin) == 6):
        raise VietQRError("bad_bin", "Mã BIN ngân hàng phải gồm 6 chữ số.")
    if not (account.isascii() and account.isalnum() and 1 <= len(account) <= 19):
        raise VietQRError("bad_account", "Số tài khoản gồm tối đa 19 chữ số hoặc chữ cái.")
    if service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise VietQRError("bad_service", "Hình thức chuyển không hợp lệ.")
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service)
    parts = [
        tlv("00", "01"),
        tlv("01", STATIC if amount is None else DYNAMIC),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", _amount_text(amount)))
    parts.append(tlv("58", COUNTRY_VN))
    additional = ""
    if bill_number:
        additional += tlv("01", clean_free_text(bill_number, max_length=25))
    if purpose:
        additional += tlv("08", clean_free_text(purpose, max_length=50))
    if additional:
        parts.append(tlv("62", additional))
    body = "".join(parts) + "6304"
    return body + crc_hex(body)


def parse_tlv(text: str) -> list[tuple[str, str]]:
    items = []
    i = 0
    while i < len(text):
        if i + 4 > len(text):
            raise VietQRError("malformed", "Chuỗi QR bị cắt cụt.")
        tag, length = text[i : i + 2], text[i + 2 : i + 4]
        if not (tag.isdigit() and length.isdigit()):
            raise VietQRError("malformed", "Chuỗi QR không đúng định dạng TLV.")
        end = i + 4 + int(length)
        if end > len(text):
            raise VietQRError("malformed", "Độ dài trường vượt quá chuỗi QR.")
        items.append((tag, text[i + 4 : end]))
        i = end
    return items


def parse_payload(payload: str) -> VietQR:
    """Read a VietQR string back; refuses a bad CRC or a payload that is not NAPAS."""
    payload = payload.strip()
    if len(payload) < 12 or payload[-8:-4] != "6304":
        raise VietQRError("no_crc", "Chuỗi QR không có mã kiểm tra CRC ở cuối.")
    if crc_hex(payload[:-4]) != payload[-4:].upper():
        raise VietQRError("bad_crc", "Mã kiểm tra CRC không khớp: chuỗi QR bị sai.")
    top = dict(parse_tlv(payload[:-4] + "0000")[:-1])
    if top.get("00") != "01" or top.get("01") not in (STATIC, DYNAMIC):
        raise VietQRError("malformed", "Không phải mã QR EMVCo hợp lệ.")
    merchant = dict(parse_tlv(top.get("38", "")))
    if merchant.get("00") != NAPAS_GUID:
        raise VietQRError("not_napas", "Không phải mã VietQR (thiếu định danh NAPAS).")
    beneficiary = dict(parse_tlv(merchant.get("01", "")))
    extra = dict(parse_tlv(top.get("62", "")))
    amount = Decimal(top["54"]) if "54" in top else None
    return VietQR(
        bank_bin=beneficiary.get("00", ""),
        account=beneficiary.get("01", ""),
        service=merchant.get("02", ""),
        amount=amount,
        bill_number=extra.get("01", ""),
        purpose=extra.get("08", ""),
        currency=top.get("53", ""),
        country=top.get("58", ""),
    )


# --- QR images -------------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"\d{8,}")


def segments(payload: str) -> list[tuple[str, int | None]]:
    """Split the payload into numeric segments for long digit runs and other segments
    (segno picks alphanumeric or byte mode for those).

    A numeric segment costs ~3.3 bits a digit instead of 8, minus a segment header; runs of
    eight or more digits are worth it."""
    out: list[tuple[str, int | None]] = []
    pos = 0
    for match in _DIGIT_RUN.finditer(payload):
        if match.start() > pos:
            out.append((payload[pos : match.start()], None))
        out.append((match.group(), consts.MODE_NUMERIC))
        pos = match.end()
    if pos < len(payload):
        out.append((payload[pos:], None))
    return out


def make_qr(payload: str, *, error: str = "m"):
    """The smaller of the segmented and the single-segment symbol (never larger)."""
    naive = segno.make(payload, error=error, micro=False, boost_error=False)
    try:
        split = segno.make(segments(payload), error=error, micro=False, boost_error=False)
    except segno.DataOverflowError:  # pragma: no cover - split is never longer
        return naive
    return split if split.version <= naive.version else naive


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make_qr(payload).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(payload: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make_qr(payload).save(out, kind="svg", scale=scale, border=4, xmldecl=False, title="VietQR")
    return out.getvalue()
