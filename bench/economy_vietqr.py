"""VietQR benchmark: payload build/parse speed and QR symbol sizes (segmented vs naive).

Run: /work/venv/bin/python bench/economy_vietqr.py [--n 20000]
Pure Python, no database."""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import segno

from langso.economy import vietqr

BINS = ["970405", "970436", "970418", "970415", "970422", "970403"]


def payloads(n: int, rng: random.Random) -> list[str]:
    out = []
    for i in range(n):
        dynamic = i % 2 == 0
        out.append(
            vietqr.build_payload(
                bank_bin=rng.choice(BINS),
                account=str(rng.randint(10**9, 10**15)),
                amount=rng.randint(1, 5000) * 1000 if dynamic else None,
                bill_number=f"DH{rng.randint(1000, 99999)}" if dynamic else "",
                purpose="Thanh toán chè Tức Tranh" if dynamic else "",
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--images", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)
    t0 = time.perf_counter()
    items = payloads(args.n, rng)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for p in items:
        vietqr.parse_payload(p)
    parse = time.perf_counter() - t0
    print(
        f"build: {args.n / build:,.0f} payloads/s; parse (with CRC check): "
        f"{args.n / parse:,.0f} payloads/s"
    )
    versions_naive, versions_split, smaller = [], [], 0
    t0 = time.perf_counter()
    for p in items[: args.images]:
        naive = segno.make(p, error="m", micro=False, boost_error=False).version
        split = vietqr.make_qr(p).version
        versions_naive.append(naive)
        versions_split.append(split)
        smaller += split < naive
        assert split <= naive
    symbols = time.perf_counter() - t0
    print(
        f"QR symbol version over {args.images} payloads: naive mean "
        f"{statistics.mean(versions_naive):.2f}, segmented mean "
        f"{statistics.mean(versions_split):.2f}; smaller in {smaller} "
        f"({100 * smaller / args.images:.0f}%), never larger"
    )
    t0 = time.perf_counter()
    for p in items[: args.images]:
        vietqr.qr_png(p)
    png = time.perf_counter() - t0
    print(
        f"symbols: {symbols / args.images * 1000:.2f} ms each (two encodings); "
        f"PNG: {png / args.images * 1000:.2f} ms each"
    )


if __name__ == "__main__":
    main()
