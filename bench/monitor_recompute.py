"""Benchmark: recompute every indicator for every unit of a synthetic province, rolled up,
against one hand-written SQL query per figure, in the same run, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/langso_monitor_bench \
        /work/venv/bin/python bench/monitor_recompute.py --sizes 10,100 --dossiers 10000

Synthetic data lives in tables of its own (bench_monitor_dossier, bench_monitor_household),
filled with generate_series; figures come from bench/monitor_provider.py (real SQL
aggregates). Also measures freshness: one new dossier, `mark_stale(commune)`, until the
commune's online rate has changed (immediate task backend, as in a single-worker setup).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from benchdb import ensure_database  # bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/langso_monitor_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)


ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

settings.LANGSO_FIGURE_PROVIDERS = ["monitor_provider"]
settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

import monitor_provider  # noqa: E402

from langso.monitor.actions import mark_stale, recompute_indicators  # noqa: E402
from langso.monitor.catalogue import load_catalogue  # noqa: E402
from langso.monitor.models import IndicatorValue, Scheme, UnitClassification  # noqa: E402
from langso.places.models import AdminUnit, Level, Structure  # noqa: E402

YEAR = 2025
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)


def setup_schema() -> None:
    call_command("migrate", verbosity=0)
    load_catalogue()
    with connection.cursor() as cur:
        cur.execute("""
            create table if not exists bench_monitor_dossier (
                id bigserial primary key, commune_id bigint not null, received date not null,
                online boolean not null, settled boolean not null, on_time boolean not null,
                rated boolean not null, satisfied boolean not null);
            create table if not exists bench_monitor_household (
                id bigserial primary key, commune_id bigint not null,
                has_address boolean not null, has_health_record boolean not null);
            create index if not exists bench_monitor_dossier_commune
                on bench_monitor_dossier (commune_id, received);
            create index if not exists bench_monitor_household_commune
                on bench_monitor_household (commune_id);""")


def make_province(n: int, dossiers: int, households: int) -> AdminUnit:
    code = f"B{len(str(n))}"  # fits province_code (4) and unit code (8)
    province = AdminUnit.objects.filter(
        structure=Structure.Y2025, level=Level.PROVINCE, code=code
    ).first()
    if province is not None:
        return province
    with transaction.atomic():
        province = AdminUnit.objects.create(
            structure=Structure.Y2025,
            level=Level.PROVINCE,
            code=code,
            name=f"Tỉnh Thử {n}",
            short_name=f"Thử {n}",
            unit_type="Tỉnh",
            province_code=code,
            search_key="",
        )
        UnitClassification.objects.create(
            unit=province, scheme=Scheme.REGION, value="tdmnpb", year_from=2021, year_to=2025
        )
        communes = AdminUnit.objects.bulk_create(
            [
                AdminUnit(
                    structure=Structure.Y2025,
                    level=Level.COMMUNE,
                    code=f"{code}{i:05d}",
                    name=f"Xã Thử {i}",
                    short_name=f"Thử {i}",
                    unit_type="Xã",
                    parent=province,
                    province_code=code,
                    search_key="",
                    latitude=21 + i / 1000,
                    longitude=105.5,
                )
                for i in range(n)
            ]
        )
        ids = [c.pk for c in communes]
        with connection.cursor() as cur:
            cur.execute(
                """
                insert into bench_monitor_dossier
                    (commune_id, received, online, settled, on_time, rated, satisfied)
                select c, date '2025-01-01' + (g %% 365),
                       (g * 7 + c) %% 10 < 7, g %% 20 <> 0, (g * 3 + c) %% 25 <> 0,
                       g %% 3 = 0, (g + c) %% 17 <> 0
                from unnest(%s::bigint[]) c, generate_series(1, %s) g""",
                [ids, dossiers],
            )
            cur.execute(
                """
                insert into bench_monitor_household (commune_id, has_address, has_health_record)
                select c, (g + c) %% 9 <> 0, (g * 5 + c) %% 4 <> 0
                from unnest(%s::bigint[]) c, generate_series(1, %s) g""",
                [ids, households],
            )
            cur.execute("analyze bench_monitor_dossier; analyze bench_monitor_household")
    return province


def baseline(ids: list[int]) -> float:
    """One hand-written SQL query per figure, results fetched: the yardstick."""
    params = {"ids": ids, "start": START, "end": END}
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for code in monitor_provider.FIGURE_SQL:
            cur.execute(monitor_provider.figure_query(code), params)
            cur.fetchall()
    return time.perf_counter() - t0


def ours(province: AdminUnit) -> float:
    t0 = time.perf_counter()
    recompute_indicators(units=[province], year=YEAR)
    return time.perf_counter() - t0


def freshness(province: AdminUnit) -> float:
    commune = AdminUnit.objects.filter(parent=province).order_by("pk").first()
    before = IndicatorValue.objects.get(
        unit=commune, year=YEAR, indicator__code="CDS924.CQS.1"
    ).numerator
    t0 = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(
                """insert into bench_monitor_dossier
                (commune_id, received, online, settled, on_time, rated, satisfied)
                values (%s, '2025-06-01', true, false, false, false, false)""",
                [commune.pk],
            )
        mark_stale(commune, year=YEAR)
    after = IndicatorValue.objects.get(
        unit=commune, year=YEAR, indicator__code="CDS924.CQS.1"
    ).numerator
    elapsed = time.perf_counter() - t0
    assert after == before + 1, (before, after)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100")
    parser.add_argument("--dossiers", type=int, default=10_000, help="per commune")
    parser.add_argument("--households", type=int, default=2_000, help="per commune")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_schema()
    print(
        f"{'communes':>8} {'dossiers':>10} {'households':>10} {'values':>7} "
        f"{'SQL/figure s':>12} {'recompute s':>11} {'ratio':>6} {'fresh s':>8}"
    )
    for n in [int(s) for s in args.sizes.split(",")]:
        province = make_province(n, args.dossiers, args.households)
        ids = list(AdminUnit.objects.filter(parent=province).values_list("pk", flat=True))
        ours(province)  # warm caches once, as the baseline below also runs warm
        base_runs, our_runs = [], []
        for _ in range(args.repeat):
            base_runs.append(baseline(ids))
            our_runs.append(ours(province))
        b, o = statistics.median(base_runs), statistics.median(our_runs)
        values = IndicatorValue.objects.filter(unit__province_code=province.code, year=YEAR).count()
        fresh = freshness(province)
        print(
            f"{n:>8} {n * args.dossiers:>10} {n * args.households:>10} {values:>7} "
            f"{b:>12.3f} {o:>11.3f} {o / b:>6.2f} {fresh:>8.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
