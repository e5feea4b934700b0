"""Writing the accepted households and residents: COPY on PostgreSQL, bulk_create elsewhere."""

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..models import Household, Relation, Resident
from .checks import ImportReport, fold_name

BATCH_SIZE = 2000


HOUSEHOLD_COLUMNS = (
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
RESIDENT_COLUMNS = (
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


def write_households(commune, accepted: dict[str, list], report: ImportReport) -> None:
    """Insert the accepted households and their residents, in batches. Model validation
    was done row by row above; the database constraints (unique codes and citizen IDs)
    still guard against a concurrent import."""
    write = _write_batch_postgres if connection.vendor == "postgresql" else _write_batch
    now = timezone.now()
    items = list(accepted.items())
    for start in range(0, len(items), BATCH_SIZE):
        chunk = items[start : start + BATCH_SIZE]
        report.residents += write(commune, chunk, now)
        report.households += len(chunk)


def _household_row(commune, now, code, item) -> tuple:
    hamlet_id, address, lat, lon, head, _members = item
    return (
        now,
        now,
        commune.pk,
        commune.province_code,
        hamlet_id,
        code,
        address,
        lat,
        lon,
        fold_name(f"{code} {address} {head.full_name}")[:300],
    )


def _resident_row(commune, now, household_id, r) -> tuple:
    return (
        now,
        now,
        household_id,
        commune.pk,
        commune.province_code,
        r.full_name,
        r.sex,
        r.date_of_birth,
        r.citizen_id,
        r.phone,
        r.relation,
        fold_name(r.full_name)[:200],
    )


def _write_batch(commune, chunk, now) -> int:
    """Portable path: bulk_create, read the ids back, one UPDATE sets every head."""
    Household.objects.bulk_create(
        [
            Household(
                **dict(
                    zip(HOUSEHOLD_COLUMNS, _household_row(commune, now, code, item), strict=True)
                )
            )
            for code, item in chunk
        ]
    )
    ids = dict(
        Household.objects.filter(commune=commune, code__in=[c for c, _i in chunk]).values_list(
            "code", "id"
        )
    )
    residents = [
        Resident(
            **dict(zip(RESIDENT_COLUMNS, _resident_row(commune, now, ids[code], r), strict=True))
        )
        for code, item in chunk
        for r in item[5]
    ]
    Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
    Household.objects.filter(pk__in=ids.values()).update(
        head=Subquery(
            Resident.objects.filter(
                household=OuterRef("pk"), relation_to_head=Relation.HEAD
            ).values("pk")[:1]
        )
    )
    return len(residents)


def _reserve_ids(cursor, model, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [model._meta.db_table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy(cursor, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    # The raw psycopg cursor bypasses Django's error translation: restore it, so a unique
    # violation surfaces as django.db.IntegrityError like on the ORM path.
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _write_batch_postgres(commune, chunk, now) -> int:
    """PostgreSQL path: ids are reserved from the sequences first, so households (with
    their head, a deferred foreign key) and residents go in with two COPYs and nothing
    has to be read back or updated."""
    with connection.cursor() as cursor:
        household_ids = _reserve_ids(cursor, Household, len(chunk))
        resident_ids = iter(_reserve_ids(cursor, Resident, sum(len(item[5]) for _c, item in chunk)))
        households, residents = [], []
        for (code, item), household_id in zip(chunk, household_ids, strict=True):
            head_id = None
            for r in item[5]:
                resident_id = next(resident_ids)
                if r is item[4]:
                    head_id = resident_id
                residents.append((resident_id, *_resident_row(commune, now, household_id, r)))
            households.append((household_id, head_id, *_household_row(commune, now, code, item)))
        _copy(cursor, Household, ("id", "head_id", *HOUSEHOLD_COLUMNS), households)
        _copy(cursor, Resident, ("id", *RESIDENT_COLUMNS), residents)
    return len(residents)
