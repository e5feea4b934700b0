"""DHIS2 `dataValueSets` export and import.

Values refer to the metadata of `metadata.py` by DHIS2 UIDs (`idScheme=CODE` on export
gives our codes instead: unit keys such as "2025:commune:05641", indicator codes with
"-NUM"/"-DEN" for the parts of a rate). period = the year ("2025", DHIS2's Yearly period);
category and attribute option combinations are DHIS2's default. Figures go out as DHIS2
writes them: counts as integers ("598"), other numbers without trailing zeros ("95.5"),
met / not met as "true" / "false".

Import takes both DHIS2 forms: one value per row with its own orgUnit and period, or the
set-level form with `dataSet`, `period`, `orgUnit`, `completeDate` and
`attributeOptionCombo` at the top and `dataValues` without them (a row's own field wins).
Identifiers may be our UIDs or our codes. Every row is checked first and nothing is written
if any row has a problem (all-or-nothing); each problem is a conflict naming the row
(`indexes`), the field (`property`, and `errorCode` for older clients), the value read
(`object`) and what is wrong (`value`), in an importSummary shaped like DHIS2's.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.models import AuditAction
from langso.places.models import AdminUnit

from ..evaluation import evaluate, figure_value, threshold_for
from ..models import CriteriaSet, Indicator, IndicatorValue
from ..permissions import can_import_values
from . import identifiers as ids
from .metadata import DEN, NUM, parts, value_type

UID, CODE = "UID", "CODE"
MAX_ABS = Decimal(10) ** 14  # the value columns hold 16 digits, 2 after the point
DEFAULT_COMBOS = {ids.DEFAULT_CATEGORY_OPTION_COMBO, "default"}


def format_number(number: Decimal) -> str:
    """598.00 -> "598", 95.50 -> "95.5" (never an exponent)."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _format(indicator: Indicator, part: str, number: Decimal) -> str:
    if value_type(indicator, part) == "BOOLEAN":
        return "true" if number else "false"
    return format_number(number)


def export_data_value_set(values: QuerySet[IndicatorValue], *, id_scheme: str = UID) -> dict:
    rows = list(
        values.select_related("unit", "indicator").order_by(
            "unit__structure", "unit__code", "indicator__code", "year"
        )
    )
    unit_ids = element_ids = None
    if id_scheme != CODE:
        unit_ids = ids.assign_uids(ids.ORG_UNIT, [v.unit.key for v in rows])
        element_ids = ids.assign_uids(
            ids.DATA_ELEMENT,
            [v.indicator.code + part for v in rows for part in parts(v.indicator)],
        )
    out = []
    for v in rows:
        base = {
            "period": str(v.year),
            "orgUnit": unit_ids[v.unit.key] if unit_ids else v.unit.key,
            "categoryOptionCombo": ids.DEFAULT_CATEGORY_OPTION_COMBO,
            "attributeOptionCombo": ids.DEFAULT_CATEGORY_OPTION_COMBO,
            "lastUpdated": v.computed_at.isoformat(),
        }
        figures = [("", v.value)]
        if v.denominator is not None and NUM in parts(v.indicator):
            figures += [(NUM, v.numerator), (DEN, v.denominator)]
        for part, number in figures:
            if number is None:
                continue
            key = v.indicator.code + part
            out.append(
                {
                    "dataElement": element_ids[key] if element_ids else key,
                    "value": _format(v.indicator, part, number),
                    **base,
                }
            )
    return {"dataValues": out}


class _Resolver:
    """Looks identifiers up once per import: our UIDs first, then our codes."""

    def __init__(self, rows: list, top: dict) -> None:
        fields = ("dataElement", "orgUnit")
        texts = {str(r.get(f)) for r in rows if isinstance(r, dict) for f in fields}
        texts |= {str(top.get("orgUnit"))}
        self.unit_keys = ids.keys_for_uids(ids.ORG_UNIT, filter(ids.is_uid, texts))
        self.element_keys = ids.keys_for_uids(ids.DATA_ELEMENT, filter(ids.is_uid, texts))
        self.indicators = {
            i.code: i for i in Indicator.objects.select_related("criterion__criteria_set")
        }
        self.units: dict[str, AdminUnit | None] = {}

    def element(self, text: str) -> tuple[Indicator, str] | None:
        key = self.element_keys.get(text, text)
        for part in (NUM, DEN):
            if key.endswith(part) and key[: -len(part)] in self.indicators:
                return self.indicators[key[: -len(part)]], part
        return (self.indicators[key], "") if key in self.indicators else None

    def unit(self, text: str) -> AdminUnit | None:
        key = self.unit_keys.get(text, text)
        if key not in self.units:
            bits = key.split(":")
            self.units[key] = (
                AdminUnit.objects.filter(structure=bits[0], level=bits[1], code=bits[2]).first()
                if len(bits) == 3
                else None
            )
        return self.units[key]


