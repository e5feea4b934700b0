"""Benchmark of the documents app: render, sign (PAdES B-B and B-T) and verify, per second,
single process. Uses a throw-away demo PKI in a temporary folder; no database.

    /work/venv/bin/python bench/documents_signing.py [--n 30]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def timed(label: str, n: int, fn) -> None:
    samples = []
    result = None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t0)
    mean = statistics.mean(samples)
    print(
        f"{label:<34} {1 / mean:8.1f}/s   mean {mean * 1000:7.1f} ms   "
        f"p95 {sorted(samples)[int(0.95 * (n - 1))] * 1000:7.1f} ms"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    import datetime as dt
    from types import SimpleNamespace

    from django.conf import settings

    settings.LANGSO_SIGNING_DIR = tempfile.mkdtemp(prefix="langso-bench-signing-")
    settings.LANGSO_SIGNING_MODE = "demo"
    settings.LANGSO_TRUST_ROOTS = []

    from langso.documents.rendering import DocumentLayout, render_document
    from langso.documents.signing.pades import sign_pdf
    from langso.documents.signing.signers import identity_for
    from langso.documents.signing.verification import verify_pdf

    commune = SimpleNamespace(
        code="05641",
        name="Xã Vô Tranh",
        parent_id=1,
        parent=SimpleNamespace(name="Tỉnh Thái Nguyên"),
    )
    layout = DocumentLayout(
        agency_parent="ỦY BAN NHÂN DÂN",
        agency="XÃ VÔ TRANH",
        place="Vô Tranh",
        issued_on=dt.date(2026, 11, 23),
        reference="1/GXN-UBND",
        kind="certificate",
        title="Xác nhận cư trú",
        paragraphs=["Ủy ban nhân dân xã Vô Tranh xác nhận ..."] * 6,
        seal_text="Ủy ban nhân dân Xã Vô Tranh ★ Tỉnh Thái Nguyên",
        signature_note="Ký bởi: Ủy ban nhân dân Xã Vô Tranh\nThời gian ký: 23/11/2026 09:00",
    )
    t0 = time.perf_counter()
    identity = identity_for(commune)
    print(f"demo PKI created in {time.perf_counter() - t0:.2f} s (root, TSA, commune; RSA 2048)")
    pdf = timed("render (reportlab, 1 page)", args.n, lambda: render_document(layout))
    bb = identity_for(commune)
    bb.timestamper = None
    timed("sign PAdES B-B", args.n, lambda: sign_pdf(pdf, bb).data)
    signed = timed("sign PAdES B-T (local TSA)", args.n, lambda: sign_pdf(pdf, identity).data)
    report = timed("verify (trust path + diff)", args.n, lambda: verify_pdf(signed))
    assert report.code == "valid", report.code
    print(f"file size: unsigned {len(pdf)} B, signed {len(signed)} B")


if __name__ == "__main__":
    main()
