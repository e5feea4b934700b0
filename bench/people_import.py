# ruff: noqa: S608  (table names come from the models, values are parameters)
"""Benchmark of the population import on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/langso_bench_people \\
        python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/langso_bench_people \\
        python bench/people_import.py --rows 100000 --format csv

Generates N residents (about 2.6 per household) into a .csv or .xlsx file, imports them with
`import_population` (parse + validate + bulk insert + audit, one transaction) into a commune,
and prints rows/s. For reference it also inserts the same rows raw (PostgreSQL COPY, or
executemany elsewhere) in the same run, inside a transaction that is rolled back, and
prints the ratio beside its goal (issue 17: CSV <= 1.5x, XLSX <= 2.0x the time of COPY).
With --repeat N both run N times, each import right after its reference, and the median of
the N paired ratios is the figure. Also shown, not part of the reference: the deferred
foreign-key checks that the rolled-back reference skips and the committed import pays.
Bench rows (codes BENCH-*) are removed at the end unless --keep.

With --readers (xlsx) it also times the Excel readers alone on the same file: calamine as
the import uses it (with its scan of the cell references first, see people/sheets.py) and
openpyxl in read-only mode, the fallback.
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from langso.core.text import fold  # noqa: E402
from langso.people.actions import import_population  # noqa: E402
from langso.people.imports import ImportMode  # noqa: E402
from langso.people.models import Household, Resident  # noqa: E402
from langso.people.sheets import COLUMNS, new_workbook, openpyxl_rows, xlsx_rows  # noqa: E402
from langso.places.models import AdminUnit, Hamlet, Level, Structure  # noqa: E402

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Ma",
    "La",
]
MIDDLE = {"M": ["Văn", "Đức", "Minh", "Quang", "Hữu"], "F": ["Thị", "Ngọc", "Thu", "Thanh"]}
FIRST = {
    "M": ["An", "Bình", "Cường", "Dũng", "Hùng", "Khải", "Long", "Nam", "Sơn", "Tuấn"],
    "F": ["Hà", "Hoa", "Lan", "Mai", "Nga", "Phương", "Thảo", "Trang", "Yến", "Hương"],
}
RELATION_TEXT = {"head": "Chủ hộ", "spouse": "Vợ/chồng", "child": "Con", "parent": "Bố/mẹ"}
GOALS = {"csv": 1.5, "xlsx": 2.0}  # issue 17: the import's time / the raw COPY's
ID_PREFIX = "096"  # Cà Mau: keeps bench IDs apart from the Thái Nguyên demo population


def bench_commune(code: str) -> AdminUnit:
    commune = AdminUnit.objects.filter(
        structure=Structure.Y2025, level=Level.COMMUNE, code=code
    ).first()
    if commune is None:  # a bare database: create just what the bench needs
        province, _ = AdminUnit.objects.get_or_create(
            structure=Structure.Y2025,
            level=Level.PROVINCE,
            code="19",
            defaults={
                "name": "Tỉnh Thái Nguyên",
                "short_name": "Thái Nguyên",
                "unit_type": "Tỉnh",
                "province_code": "19",
                "search_key": "tinh thai nguyen",
            },
        )
        commune = AdminUnit.objects.create(
            structure=Structure.Y2025,
            level=Level.COMMUNE,
            code=code,
            name="Xã Vô Tranh",
            short_name="Vô Tranh",
            unit_type="Xã",
            parent=province,
            province_code="19",
            search_key="xa vo tranh",
        )
    Hamlet.objects.get_or_create(
        commune=commune,
        code="BENCH-01",
        defaults={"name": "Xóm Thử Nghiệm", "search_key": "xom thu nghiem"},
    )
    return commune


def generate(rows: int, seed: int) -> list[list]:
    """Resident rows in the sheet layout, with valid, unique citizen IDs."""
    rng = random.Random(seed)
    today = date(2026, 1, 1)
    counters: dict[str, int] = {}
    out: list[list] = []
    n = 0
    while len(out) < rows:
        n += 1
        code = f"BENCH-{n:07d}"
        members = [("head", rng.choice("MMMMF"), 30, 75)]
        if rng.random() < 0.8:
            members.append(("spouse", "F" if members[0][1] == "M" else "M", 28, 70))
        members += [("child", rng.choice("MF"), 0, 25) for _ in range(rng.choice([0, 1, 1, 2]))]
        if rng.random() < 0.15:
            members.append(("parent", rng.choice("MF"), 70, 95))
        surname = rng.choice(SURNAMES)
        for i, (relation, sex, low, high) in enumerate(members):
            if len(out) >= rows:
                break
            dob = today - timedelta(days=rng.randint(low * 365, high * 365))
            name = f"{surname} {rng.choice(MIDDLE[sex])} {rng.choice(FIRST[sex])}"
            cid = ""
            if (today - dob).days >= 14 * 365:
                head = f"{ID_PREFIX}{(dob.year // 100 - 19) * 2 + (sex == 'F')}{dob.year % 100:02d}"
                counters[head] = counters.get(head, 0) + 1
                cid = f"{head}{counters[head]:06d}"
            out.append(
                [
                    code,
                    "Xóm Thử Nghiệm",
                    f"Số {n}, Xóm Thử Nghiệm" if i == 0 else "",
                    round(21.70 + rng.uniform(-0.02, 0.02), 6) if i == 0 else "",
                    round(105.77 + rng.uniform(-0.02, 0.02), 6) if i == 0 else "",
                    name,
                    "Nam" if sex == "M" else "Nữ",
                    dob.strftime("%d/%m/%Y"),
                    cid,
                    f"09{rng.randrange(10**8):08d}" if cid and rng.random() < 0.7 else "",
                    RELATION_TEXT[relation],
                ]
            )
    return out


def write_file(rows: list[list], fmt: str, folder: Path) -> Path:
    path = folder / f"bench-dan-cu.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([c.header for c in COLUMNS])
            writer.writerows(rows)
    else:
        wb, ws = new_workbook(write_only=True)
        for row in rows:
            ws.append(row)
        wb.save(path)
    return path


def raw_insert(commune: AdminUnit, rows: list[list]) -> tuple[float, float]:
    """Insert the same households and residents with COPY (PostgreSQL) or executemany, in a
    transaction that is rolled back. Returns the seconds of the insert, and those of the
    deferred constraint checks run after it (outside the reference)."""
    hamlet_id = Hamlet.objects.get(commune=commune, code="BENCH-01").pk
    now = timezone.now()
    households: dict[str, tuple] = {}
    for r in rows:
        if r[0] not in households:
            households[r[0]] = (
                now,
                now,
                commune.pk,
                commune.province_code,
                hamlet_id,
                r[0],
                r[2],
                r[3] or None,
                r[4] or None,
                fold(f"{r[0]} {r[2]} {r[5]}"),
            )
    hh_cols = (
        "created_at",
        "updated_at",
        "commune_id",
        "province_code",
        "hamlet_id",
        "code",
        "address_line",
        "latitude",
        "longitude",
        "search_key",
    )
    res_cols = (
        "created_at",
        "updated_at",
        "household_id",
        "commune_id",
        "province_code",
        "full_name",
        "sex",
        "date_of_birth",
        "citizen_id",
        "phone",
        "relation_to_head",
        "search_key",
    )
    relation = {v: k for k, v in RELATION_TEXT.items()}
    hh_table, res_table = Household._meta.db_table, Resident._meta.db_table
    postgres = connection.vendor == "postgresql"
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cur:
            if postgres:
                with cur.cursor.copy(f"COPY {hh_table} ({', '.join(hh_cols)}) FROM STDIN") as cp:
                    for values in households.values():
                        cp.write_row(values)
            else:
                cur.executemany(
                    f"INSERT INTO {hh_table} ({', '.join(hh_cols)}) VALUES "
                    f"({', '.join(['%s'] * len(hh_cols))})",
                    list(households.values()),
                )
            cur.execute(
                f"SELECT code, id FROM {hh_table} WHERE commune_id = %s AND code LIKE %s",
                [commune.pk, "BENCH-%"],
            )
            ids = dict(cur.fetchall())
            residents = []
            for r in rows:
                d, m, y = r[7].split("/")
                residents.append(
                    (
                        now,
                        now,
                        ids[r[0]],
                        commune.pk,
                        commune.province_code,
                        r[5],
                        "M" if r[6] == "Nam" else "F",
                        date(int(y), int(m), int(d)),
                        r[8] or None,
                        r[9],
                        relation[r[10]],
                        fold(r[5]),
                    )
                )
            if postgres:
                with cur.cursor.copy(f"COPY {res_table} ({', '.join(res_cols)}) FROM STDIN") as cp:
                    for values in residents:
                        cp.write_row(values)
            else:
                cur.executemany(
                    f"INSERT INTO {res_table} ({', '.join(res_cols)}) VALUES "
                    f"({', '.join(['%s'] * len(res_cols))})",
                    residents,
                )
            cur.execute(
                f"UPDATE {hh_table} h SET head_id = r.id FROM {res_table} r "
                f"WHERE r.household_id = h.id AND r.relation_to_head = 'head' "
                f"AND h.commune_id = %s AND h.code LIKE %s"
                if postgres
                else f"UPDATE {hh_table} SET head_id = (SELECT r.id FROM {res_table} r "
                f"WHERE r.household_id = {hh_table}.id AND r.relation_to_head = 'head') "
                f"WHERE commune_id = %s AND code LIKE %s",
                [commune.pk, "BENCH-%"],
            )
        elapsed = time.perf_counter() - started
        # Not part of the reference: the deferred foreign-key checks that a committed insert
        # (the import) pays at COMMIT and this rolled-back one never runs. Shown beside it.
        started = time.perf_counter()
        if postgres:
            with connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        checks = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, checks


def cleanup(commune: AdminUnit) -> None:
    bench = Household.objects.filter(commune=commune, code__startswith="BENCH-")
    Household.objects.filter(pk__in=bench.values("pk")).update(head=None)
    Resident.objects.filter(household__in=bench).delete()
    bench.delete()
    vacuum()


def vacuum() -> None:
    """Start each measurement from clean tables (a rolled-back or deleted run leaves dead
    rows and index entries behind)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {Household._meta.db_table}, {Resident._meta.db_table}")