def _data_set(text: str) -> CriteriaSet | None:
    keys = ids.keys_for_uids(ids.DATA_SET, [text]) if ids.is_uid(text) else {}
    return CriteriaSet.objects.filter(code=keys.get(text, text)).first()


def _number(indicator: Indicator, part: str, raw) -> tuple[Decimal | None, str]:
    """The value as a Decimal, or None and what is wrong with it."""
    kind = value_type(indicator, part)
    text = str(raw).strip().lower() if not isinstance(raw, bool) else str(raw).lower()
    if kind == "BOOLEAN":
        if text in ("true", "1"):
            return Decimal(1), ""
        if text in ("false", "0"):
            return Decimal(0), ""
        return None, _("chỉ tiêu đạt / không đạt: giá trị phải là true hoặc false")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        return None, _("giá trị phải là một số")
    if kind == "INTEGER_ZERO_OR_POSITIVE" and (number < 0 or number != number.to_integral()):
        return None, _("chỉ tiêu đếm số lượng: giá trị phải là số nguyên không âm")
    if abs(number) >= MAX_ABS or number != number.quantize(Decimal("0.01")):
        return None, _("quá nhiều chữ số (tối đa 14 chữ số trước và 2 sau dấu thập phân)")
    return number, ""


def _check_row(n: int, row, top: dict, resolver: _Resolver, actor, data_set) -> tuple:
    """(problems, parsed) for one data value; problems are (field, value read, message)."""
    if not isinstance(row, dict):
        return [("dataValue", row, _("mỗi giá trị phải là một đối tượng JSON"))], None
    problems = []

    def field(name: str):
        value = row.get(name)
        return top.get(name) if value in (None, "") else value

    element, unit, period, number = row.get("dataElement"), field("orgUnit"), field("period"), None
    found = None
    if element in (None, ""):
        problems.append(("dataElement", "", _("thiếu dataElement (mã chỉ tiêu)")))
    else:
        found = resolver.element(str(element))
        if found is None:
            problems.append(
                ("dataElement", element, _("không có chỉ tiêu (data element) nào mang mã này"))
            )
        elif data_set is not None and found[0].criterion.criteria_set_id != data_set.pk:
            problems.append(
                (
                    "dataElement",
                    element,
                    _("chỉ tiêu %(code)s không thuộc tập dữ liệu %(set)s")
                    % {"code": found[0].code, "set": data_set.code},
                )
            )
    place = None
    if unit in (None, ""):
        problems.append(
            ("orgUnit", "", _("thiếu orgUnit: ghi ở từng giá trị hoặc một lần ở đầu tập dữ liệu"))
        )
    else:
        place = resolver.unit(str(unit))
        if place is None:
            problems.append(
                (
                    "orgUnit",
                    unit,
                    _(
                        "không có đơn vị nào mang mã này (UID DHIS2 do Làng Số cấp, hoặc mã "
                        "dạng 2025:commune:05641)"
                    ),
                )
            )
        elif not can_import_values(actor, place):
            problems.append(
                (
                    "orgUnit",
                    unit,
                    _("bạn không có quyền nhập số liệu cho %(unit)s") % {"unit": place.name},
                )
            )
    period_text = "" if period is None else str(period)
    if not period_text:
        problems.append(
            ("period", "", _("thiếu period: ghi ở từng giá trị hoặc một lần ở đầu tập dữ liệu"))
        )
    elif not (period_text.isascii() and period_text.isdigit() and len(period_text) == 4):
        problems.append(
            ("period", period, _("kỳ phải là một năm (kỳ Yearly của DHIS2, ví dụ 2025)"))
        )
    for combo in ("categoryOptionCombo", "attributeOptionCombo"):
        value = field(combo)
        if value not in (None, "") and str(value) not in DEFAULT_COMBOS:
            problems.append(
                (
                    combo,
                    value,
                    _("chỉ dùng tổ hợp mặc định (default, %(uid)s)")
                    % {"uid": ids.DEFAULT_CATEGORY_OPTION_COMBO},
                )
            )
    raw = row.get("value")
    if raw is None or raw == "":
        problems.append(("value", "", _("thiếu value (giá trị)")))
    elif found is not None:
        number, problem = _number(found[0], found[1], raw)
        if problem:
            problems.append(("value", raw, problem))
    if problems:
        return problems, None
    assert found is not None  # a missing or unknown data element is a problem
    indicator, part = found
    return [], (place, indicator, part, int(period_text), number)


