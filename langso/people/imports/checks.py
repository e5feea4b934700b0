"""Parsing the rows of a population sheet and checking the households as wholes."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from langso.core.text import fold
from langso.places.models import Hamlet

from ..citizen_id import validate_citizen_id
from ..models import Household, Relation, Resident, Sex
from ..search_keys import fold_name
from ..sheets import COLUMN_BY_KEY

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
        return {
            "rows": self.rows,
            "households": self.households,
            "residents": self.residents,
            "skipped_rows": self.skipped_rows,
            "error_count": self.error_count,
            "written": self.written,
            "errors": [e.as_dict() for e in self.errors],
        }


RELATIONS = {
    "chu ho": Relation.HEAD,
    "chu": Relation.HEAD,
    "vo": Relation.SPOUSE,
    "chong": Relation.SPOUSE,
    "vo/chong": Relation.SPOUSE,
    "vo chong": Relation.SPOUSE,
    "con": Relation.CHILD,
    "con trai": Relation.CHILD,
    "con gai": Relation.CHILD,
    "con de": Relation.CHILD,
    "con nuoi": Relation.CHILD,
    "con dau": Relation.OTHER,
    "con re": Relation.OTHER,
    "bo": Relation.PARENT,
    "me": Relation.PARENT,
    "cha": Relation.PARENT,
    "bo/me": Relation.PARENT,
    "bo me": Relation.PARENT,
    "cha/me": Relation.PARENT,
    "bo de": Relation.PARENT,
    "me de": Relation.PARENT,
    "ong": Relation.OTHER,
    "ba": Relation.OTHER,
    "chau": Relation.GRANDCHILD,
    "chau noi": Relation.GRANDCHILD,
    "chau ngoai": Relation.GRANDCHILD,
    "anh": Relation.SIBLING,
    "chi": Relation.SIBLING,
    "em": Relation.SIBLING,
    "anh/chi/em": Relation.SIBLING,
    "anh chi em": Relation.SIBLING,
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


def _text(value: Any) -> str:
    if value.__class__ is str:
        return value.strip()
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
    return _date_of_text(_text(value))


def _date_of_text(text: str) -> date:
    if (  # the common dd/mm/yyyy without the regex
        len(text) == 10
        and text[2] == text[5]
        and text[2] in "/.-"
        and text[:2].isdecimal()
        and text[3:5].isdecimal()
        and text[6:].isdecimal()
    ):
        return date(int(text[6:]), int(text[3:5]), int(text[:2]))
    m = _DATE.match(text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    m = _ISO_DATE.match(text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def _parse_coordinate(text: str, low: float, high: float) -> float:
    number = float(text.replace(",", "."))
    if not low <= number <= high:
        raise ValueError(number)
    return number


# A sheet writes the sex and the relation with a handful of spellings: fold each once.
@lru_cache(maxsize=256)
def _sex_of(text: str) -> str:
    return SEXES.get(fold_name(text), "")


@lru_cache(maxsize=256)
def _relation_of(text: str) -> str | None:
    return RELATIONS.get(fold_name(text))


class _HamletIndex:
    def __init__(self, commune) -> None:
        self.by_key: dict[str, int] = {}
        for pk, code, name in Hamlet.objects.filter(commune=commune).values_list(
            "id", "code", "name"
        ):
            self.by_key[fold(code)] = pk
            folded = fold(name)
            self.by_key.setdefault(folded, pk)
            for prefix in ("xom ", "thon ", "ban ", "ap ", "to dan pho ", "to "):
                if folded.startswith(prefix):
                    self.by_key.setdefault(folded[len(prefix) :], pk)
        self.found: dict[str, int | None] = {}  # every row of a hamlet writes it alike

    def find(self, text: str) -> int | None:
        try:
            return self.found[text]
        except KeyError:
            pk = self.found[text] = self.by_key.get(fold_name(text))
            return pk


# The columns in the order parse_row() unpacks them.
_ROW_KEYS = (
    "household_code",
    "hamlet",
    "address_line",
    "latitude",
    "longitude",
    "full_name",
    "sex",
    "date_of_birth",
    "citizen_id",
    "phone",
    "relation_to_head",
)


def parse_row(number: int, raw: dict[str, Any], report: ImportReport, today: date) -> ParsedRow:
    """One row's types and formats; each problem goes to the report with its column.

    Run once per row of a file, so written for the common case: every cell is read and
    stripped in one pass (text cells without a call each), a valid row makes no error list
    and its ParsedRow is built once, complete."""
    (
        code,
        hamlet,
        address,
        lat_text,
        lon_text,
        full_name,
        sex_text,
        dob_text,
        cid,
        phone_text,
        relation_text,
    ) = [v.strip() if v.__class__ is str else _text(v) for v in map(raw.get, _ROW_KEYS)]
    errors: list[tuple[str, str]] = []
    if not code:
        errors.append(("household_code", _("Thiếu mã hộ.")))
    elif len(code) > 30:
        errors.append(("household_code", _("Mã hộ dài quá 30 ký tự.")))
    latitude = longitude = None
    if lat_text:
        try:
            latitude = _parse_coordinate(lat_text, -90, 90)
        except ValueError:
            errors.append(("latitude", _("Tọa độ không hợp lệ: %(value)s.") % {"value": lat_text}))
    if lon_text:
        try:
            longitude = _parse_coordinate(lon_text, -180, 180)
        except ValueError:
            errors.append(("longitude", _("Tọa độ không hợp lệ: %(value)s.") % {"value": lon_text}))
    full_name = " ".join(full_name.split())
    if not full_name:
        errors.append(("full_name", _("Thiếu họ và tên.")))
    elif len(full_name) > 120:
        errors.append(("full_name", _("Họ và tên dài quá 120 ký tự.")))
    sex = _sex_of(sex_text)
    if not sex:
        errors.append(
            (
                "sex",
                _("Giới tính phải là Nam hoặc Nữ (đang ghi: “%(value)s”).") % {"value": sex_text},
            )
        )
    born = None
    if not dob_text:
        errors.append(("date_of_birth", _("Thiếu ngày sinh.")))
    else:
        dob_raw = raw.get("date_of_birth")
        try:  # a text cell is already stripped; parse_date() takes the Excel date cells
            born = _date_of_text(dob_text) if dob_raw.__class__ is str else parse_date(dob_raw)
        except ValueError:
            errors.append(
                (
                    "date_of_birth",
                    _("Ngày sinh không hợp lệ: “%(value)s” (ghi dd/mm/yyyy).")
                    % {"value": dob_text},
                )
            )
        else:
            if born is not None and born > today:
                errors.append(("date_of_birth", _("Ngày sinh ở tương lai.")))
                born = None
            elif born is not None and born.year < 1890:
                errors.append(("date_of_birth", _("Năm sinh không hợp lệ.")))
                born = None
    cid = cid.replace(" ", "")
    if cid:
        if len(cid) == 11 and cid.isdigit():  # Excel dropped the leading zero of a number cell
            cid = "0" + cid
        try:
            validate_citizen_id(cid, sex=sex or None, date_of_birth=born)
        except ValidationError as exc:
            errors.append(("citizen_id", exc.messages[0]))
    phone = phone_text if phone_text.isdigit() else _PHONE_JUNK.sub("", phone_text)
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    elif len(phone) == 9 and phone.isdigit():  # leading zero lost in a number cell
        phone = "0" + phone
    if phone and not _PHONE.match(phone):
        errors.append(
            ("phone", _("Số điện thoại không hợp lệ: %(value)s.") % {"value": phone_text})
        )
    relation = _relation_of(relation_text)
    if relation is None:
        errors.append(
            (
                "relation_to_head",
                _("Không nhận ra quan hệ với chủ hộ: “%(value)s”.") % {"value": relation_text},
            )
        )
        relation = ""
    if errors:
        for column, reason in errors:
            report.add_error(number, column, reason)
    return ParsedRow(
        number,
        code,
        hamlet,
        address[:200],
        latitude,
        longitude,
        full_name,
        sex,
        born,
        cid or None,
        phone,
        relation,
        not errors,
    )


def _existing_values(qs, column: str, values: list[str]) -> set[str]:
    """Which of `values` are already in `column` of `qs`. On PostgreSQL one text parameter
    split by the server, instead of thousands of IN placeholders or an array that psycopg
    would escape element by element in Python. A value that holds the separator is split
    into pieces that match no value of the file, so it is never reported by mistake."""
    if connection.vendor != "postgresql":
        found: set[str] = set()
        for start in range(0, len(values), 900):
            chunk = values[start : start + 900]
            found.update(qs.filter(**{f"{column}__in": chunk}).values_list(column, flat=True))
        return found
    if not values:
        return set()
    wanted = RawSQL("SELECT unnest(string_to_array(%s, ','))", [",".join(values)])
    return set(qs.filter(**{f"{column}__in": wanted}).values_list(column, flat=True))


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
                report.add_error(
                    row.number, "citizen_id", _("Số CCCD trùng với dòng %(row)s.") % {"row": first}
                )
    taken = _existing_values(Resident.objects.all(), "citizen_id", list(seen_ids))
    for row in rows if taken else ():
        if row.citizen_id in taken:
            row.ok = False
            report.add_error(row.number, "citizen_id", _("Số CCCD đã có trong cơ sở dữ liệu."))

    codes = list(groups)
    existing = _existing_values(Household.objects.filter(commune=commune), "code", codes)
    accepted: dict[str, list] = {}
    for code, members in groups.items():
        first_row = members[0]
        bad = False
        if code in existing:
            report.add_error(
                first_row.number,
                "household_code",
                _("Mã hộ %(code)s đã có trong xã.") % {"code": code},
            )
            bad = True
        heads = [r for r in members if r.relation == Relation.HEAD]
        if not heads:
            report.add_error(
                first_row.number,
                "relation_to_head",
                _("Hộ %(code)s không có dòng nào là Chủ hộ.") % {"code": code},
            )
            bad = True
        for extra in heads[1:]:
            report.add_error(
                extra.number,
                "relation_to_head",
                _("Hộ %(code)s có hơn một Chủ hộ (chủ hộ đã ghi ở dòng %(row)s).")
                % {"code": code, "row": heads[0].number},
            )
            bad = True
        hamlet_ids = set()
        for r in members:
            if r.hamlet:
                found = hamlets.find(r.hamlet)
                if found is None:
                    report.add_error(
                        r.number,
                        "hamlet",
                        _("Không có thôn/xóm “%(name)s” trong xã.") % {"name": r.hamlet},
                    )
                    bad = True
                hamlet_ids.add(found)
        hamlet_ids.discard(None)
        if len(hamlet_ids) > 1:
            report.add_error(
                first_row.number,
                "hamlet",
                _("Các dòng của hộ %(code)s ghi khác thôn/xóm.") % {"code": code},
            )
            bad = True
        hamlet_id = next(iter(hamlet_ids), None)
        if bad or not all(r.ok for r in members):
            report.skipped_rows += len(members)
            continue
        address, lat, lon = "", None, None
        for r in members:  # the first row that gives each
            address = address or r.address_line
            lat = r.latitude if lat is None else lat
            lon = r.longitude if lon is None else lon
        accepted[code] = [hamlet_id, address, lat, lon, heads[0], members]
    report.skipped_rows += sum(1 for r in rows if not r.household_code)
    return accepted
