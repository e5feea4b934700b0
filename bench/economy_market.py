"""Marketplace benchmark: catalogue query time with many products (the province scale of the
articles: 145 enterprises, 400+ products; here a commune with N producers).

Run against a scratch SQLite file (never a shared database):
  LANGSO_VAR_DIR=/tmp/economy-bench /work/venv/bin/python manage.py migrate -v0
  LANGSO_VAR_DIR=/tmp/economy-bench /work/venv/bin/python bench/economy_market.py --products 5000
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from langso.core.text import fold  # noqa: E402
from langso.economy.models import Certificate, Producer, Product  # noqa: E402
from langso.economy.queries import market_products, monitoring_figures  # noqa: E402
from langso.places.models import AdminUnit, Level, Structure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=5000)
    args = parser.parse_args()
    commune, _ = AdminUnit.objects.get_or_create(
        structure=Structure.Y2025,
        level=Level.COMMUNE,
        code="99999",
        defaults={
            "name": "Xã Thử Nghiệm",
            "short_name": "Thử Nghiệm",
            "province_code": "99",
            "search_key": "xa thu nghiem",
        },
    )
    if not Product.objects.filter(producer__commune=commune).exists():
        t0 = time.perf_counter()
        producers = Producer.objects.bulk_create(
            [
                Producer(
                    kind="household_business",
                    name=f"Hộ kinh doanh {i}",
                    commune=commune,
                    province_code="99",
                    search_key=f"ho kinh doanh {i}",
                )
                for i in range(args.products // 4)
            ]
        )
        words = ["Chè búp", "Mật ong", "Gạo nếp", "Miến dong", "Chè Móc câu", "Nấm hương"]
        Product.objects.bulk_create(
            [
                Product(
                    producer=producers[i % len(producers)],
                    name=f"{words[i % 6]} {i}",
                    search_key=fold(f"{words[i % 6]} {i}"),
                    ocop_group="food",
                )
                for i in range(args.products)
            ],
            batch_size=1000,
        )
        day = date(2025, 1, 1)
        Certificate.objects.bulk_create(
            [
                Certificate(
                    producer=p.producer,
                    product=p,
                    kind="ocop",
                    star=3 + i % 3,
                    number=f"B{i}",
                    issuer="X",
                    valid_from=day,
                    valid_to=day + timedelta(days=1095),
                )
                for i, p in enumerate(Product.objects.filter(producer__commune=commune)[::5])
            ],
            batch_size=1000,
        )
        print(f"seeded {args.products} products in {time.perf_counter() - t0:.1f} s")
    for label, kwargs in [
        ("first page, no filter", {}),
        ("search 'che moc'", {"q": "che moc"}),
        ("OCOP >= 4 stars", {"stars": 4}),
        ("valid OCOP certificate", {"certificate": "ocop"}),
    ]:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                rows = list(market_products(commune=commune, **kwargs)[:24])
            times.append(time.perf_counter() - t0)
        print(
            f"{label:28s} {min(times) * 1000:7.1f} ms  ({len(rows)} rows, "
            f"{len(ctx.captured_queries)} queries)"
        )
    t0 = time.perf_counter()
    monitoring_figures(
        unit_ids=[commune.pk], period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    print(f"monitoring_figures for one commune: {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