def import_data_value_set(*, actor, payload) -> dict:
    """Validate then write every value; on any problem write nothing."""
    if not isinstance(payload, dict):
        problem = _("nội dung phải là một đối tượng JSON")
        return _summary(0, 0, 0, [_conflict(None, "dataValueSet", "", problem)])
    rows = payload.get("dataValues")
    if not isinstance(rows, list):
        problem = _("thiếu danh sách dataValues")
        return _summary(0, 0, 0, [_conflict(None, "dataValues", "", problem)])
    top = {
        k: payload.get(k)
        for k in ("dataSet", "period", "orgUnit", "completeDate", "attributeOptionCombo")
    }
    conflicts = []
    data_set = None
    if top["dataSet"] not in (None, ""):
        data_set = _data_set(str(top["dataSet"]))
        if data_set is None:
            problem = _("không có tập dữ liệu nào mang mã này")
            conflicts.append(_conflict(None, "dataSet", top["dataSet"], problem))
    complete = top["completeDate"]
    if complete not in (None, ""):
        try:
            dt.date.fromisoformat(str(complete)[:10])
        except ValueError:
            conflicts.append(
                _conflict(None, "completeDate", complete, _("phải là một ngày dạng YYYY-MM-DD"))
            )
    resolver = _Resolver(rows, top)
    parsed: dict[tuple, dict] = defaultdict(dict)
    first_index: dict[tuple, int] = {}
    for n, row in enumerate(rows):
        problems, found = _check_row(n, row, top, resolver, actor, data_set)
        if found is not None:
            unit, indicator, part, year, number = found
            slot = (unit.pk, indicator.code, year, part)
            if slot in first_index:
                problems = [
                    (
                        "dataElement",
                        row.get("dataElement"),
                        _("trùng với dataValues[%(first)s] (cùng đơn vị, chỉ tiêu, kỳ)")
                        % {"first": first_index[slot]},
                    )
                ]
            else:
                first_index[slot] = n
                parsed[(unit.pk, indicator.code, year)] |= {
                    part or "value": number,
                    "unit": unit,
                    "indicator": indicator,
                }
        conflicts += [_conflict(n, f, v, m) for f, v, m in problems]
    if conflicts:
        return _summary(0, 0, len(rows), conflicts)
    return _write(actor, parsed, complete)


def _write(actor, parsed: dict, complete) -> dict:
    imported = updated = 0
    now = timezone.now()
    note = _("Nhập từ DHIS2 dataValueSets")
    if complete:
        note += " " + _("(hoàn thành ngày %(date)s)") % {"date": str(complete)[:10]}
    with transaction.atomic():
        for (_unit_id, _code, year), got in parsed.items():
            ind, unit = got["indicator"], got["unit"]
            num, den = got.get(NUM), got.get(DEN)
            if num is None:
                num, den = got.get("value"), None
            value = figure_value(ind, num, den)
            threshold = threshold_for(ind, unit, year)
            _obj, created = IndicatorValue.objects.update_or_create(
                unit=unit,
                indicator=ind,
                year=year,
                defaults={
                    "numerator": num,
                    "denominator": den,
                    "value": value,
                    "status": evaluate(ind, value, threshold),
                    "threshold": threshold.value if threshold else None,
                    "source": ind.source,
                    "entered_by": actor,
                    "computed_at": now,
                    "note": note,
                },
            )
            imported, updated = imported + created, updated + (not created)
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="monitor.IndicatorValue",
            fields={"imported": imported, "updated": updated},
            purpose="DHIS2 dataValueSets import",
        )
    return _summary(imported, updated, 0, [])


def _conflict(index: int | None, field: str, value, message: str) -> dict:
    where = f"dataValues[{index}].{field}" if index is not None else field
    shown = "" if value is None else str(value)[:100]
    return {
        "object": shown,
        "property": field,
        "errorCode": field,
        "value": f"{where} = {shown!r}: {message}" if shown else f"{where}: {message}",
        "indexes": [index] if index is not None else [],
    }


def _summary(imported: int, updated: int, ignored: int, conflicts: list[dict]) -> dict:
    return {
        "responseType": "ImportSummary",
        "status": "ERROR" if conflicts else "SUCCESS",
        "description": (
            _("Không nhập giá trị nào: %(count)s lỗi.") % {"count": len(conflicts)}
            if conflicts
            else _("Đã nhập %(imported)s, cập nhật %(updated)s giá trị.")
            % {"imported": imported, "updated": updated}
        ),
        "importCount": {"imported": imported, "updated": updated, "ignored": ignored, "deleted": 0},
        "conflicts": conflicts,
    }
