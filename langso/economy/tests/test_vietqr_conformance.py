"""VietQR against an independent implementation: the npm `vietnam-qr-pay` library
(.ci/npm-other/vietqr.js). Payloads built here are parsed there, payloads built there are
read here, over generated inputs (fixed seed, so a failure reproduces)."""

import json
import random
import string
from decimal import Decimal
from pathlib import Path

from langso.core.testing.node_tools import run_node
from langso.economy import vietqr

CASES = 200
BANKS = [
    b["bin"]
    for b in json.loads(
        (Path(vietqr.__file__).parent / "data" / "banks.json").read_text(encoding="utf-8")
    )["banks"]
]
WORDS = (
    "Mua chè Tân Cương Thái Nguyên đơn hàng số thanh toán tiền gạo nếp cái hoa vàng "
    "Hợp tác xã Đồng Hỷ mật ong rừng cà phê Ứng Hòa bưởi Diễn quà Tết lần"
).split()


def _cases(rng: random.Random) -> list[dict]:
    cases = []
    for n in range(CASES):
        kind = "vnpay" if n % 10 == 9 else ("momo" if n % 10 == 8 else "vietqr")
        amount = rng.choice([None, rng.randrange(1, 10**12)])
        purpose = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 6)))[:40].strip()
        bill = "".join(
            rng.choice(string.ascii_uppercase + string.digits + "-/")
            for _ in range(rng.randrange(0, 12))
        )
        case = {"kind": kind, "amount": amount, "purpose": purpose, "bill": bill}
        if kind == "vnpay":
            case |= {
                "merchant_id": "".join(rng.choice(string.digits) for _ in range(10)),
                "merchant_name": rng.choice(["HTX CHE TAN CUONG", "CUA HANG MAI", "OCOP DONG HY"]),
                "store": rng.choice(["", "CUA HANG 1", "Chợ Đồng Hỷ"]),
                "terminal": rng.choice(["", "QUAY01", "T2"]),
            }
        elif kind == "momo":
            case |= {
                "bank_bin": "971025",
                "account": "PSP" + "".join(rng.choice(string.digits) for _ in range(15)),
                "reference": "MOMOW2W" + "".join(rng.choice(string.digits) for _ in range(8)),
                "service": "QRIBFTTA",
            }
        else:
            case |= {
                "bank_bin": rng.choice(BANKS),
                "account": "".join(
                    rng.choice(string.digits + ("ABC" if rng.random() < 0.2 else ""))
                    for _ in range(rng.randrange(6, 20))
                ),
                "service": rng.choice([vietqr.SERVICE_TO_ACCOUNT, vietqr.SERVICE_TO_CARD]),
            }
        cases.append(case)
    return cases


def test_payloads_built_here_are_read_alike_by_vietnam_qr_pay():
    cases = [c for c in _cases(random.Random(15)) if c["kind"] == "vietqr"]
    payloads = [
        vietqr.build_payload(
            bank_bin=c["bank_bin"],
            account=c["account"],
            amount=c["amount"],
            bill_number=c["bill"],
            purpose=c["purpose"],
            service=c["service"],
        )
        for c in cases
    ]
    parsed = run_node("vietqr.js", {"parse": payloads})["parsed"]
    mismatches = []
    for case, payload, there in zip(cases, payloads, parsed, strict=True):
        expected = {
            "isValid": True,
            "provider": "VIETQR",
            "initMethod": "11" if case["amount"] is None else "12",
            "bankBin": case["bank_bin"],
            "bankNumber": case["account"],
            "service": case["service"],
            "amount": "" if case["amount"] is None else str(case["amount"]),
            "purpose": vietqr.clean_free_text(case["purpose"], max_length=50),
            "billNumber": vietqr.clean_free_text(case["bill"]),
            "currency": "704",
            "nation": "VN",
        }
        got = {k: there[k] for k in expected}
        if got != expected:
            mismatches.append((payload, expected, got))
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ: {mismatches[:3]}"
    assert len(cases) >= 150


def _lib_options(case: dict) -> dict:
    if case["kind"] == "vnpay":
        return {
            "kind": "vnpay",
            "merchantId": case["merchant_id"],
            "merchantName": case["merchant_name"],
            "store": case["store"] or None,
            "terminal": case["terminal"] or None,
            "amount": str(case["amount"]) if case["amount"] else None,
            "purpose": case["purpose"] or None,
            "billNumber": case["bill"] or None,
        }
    return {
        "kind": "vietqr",
        "bankBin": case["bank_bin"],
        "bankNumber": case["account"],
        "amount": str(case["amount"]) if case["amount"] else None,
        "purpose": case["purpose"] or None,
        "billNumber": case["bill"] or None,
        "service": case["service"],
        "reference": case.get("reference"),
    }


def test_payloads_built_by_vietnam_qr_pay_are_read_here_with_every_field():
    cases = _cases(random.Random(16))
    built = run_node("vietqr.js", {"build": [_lib_options(c) for c in cases]})["built"]
    mismatches = []
    for case, payload in zip(cases, built, strict=True):
        read = vietqr.read_payload(payload)
        expected = {
            "scheme": "vnpay" if case["kind"] == "vnpay" else "vietqr",
            "wallet": "momo" if case["kind"] == "momo" else "",
            # the library writes point of initiation 11 in every VNPAY-QR, amount or not
            "dynamic": case["amount"] is not None and case["kind"] != "vnpay",
            "amount": None if case["amount"] is None else Decimal(case["amount"]),
            "purpose": case["purpose"],
            "bill_number": case["bill"],
        }
        got = {
            "scheme": read.scheme,
            "wallet": read.wallet,
            "dynamic": read.is_dynamic,
            "amount": read.amount,
            "purpose": read.additional.get("purpose", ""),
            "bill_number": read.additional.get("bill_number", ""),
        }
        if case["kind"] == "vnpay":
            expected |= {
                "merchant_id": case["merchant_id"],
                "merchant_name": case["merchant_name"],
                "store": case["store"],
                "terminal": case["terminal"],
            }
            got |= {
                "merchant_id": read.merchant_id,
                "merchant_name": read.field("merchant_name"),
                "store": read.additional.get("store_label", ""),
                "terminal": read.additional.get("terminal_label", ""),
            }
        else:
            expected |= {
                "bank_bin": case["bank_bin"],
                "account": case["account"],
                "service": case["service"],
                "reference": case.get("reference") or "",
            }
            got |= {
                "bank_bin": read.bank_bin,
                "account": read.account,
                "service": read.service,
                "reference": read.additional.get("reference_label", ""),
            }
        if got != expected:
            mismatches.append((payload, expected, got))
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ: {mismatches[:3]}"
    assert any("è" in c["purpose"] or "ư" in c["purpose"] for c in cases)  # Unicode went through
