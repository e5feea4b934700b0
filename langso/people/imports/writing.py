"""Writing the accepted households and residents: COPY on PostgreSQL, bulk_create elsewhere."""

from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..models import Household, Relation, Resident
from ..search_keys import household_search_key, resident_search_key
from .checks import ImportReport

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
    """Insert the accepted households and their residents. Model validation was done row by
    row above; the database constraints (unique codes and citizen IDs) still guard against
    a concurrent import."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        report.residents += _write_postgres(commune, accepted, now)
        report.households += len(accepted)
        return
    items = list(accepted.items())
    for start in range(0, len(items), BATCH_SIZE):
        chunk = items[start : start + BATCH_SIZE]
        report.residents += _write_batch(commune, chunk, now)
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
        household_search_key(code, address, head.full_name),
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
        resident_search_key(r.full_name),
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


def _reserve_ids(cursor, model, count: int) -> list[str]:
    """`count` new ids from the table's sequence, as the text COPY reads. The sequence's name
    is looked up once (a subquery), not once per id: pg_get_serial_sequence() in the select
    list ran for every row of the series and took most of the time. The ids come back in one
    text value, so no row object or int is made for each."""
    cursor.execute(
        "SELECT string_agg(nextval((SELECT pg_get_serial_sequence(%s, 'id'))::regclass)::text,"
        " ',') FROM generate_series(1, %s)",
        [model._meta.db_table, count],
    )
    ids = cursor.fetchone()[0]
    return ids.split(",") if ids else []


def _copy(cursor, model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    # The raw psycopg cursor bypasses Django's error translation: restore it, so a unique
    # violation surfaces as django.db.IntegrityError like on the ORM path.
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row(row)


def _write_postgres(commune, accepted: dict[str, list], now) -> int:
    """PostgreSQL path: ids are reserved from the sequences first, so residents and then
    households (with their head; both foreign keys are deferred) go in with two COPYs fed
    row by row, and nothing has to be read back or updated.

    Every value is handed to COPY as text (None for NULL) and the server parses it by the
    column's type: psycopg's dumpers of datetimes, dates and integers, called per value,
    were a third of the import's Python time. Timestamps are ISO 8601 with their offset
    and dates YYYY-MM-DD, which PostgreSQL reads alike whatever its DateStyle."""
    stamp = now.isoformat()
    commune_id, province = str(commune.pk), commune.province_code
    count = sum(len(item[5]) for item in accepted.values())
    heads: list[str | None] = []

    def residents(ids: Iterator[str]) -> Iterator[tuple]:
        for hid, item in zip(household_ids, accepted.values(), strict=True):
            head_id = None
            for r in item[5]:
                resident_id = next(ids)
                if r is item[4]:
                    head_id = resident_id
                born = r.date_of_birth
                yield (
                    resident_id,
                    stamp,
                    stamp,
                    hid,
                    commune_id,
                    province,
                    r.full_name,
                    r.sex,
                    None if born is None else born.isoformat(),
                    r.citizen_id,
                    r.phone,
                    r.relation,
                    resident_search_key(r.full_name),
                )
            heads.append(head_id)

    def households() -> Iterator[tuple]:
        for household_id, head_id, (code, item) in zip(
            household_ids, heads, accepted.items(), strict=True
        ):
            hamlet_id, address, lat, lon, head, _members = item
            yield (
                household_id,
                head_id,
                stamp,
                stamp,
                commune_id,
                province,
                None if hamlet_id is None else str(hamlet_id),
                code,
                address,
                None if lat is None else repr(lat),
                None if lon is None else repr(lon),
                household_search_key(code, address, head.full_name),
            )

    with connection.cursor() as cursor:
        household_ids = _reserve_ids(cursor, Household, len(accepted))
        resident_ids = _reserve_ids(cursor, Resident, count)
        _copy(cursor, Resident, ("id", *RESIDENT_COLUMNS), residents(iter(resident_ids)))
        _copy(cursor, Household, ("id", "head_id", *HOUSEHOLD_COLUMNS), households())
    return count
