"""VietQR: EMVCo merchant-presented QR payloads for NAPAS 247 transfers.

Build a payload byte-exact to the NAPAS specification (tag order, two-digit lengths,
CRC-16/CCITT-FALSE over the payload including "6304"), read one back, and draw it with
segno, splitting long digit runs into numeric segments for a smaller symbol.

Reading (`read_payload`) takes whatever a phone's camera hands over: lengths count
characters, the CRC covers the UTF-8 bytes (so `Mua chè` written by another app reads
back), other schemes are named by the AID of their merchant account template (VNPAY-QR
`A000000775`) and VietQR codes that pay into an e-wallet say which (MoMo by its NAPAS BIN
971025 or its `MOMOW2W` reference). Anything that is not such a payload raises
`VietQRError` with a code and a Vietnamese message naming the tag and position.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import segno
from django.utils.translation import gettext as _
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
        for _bit in range(8):
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
    """The CRC over the payload's UTF-8 bytes (what a phone's QR reader hands a bank app)."""
    return f"{crc16_ccitt_false(payload_without_crc_value.encode('utf-8')):04X}"


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError("too_long", _("Trường %(tag)s dài quá 99 ký tự.") % {"tag": tag})
    return f"{tag}{len(value):02d}{value}"


_FREE_TEXT = re.compile(r"[^A-Za-z0-9 .,\-/]")


def clean_free_text(text: str, *, max_length: int = 25) -> str:
    """Strip Vietnamese diacritics and characters bank apps refuse; keep the case."""
    raw = unicodedata.normalize("NFC", text or "").replace("đ", "d").replace("Đ", "D")
    # Same transliteration as langso.core.text.fold (search keys), but keeping the case.
    ascii_text = unidecode(raw)
    cleaned = re.sub(r"\s+", " ", _FREE_TEXT.sub("", ascii_text)).strip()
    if len(cleaned) > max_length:
        raise VietQRError("too_long", _("Nội dung dài quá %(max)s ký tự.") % {"max": max_length})
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
        raise VietQRError("bad_amount", _("Số tiền không hợp lệ.")) from exc
    if value <= 0 or value != value.to_integral_value():
        raise VietQRError("bad_amount", _("Số tiền phải là số nguyên dương (đồng)."))
    text = str(int(value))
    if len(text) > 13:
        raise VietQRError("bad_amount", _("Số tiền quá lớn."))
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
        raise VietQRError("bad_bin", _("Mã BIN ngân hàng phải gồm 6 chữ số."))
    if not (account.isascii() and account.isalnum() and 1 <= len(account) <= 19):
        raise VietQRError("bad_account", _("Số tài khoản gồm tối đa 19 chữ số hoặc chữ cái."))
    if service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise VietQRError("bad_service", _("Hình thức chuyển không hợp lệ."))
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


MAX_PAYLOAD = 512  # EMVCo: a merchant-presented payload holds at most 512 characters

#: Globally unique identifiers (AIDs) found in tag 00 of a merchant account template.
SCHEMES = {
    NAPAS_GUID: "vietqr",  # NAPAS 247 transfer to an account or card
    "A000000775": "vnpay",  # VNPAY-QR merchant payment
}
#: E-wallets reached through VietQR: NAPAS member BINs of the wallet itself, and the
#: reference label or account prefix their QR codes carry at a partner bank.
WALLET_BINS = {"971025": "momo"}
WALLET_REFERENCE_PREFIXES = {"MOMOW2W": "momo"}
WALLET_ACCOUNT_PREFIXES = {"99MM": "momo", "99ZP": "zalopay"}

#: Names of the EMVCo root tags read here (the others keep their tag number).
ROOT_NAMES = {
    "00": "payload_format",
    "01": "point_of_initiation",
    "52": "merchant_category",
    "53": "currency",
    "54": "amount",
    "55": "tip_indicator",
    "56": "tip_fixed",
    "57": "tip_percentage",
    "58": "country",
    "59": "merchant_name",
    "60": "merchant_city",
    "61": "postal_code",
}
#: Sub-tags of the additional data template (62).
ADDITIONAL_NAMES = {
    "01": "bill_number",
    "02": "mobile_number",
    "03": "store_label",
    "04": "loyalty_number",
    "05": "reference_label",
    "06": "customer_label",
    "07": "terminal_label",
    "08": "purpose",
    "09": "consumer_data_request",
}
#: Sub-tags of the merchant information language template (64).
LANGUAGE_NAMES = {"00": "language", "01": "merchant_name", "02": "merchant_city"}
_TEMPLATES = {"62": "dữ liệu bổ sung (trường 62)", "64": "ngôn ngữ khác (trường 64)"}
_DIGITS = frozenset("0123456789")
_AMOUNT = re.compile(r"\A[0-9]{1,13}(\.[0-9]{1,2})?\Z")


def _is_digits(text: str) -> bool:
    return bool(text) and all(ch in _DIGITS for ch in text)


def parse_tlv(text: str, *, where: str = "") -> list[tuple[str, str]]:
    """Split `text` into (tag, value) pairs: two-digit tag, two-digit length counted in
    characters, value. `where` names the template in the error messages."""
    items = []
    i = 0
    context = where or _("chuỗi QR")
    while i < len(text):
        if i + 4 > len(text):
            raise VietQRError(
                "malformed",
                _("%(where)s bị cắt cụt ở vị trí %(pos)s: thiếu mã trường hoặc độ dài.")
                % {"where": context, "pos": i},
            )
        tag, length = text[i : i + 2], text[i + 2 : i + 4]
        if not (_is_digits(tag) and _is_digits(length)):
            raise VietQRError(
                "malformed",
                _(
                    "%(where)s sai định dạng ở vị trí %(pos)s: mã trường và độ dài phải là hai "
                    "chữ số."
                )
                % {"where": context, "pos": i},
            )
        end = i + 4 + int(length)
        if end > len(text):
            raise VietQRError(
                "malformed",
                _("Trường %(tag)s của %(where)s khai báo %(length)s ký tự nhưng chỉ còn %(left)s.")
                % {"tag": tag, "where": context, "length": int(length), "left": len(text) - i - 4},
            )
        items.append((tag, text[i + 4 : end]))
        i = end
    return items


def _unique(items: list[tuple[str, str]], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag, value in items:
        if tag in out:
            raise VietQRError(
                "malformed",
                _("Trường %(tag)s xuất hiện hai lần trong %(where)s.")
                % {"tag": tag, "where": where},
            )
        out[tag] = value
    return out


@dataclass(frozen=True)
class MerchantAccount:
    """One merchant account information template (tags 02-51): the scheme is named by the
    AID in its sub-tag 00 (templates 26-51) or by the tag itself (02-25, card networks)."""

    tag: str
    guid: str
    scheme: str
    fields: dict[str, str]


@dataclass(frozen=True)
class ReadQR:
    """Everything read from an EMVCo merchant-presented payload."""

    scheme: str  # vietqr | vnpay | emvco (another scheme, see merchant_accounts)
    wallet: str  # momo | zalopay | "" (a VietQR code that pays into an e-wallet)
    payload_format: str
    point_of_initiation: str
    merchant_accounts: list[MerchantAccount]
    root: dict[str, str]  # every root tag as read, by tag number
    additional: dict[str, str]  # tag 62, by name (unknown sub-tags by number)
    language: dict[str, str]  # tag 64, by name
    bank_bin: str = ""
    account: str = ""
    service: str = ""
    merchant_id: str = ""
    amount: Decimal | None = None
    crc: str = ""

    @property
    def is_dynamic(self) -> bool:
        return self.point_of_initiation == DYNAMIC

    def field(self, name: str) -> str:
        tag = next((t for t, n in ROOT_NAMES.items() if n == name), name)
        return self.root.get(tag, "")

    @property
    def other_fields(self) -> dict[str, str]:
        """Root tags with no name here: EMVCo RFU (65-79) and unreserved templates
        (80-99), as they were read."""
        known = {*ROOT_NAMES, "62", "63", "64"}
        accounts = {a.tag for a in self.merchant_accounts}
        return {t: v for t, v in self.root.items() if t not in known and t not in accounts}

    def as_vietqr(self) -> VietQR:
        return VietQR(
            bank_bin=self.bank_bin,
            account=self.account,
            service=self.service,
            amount=self.amount,
            bill_number=self.additional.get("bill_number", ""),
            purpose=self.additional.get("purpose", ""),
            currency=self.root.get("53", ""),
            country=self.root.get("58", ""),
        )


def _merchant_account(tag: str, value: str) -> MerchantAccount:
    if int(tag) < 26:  # 02-25 are card networks' own primitive values
        return MerchantAccount(tag=tag, guid="", scheme="card", fields={"": value})
    fields = _unique(
        parse_tlv(value, where=_("trường %(tag)s") % {"tag": tag}),
        _("trường %(tag)s") % {"tag": tag},
    )
    guid = fields.get("00", "")
    return MerchantAccount(tag=tag, guid=guid, scheme=SCHEMES.get(guid.upper(), ""), fields=fields)


def _named(fields: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    return {names.get(tag, tag): value for tag, value in fields.items()}


def _wallet(bank_bin: str, account: str, reference: str) -> str:
    if bank_bin in WALLET_BINS:
        return WALLET_BINS[bank_bin]
    for prefix, wallet in WALLET_REFERENCE_PREFIXES.items():
        if reference.upper().startswith(prefix):
            return wallet
    for prefix, wallet in WALLET_ACCOUNT_PREFIXES.items():
        if account.upper().startswith(prefix):
            return wallet
    return ""


def _check_text(payload: str) -> None:
    if len(payload) > MAX_PAYLOAD:
        raise VietQRError(
            "too_long",
            _("Chuỗi QR dài %(length)s ký tự, quá giới hạn %(max)s ký tự.")
            % {"length": len(payload), "max": MAX_PAYLOAD},
        )
    for pos, ch in enumerate(payload):
        if unicodedata.category(ch) in ("Cc", "Cs"):
            raise VietQRError(
                "malformed",
                _("Chuỗi QR có ký tự điều khiển hoặc không hợp lệ ở vị trí %(pos)s.")
                % {"pos": pos},
            )


def read_payload(payload: str) -> ReadQR:
    """Read any EMVCo merchant-presented payload: check the CRC (over the UTF-8 bytes),
    split every template, name the scheme by the AIDs of its merchant account templates
    and return every field read. Raises VietQRError (never anything else) when the text
    is not such a payload."""
    if not isinstance(payload, str):
        raise VietQRError("malformed", _("Chuỗi QR phải là văn bản."))
    payload = payload.strip()
    _check_text(payload)
    if len(payload) < 12 or payload[-8:-4] != "6304":
        raise VietQRError("no_crc", _("Chuỗi QR không có mã kiểm tra CRC (6304…) ở cuối."))
    expected = crc_hex(payload[:-4])
    if expected != payload[-4:].upper():
        raise VietQRError(
            "bad_crc",
            _("Mã kiểm tra CRC không khớp (ghi %(given)s, tính ra %(expected)s): chuỗi QR bị sai.")
            % {"given": payload[-4:], "expected": expected},
        )
    items = parse_tlv(payload)
    if items[-1][0] != "63":
        raise VietQRError("no_crc", _("Trường CRC (63) phải là trường cuối cùng."))
    root = _unique(items[:-1], _("chuỗi QR"))
    if root.get("00") != "01":
        raise VietQRError(
            "malformed", _("Không phải mã QR EMVCo: trường 00 phải là 01 ở đầu chuỗi.")
        )
    if items[0][0] != "00":
        raise VietQRError("malformed", _("Trường 00 (phiên bản) phải đứng đầu chuỗi QR."))
    accounts = [_merchant_account(tag, value) for tag, value in items[:-1] if "02" <= tag <= "51"]
    additional = _named(
        _unique(parse_tlv(root.get("62", ""), where=_TEMPLATES["62"]), _TEMPLATES["62"]),
        ADDITIONAL_NAMES,
    )
    language = _named(
        _unique(parse_tlv(root.get("64", ""), where=_TEMPLATES["64"]), _TEMPLATES["64"]),
        LANGUAGE_NAMES,
    )
    amount = None
    if "54" in root:
        if not _AMOUNT.match(root["54"]):
            raise VietQRError(
                "bad_amount",
                _("Số tiền (trường 54) không hợp lệ: %(value)s.") % {"value": root["54"][:20]},
            )
        amount = Decimal(root["54"])
    napas = next((a for a in accounts if a.scheme == "vietqr"), None)
    vnpay = next((a for a in accounts if a.scheme == "vnpay"), None)
    bank_bin = account = service = merchant_id = ""
    if napas is not None:
        where = _("thông tin người nhận (trường %(tag)s.01)") % {"tag": napas.tag}
        beneficiary = _unique(parse_tlv(napas.fields.get("01", ""), where=where), where)
        bank_bin, account = beneficiary.get("00", ""), beneficiary.get("01", "")
        service = napas.fields.get("02", "")
        scheme = "vietqr"
    elif vnpay is not None:
        merchant_id, service = vnpay.fields.get("01", ""), vnpay.fields.get("02", "")
        scheme = "vnpay"
    else:
        scheme = "emvco"
    wallet = (
        _wallet(bank_bin, account, additional.get("reference_label", ""))
        if scheme == "vietqr"
        else ""
    )
    return ReadQR(
        scheme=scheme,
        wallet=wallet,
        payload_format=root["00"],
        point_of_initiation=root.get("01", ""),
        merchant_accounts=accounts,
        root=root,
        additional=additional,
        language=language,
        bank_bin=bank_bin,
        account=account,
        service=service,
        merchant_id=merchant_id,
        amount=amount,
        crc=payload[-4:].upper(),
    )


def parse_payload(payload: str) -> VietQR:
    """Read a VietQR (NAPAS) string back; refuses a bad CRC or another scheme."""
    read = read_payload(payload)
    if read.scheme != "vietqr":
        raise VietQRError(
            "not_napas",
            _("Không phải mã VietQR của NAPAS (mã %(scheme)s).") % {"scheme": read.scheme},
        )
    if read.point_of_initiation not in (STATIC, DYNAMIC):
        raise VietQRError("malformed", _("Trường 01 phải là 11 (tĩnh) hoặc 12 (động)."))
    return read.as_vietqr()


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
        # segno takes a list of (text, mode) segments too; its stubs name only one content
        split = segno.make(
            cast(Any, segments(payload)), error=error, micro=False, boost_error=False
        )
    except segno.DataOverflowError:  # pragma: no cover - split is never longer
        return naive
    # micro=False: versions are numbers 1-40, never "M1".."M4"
    return split if int(split.version) <= int(naive.version) else naive


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make_qr(payload).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(payload: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make_qr(payload).save(out, kind="svg", scale=scale, border=4, xmldecl=False, title="VietQR")
    return out.getvalue()