def time_readers(path: Path) -> None:
    data = path.read_bytes()
    for name, read in (("calamine", xlsx_rows), ("openpyxl read-only", openpyxl_rows)):
        started = time.perf_counter()
        count = sum(1 for _row in read(io.BytesIO(data)))
        elapsed = time.perf_counter() - started
        print(f"reader {name}: {count:,} rows in {elapsed:.2f} s = {count / elapsed:,.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--commune", default="05641")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the imported bench rows")
    parser.add_argument("--readers", action="store_true", help="also time the Excel readers")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run both N times, interleaved; keep the best"
    )
    args = parser.parse_args()

    commune = bench_commune(args.commune)
    cleanup(commune)
    print(f"database: {connection.vendor} ({connection.settings_dict.get('NAME')})")
    t0 = time.perf_counter()
    rows = generate(args.rows, args.seed)
    households = len({r[0] for r in rows})
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(rows, args.format, Path(folder))
        print(
            f"generated {len(rows):,} residents in {households:,} households "
            f"({path.stat().st_size / 1e6:.1f} MB {args.format}) in "
            f"{time.perf_counter() - t0:.1f} s"
        )

        if args.readers and args.format == "xlsx":
            time_readers(path)

        how = "COPY" if connection.vendor == "postgresql" else "executemany"
        raws, checks, imports = [], [], []
        for attempt in range(args.repeat):
            raw, check = raw_insert(commune, rows)
            vacuum()
            raws.append(raw)
            checks.append(check)
            print(
                f"reference raw {how} insert: {raw:.2f} s = {len(rows) / raw:,.0f} rows/s "
                f"(+ {check:.2f} s of deferred FK checks it skips by rolling back)"
            )
            t1 = time.perf_counter()
            with path.open("rb") as f:
                report = import_population(
                    actor=None,
                    commune=commune,
                    file=f,
                    mode=ImportMode.ALL_OR_NOTHING,
                    filename=path.name,
                )
            elapsed = time.perf_counter() - t1
            assert report.residents == len(rows), report.errors[:5]
            imports.append(elapsed)
            print(
                f"import_population ({args.format}, parse + validate + insert + audit): "
                f"{elapsed:.2f} s = {len(rows) / elapsed:,.0f} rows/s"
            )
            print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            if attempt + 1 < args.repeat:
                cleanup(commune)
    goal = f"goal <= {GOALS[args.format]}x for {args.format}"
    if connection.vendor != "postgresql":
        goal += ", against COPY on PostgreSQL"
    # Each import runs right after its reference, under the same load of a shared machine:
    # the median of these paired ratios is steadier than a ratio of separate bests.
    paired = [i / r for i, r in zip(imports, raws, strict=True)]
    print(
        f"ratio import / raw insert: {statistics.median(paired):.2f}x the time ({goal}; "
        f"median of {args.repeat}: {' '.join(f'{x:.2f}' for x in paired)})"
    )
    if connection.vendor == "postgresql":
        fair = [i / (r + c) for i, r, c in zip(imports, raws, checks, strict=True)]
        print(
            f"ratio with the reference's deferred FK checks counted: "
            f"{statistics.median(fair):.2f}x (for information)"
        )
    if not args.keep:
        cleanup(commune)


if __name__ == "__main__":
    main()
