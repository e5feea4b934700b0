"""Importing households and residents from a population sheet (see sheets.py).

Three steps: parse every row (types, formats), check the households as wholes (one head,
consistent hamlet, codes and citizen IDs unique in the file and in the database), then
write everything with bulk inserts inside the caller's transaction. Nothing is written
while the file has errors, unless the caller asked for the valid households only.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core.text import fold
from langso.places.models import Hamlet

from .citizen_id import validate_citizen_id
from .models import Household, Relation, Resident, Sex
from .sheets import COLUMN_BY_KEY

BATCH_SIZE = 2000
MAX_REPORTED_ERRORS = 500


class ImportMode:
    ALL_OR_NOTHING = "all"
    VALID_ONLY = "valid_only"
    CHOICES = (ALL_OR_NOTHING, VALID_ONLY)


@dataclass
class RowError:
    row: int
    column: str  # the Vietnamese header, "" for a problem of the whole row
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    rows: int = 0
    households: int = 0
    residents: int = 0
    skipped_rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def add_error(self, row: int, column_key: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            header = COLUMN_BY_KEY[column_key].header if column_key else ""
            self.errors.append(RowError(row, header, reason))

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "households": self.households, "residents": self.residents,
                "skipped_rows": self.skipped_rows, "error_count": self.error_count,
                "written": self.written, "errors": [e.as_dict() for e in self.errors]}


RELATIONS = {
    "chu ho": Relation.HEAD, "chu": Relation.HEAD,
    "vo": Relation.SPOUSE, "chong": Relation.SPOUSE, "vo/chong": Relation.SPOUSE,
    "vo chong": Relation.SPOUSE,
    "con": Relation.CHILD, "con trai": Relation.CHILD, "con gai": Relation.CHILD,
    "con de": Relation.CHILD, "con nuoi": Relation.CHILD, "con dau": Relation.OTHER,
    "con re": Relation.OTHER,
    "bo": Relation.PARENT, "me": Relation.PARENT, "cha": Relation.PARENT, "bo/me": Relation.PARENT,
    "bo me": Relation.PARENT, "cha/me": Relation.PARENT, "bo de": Relation.PARENT,
    "me de": Relation.PARENT, "ong": Relation.OTHER, "ba": Relation.OTHER,
    "chau": Relation.GRANDCHILD, "chau noi": Relation.GRANDCHILD,
    "chau ngoai": Relation.GRANDCHILD,
    "anh": Relation.SIBLING, "chi": Relation.SIBLING, "em": Relation.SIBLING,
    "anh/chi/em": Relation.SIBLING, "anh chi em": Relation.SIBLING,
    "khac": Relation.OTHER,
}
SEXES = {"nam": Sex.MALE, "nu": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_PHONE = re.compile(r"^0\d{9,10}$")
_PHONE_JUNK = re.compile(r"[\s.\-()]")


@dataclass(slots=True)
class ParsedRow:
    number: int
    household_code: str
    hamlet: str
    address_line: str
    latitude: float | None
    longitude: float | None
    full_name: str
    sex: str
    date_of_birth: date | None
    citizen_id: str | None
    phone: str
    relation: str
    ok: bool = True


@lru_cache(maxsize=20000)
def _fold_word(word: str) -> str:
    return fold(word)


def fold_name(text: str) -> str:
    """fold() one word at a time through a cache: names repeat the same few syllables, and
    unidecode is the slowest step of an import otherwise."""
    return " ".join(_fold_word(w) for w in text.split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    """dd/mm/yyyy text, ISO text or an Excel date cell. Raises ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    m = _DATE.match(text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    m = _ISO_DATE.match(text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def _parse_coordinate(value: Any, low: float, high: float) -> float:
    number = float(_text(value).replace(",", "."))
    if not low <= number <= high:
        raise ValueError(number)
    return number


class _HamletIndex:
    def __init__(self, commune) -> None:
        self.by_key: dict[str, int] = {}
        for pk, code, name in Hamlet.objects.filter(commune=commune).values_list(
                "id", "code", "name"):
            self.by_key[fold(code)] = pk
            folded = fold(name)
            self.by_key.setdefault(folded, pk)
            for prefix in ("xom ", "thon ", "ban ", "ap ", "to dan pho ", "to "):
                if folded.startswith(prefix):
                    self.by_key.setdefault(folded[len(prefix):], pk)

    def find(self, text: str) -> int | None:
        return self.by_key.get(fold_name(text))


def parse_row(number: int, raw: dict[str, Any], report: ImportReport,
              today: date) -> ParsedRow:
    def fail(column: str, reason: str) -> None:
        row.ok = False
        report.add_error(number, column, reason)

    row = ParsedRow(number, _text(raw.get("household_code")), _text(raw.get("hamlet")),
                    _text(raw.get("address_line"))[:200], None, None,
                    " ".join(_text(raw.get("full_name")).split()), "", None, None, "", "")
    if not row.household_code:
        fail("household_code", _("Thiếu mã hộ."))
    elif len(row.household_code) > 30:
        fail("household_code", _("Mã hộ dài quá 30 ký tự."))
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if _text(raw.get(key)):
            try:
                setattr(row, key, _parse_coordinate(raw.get(key), low, high))
            except ValueError:
                fail(key, _("Tọa độ không hợp lệ: %(value)s.") % {"value": _text(raw.get(key))})
    if not row.full_name:
        fail("full_name", _("Thiếu họ và tên."))
    elif len(row.full_name) > 120:
        fail("full_name", _("Họ và tên dài quá 120 ký tự."))
    sex_text = _text(raw.get("sex"))
    row.sex = SEXES.get(fold_name(sex_text), "")
    if not row.sex:
        fail("sex", _("Giới tính phải là Nam hoặc Nữ (đang ghi: “%(value)s”).")
             % {"value": sex_text})
    dob_raw = raw.get("date_of_birth")
    if not _text(dob_raw):
        fail("date_of_birth", _("Thiếu ngày sinh."))
    else:
        try:
            row.date_of_birth = parse_date(dob_raw)
        except ValueError:
            fail("date_of_birth", _("Ngày sinh không hợp lệ: “%(value)s” (ghi dd/mm/yyyy).")
                 % {"value": _text(dob_raw)})
        else:
            if row.date_of_birth > today:
                fail("date_of_birth", _("Ngày sinh ở tương lai."))
                row.date_of_birth = None
            elif row.date_of_birth.year < 1890:
                fail("date_of_birth", _("Năm sinh không hợp lệ."))
                row.date_of_birth = None
    cid = _text(raw.get("citizen_id")).replace(" ", "")
    if cid:
        if cid.isdigit() and len(cid) == 11:  # Excel dropped the leading zero of a number cell
            cid = "0" + cid
        try:
            validate_citizen_id(cid, sex=row.sex or None, date_of_birth=row.date_of_birth)
        except ValidationError as exc:
            fail("citizen_id", exc.messages[0])
        row.citizen_id = cid
    phone = _PHONE_JUNK.sub("", _text(raw.get("phone")))
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    elif phone.isdigit() and len(phone) == 9:  # leading zero lost in a number cell
        phone = "0" + phone
    if phone and not _PHONE.match(phone):
        fail("phone", _("Số điện thoại không hợp lệ: %(value)s.")
             % {"value": _text(raw.get("phone"))})
    row.phone = phone
    relation_text = _text(raw.get("relation_to_head"))
    relation = RELATIONS.get(fold_name(relation_text))
    if relation is None:
        fail("relation_to_head", _("Không nhận ra quan hệ với chủ hộ: “%(value)s”.")
             % {"value": relation_text})
    else:
        row.relation = relation
    return row


def check_rows(commune, rows: list[ParsedRow], report: ImportReport) -> dict[str, list]:
    """Checks across rows and against the database; returns the households to write
    (code -> rows), leaving out every household that has an error."""
    hamlets = _HamletIndex(commune)
    groups: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in rows:
        if row.household_code:
            groups[row.household_code].append(row)

    seen_ids: dict[str, int] = {}
    for row in rows:
        if row.citizen_id:
            first = seen_ids.setdefault(row.citizen_id, row.number)
            if first != row.number:
                row.ok = False
                report.add_error(row.number, "citizen_id",
                                 _("Số CCCD trùng với dòng %(row)s.") % {"row": first})
    taken = set()
    ids = list(seen_ids)
    for start in range(0, len(ids), 5000):
        taken.update(Resident.objects.filter(citizen_id__in=ids[start:start + 5000])
                     .values_list("citizen_id", flat=True))
    for row in rows:
        if row.citizen_id in taken:
            row.ok = False
            report.add_error(row.number, "citizen_id",
                             _("Số CCCD đã có trong cơ sở dữ liệu."))

    codes = list(groups)
    existing = set()
    for start in range(0, len(codes), 5000):
        existing.update(Household.objects.filter(commune=commune,
                                                 code__in=codes[start:start + 5000])
                        .values_list("code", flat=True))
    accepted: dict[str, list] = {}
    for code, members in groups.items():
        first = members[0]
        bad = False
        if code in existing:
            report.add_error(first.number, "household_code",
                             _("Mã hộ %(code)s đã có trong xã.") % {"code": code})
            bad = True
        heads = [r for r in members if r.relation == Relation.HEAD]
        if not heads:
            report.add_error(first.number, "relation_to_head",
                             _("Hộ %(code)s không có dòng nào là Chủ hộ.") % {"code": code})
            bad = True
        for extra in heads[1:]:
            report.add_error(extra.number, "relation_to_head",
                             _("Hộ %(code)s có hơn một Chủ hộ (chủ hộ đã ghi ở dòng %(row)s).")
                             % {"code": code, "row": heads[0].number})
            bad = True
        hamlet_ids = set()
        for r in members:
            if r.hamlet:
                found = hamlets.find(r.hamlet)
                if found is None:
                    report.add_error(r.number, "hamlet",
                                     _("Không có thôn/xóm “%(name)s” trong xã.")
                                     % {"name": r.hamlet})
                    bad = True
                hamlet_ids.add(found)
        hamlet_ids.discard(None)
        if len(hamlet_ids) > 1:
            report.add_error(first.number, "hamlet",
                             _("Các dòng của hộ %(code)s ghi khác thôn/xóm.") % {"code": code})
            bad = True
        hamlet_id = next(iter(hamlet_ids), None)
        if bad or not all(r.ok for r in members):
            report.skipped_rows += len(members)
            continue
        head = heads[0]
        address = next((r.address_line for r in members if r.address_line), "")
        lat = next((r.latitude for r in members if r.latitude is not None), None)
        lon = next((r.longitude for r in members if r.longitude is not None), None)
        accepted[code] = [hamlet_id, address, lat, lon, head, members]
    report.skipped_rows += sum(1 for r in rows if not r.household_code)
    return accepted


HOUSEHOLD_COLUMNS = ("created_at", "updated_at", "commune_id", "province_code", "hamlet_id",
                     "code", "address_line", "latitude", "longitude", "search_key")
RESIDENT_COLUMNS = ("created_at", "updated_at", "household_id", "commune_id", "province_code",
                    "full_name", "sex", "date_of_birth", "citizen_id", "phone",
                    "relation_to_head", "search_key")


def write_households(commune, accepted: dict[str, list], report: ImportReport) -> None:
    """Insert the accepted households and their residents, in batches. Model validation
    was done row by row above; the database constraints (unique codes and citizen IDs)
    still guard against a concurrent import."""
    write = _write_batch_postgres if connection.vendor == "postgresql" else _write_batch
    now = timezone.now()
    items = list(accepted.items())
    for start in range(0, len(items), BATCH_SIZE):
        chunk = items[start:start + BATCH_SIZE]
        report.residents += write(commune, chunk, now)
        report.households += len(chunk)


def _household_row(commune, now, code, item) -> tuple:
    hamlet_id, address, lat, lon, head, _members = item
    return (now, now, commune.pk, commune.province_code, hamlet_id, code, address, lat, lon,
            fold_name(f"{code} {address} {head.full_name}")[:300])


def _resident_row(commune, now, household_id, r) -> tuple:
    return (now, now, household_id, commune.pk, commune.province_code, r.full_name, r.sex,
            r.date_of_birth, r.citizen_id, r.phone, r.relation, fold_name(r.full_name)[:200])


def _write_batch(commune, chunk, now) -> int:
    """Portable path: bulk_create, read the ids back, one UPDATE sets every head."""
    Household.objects.bulk_create([
        Household(**dict(zip(HOUSEHOLD_COLUMNS, _household_row(commune, now, code, item),
                             strict=True))) for code, item in chunk])
    ids = dict(Household.objects.filter(commune=commune, code__in=[c for c, _i in chunk])
               .values_list("code", "id"))
    residents = [Resident(**dict(zip(RESIDENT_COLUMNS, _resident_row(commune, now, ids[code], r),
                                     strict=True)))
                 for code, item in chunk for r in item[5]]
    Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
    Household.objects.filter(pk__in=ids.values()).update(head=Subquery(
        Resident.objects.filter(household=OuterRef("pk"), relation_to_head=Relation.HEAD)
        .values("pk")[:1]))
    return len(residents)


def _reserve_ids(cursor, model, count: int) -> list[int]:
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                   "FROM generate_series(1, %s)", [model._meta.db_table, count])
    return [row[0] for row in cursor.fetchall()]


def _copy(cursor, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _write_batch_postgres(commune, chunk, now) -> int:
    """PostgreSQL path: ids are reserved from the sequences first, so households (with
    their head, a deferred foreign key) and residents go in with two COPYs and nothing
    has to be read back or updated."""
    with connection.cursor() as cursor:
        household_ids = _reserve_ids(cursor, Household, len(chunk))
        resident_ids = iter(_reserve_ids(cursor, Resident,
                                         sum(len(item[5]) for _c, item in chunk)))
        households, residents = [], []
        for (code, item), household_id in zip(chunk, household_ids, strict=True):
            head_id = None
            for r in item[5]:
                resident_id = next(resident_ids)
                if r is item[4]:
                    head_id = resident_id
                residents.append((resident_id, *_resident_row(commune, now, household_id, r)))
            households.append((household_id, head_id,
                               *_household_row(commune, now, code, item)))
        _copy(cursor, Household, ("id", "head_id", *HOUSEHOLD_COLUMNS), households)
        _copy(cursor, Resident, ("id", *RESIDENT_COLUMNS), residents)
    return len(residents)
