"""DHIS2 `dataValueSets` export and import.

Mapping: dataElement = indicator code (e.g. "NTM21.8.4"); for rates the raw numerator and
denominator travel too, as "<code>-NUM" and "<code>-DEN" (DHIS2 stores raw data elements
and computes indicators from them; so do we). period = the year ("2025"); orgUnit = the
unit's stable key ("2025:commune:05641"). Import validates every row first and writes
nothing if any row conflicts (all-or-nothing), answering with an importSummary shaped like
DHIS2's (status, importCount, conflicts).
"""

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.models import AuditAction
from langso.places.models import AdminUnit

from .evaluation import evaluate, figure_value, threshold_for
from .models import Indicator, IndicatorValue
from .permissions import can_import_values

NUM, DEN = "-NUM", "-DEN"


def export_data_value_set(values: QuerySet[IndicatorValue]) -> dict:
    out = []
    for v in values.select_related("unit", "indicator").order_by(
        "unit__code", "indicator__code", "year"
    ):
        base = {
            "period": str(v.year),
            "orgUnit": v.unit.key,
            "lastUpdated": v.computed_at.isoformat(),
        }
        if v.value is not None:
            out.append({"dataElement": v.indicator.code, "value": str(v.value), **base})
        if v.denominator is not None:
            out.append({"dataElement": v.indicator.code + NUM, "value": str(v.numerator), **base})
            out.append({"dataElement": v.indicator.code + DEN, "value": str(v.denominator), **base})
    return {"dataValues": out}


def _unit_by_key(key: str, cache: dict) -> AdminUnit | None:
    if key not in cache:
        parts = str(key).split(":")
        cache[key] = (
            AdminUnit.objects.filter(structure=parts[0], level=parts[1], code=parts[2]).first()
            if len(parts) == 3
            else None
        )
    return cache[key]


def import_data_value_set(*, actor, payload: dict) -> dict:
    """Validate then write every value; on any conflict write nothing."""
    rows = payload.get("dataValues") if isinstance(payload, dict) else None
    conflicts: list[dict] = []
    if not isinstance(rows, list):
        return _summary(
            0, 0, 0, [{"object": "dataValues", "value": _("Thiếu danh sách dataValues.")}]
        )
    indicators = {i.code: i for i in Indicator.objects.select_related("criterion__criteria_set")}
    units: dict = {}
    grouped: dict[tuple, dict] = defaultdict(dict)
    for n, row in enumerate(rows):
        element = str(row.get("dataElement", ""))
        code, part = element, "value"
        for suffix, name in ((NUM, "numerator"), (DEN, "denominator")):
            if element.endswith(suffix):
                code, part = element[: -len(suffix)], name
        ind = indicators.get(code)
        unit = _unit_by_key(row.get("orgUnit", ""), units)
        period = str(row.get("period", ""))
        problem = None
        if ind is None:
            problem = ("dataElement", element, _("Chỉ tiêu không tồn tại."))
        elif unit is None:
            problem = ("orgUnit", row.get("orgUnit"), _("Đơn vị không tồn tại."))
        elif not (period.isdigit() and len(period) == 4):
            problem = ("period", period, _("Kỳ phải là một năm, ví dụ 2025."))
        elif not can_import_values(actor, unit):
            problem = ("orgUnit", row.get("orgUnit"), _("Không có quyền nhập cho đơn vị này."))
        else:
            try:
                grouped[(unit.pk, code, int(period))][part] = Decimal(str(row.get("value")))
                grouped[(unit.pk, code, int(period))]["unit"] = unit
            except InvalidOperation:
                problem = ("value", row.get("value"), _("Giá trị không phải là số."))
        if problem:
            conflicts.append(
                {
                    "object": str(problem[1]),
                    "value": problem[2],
                    "errorCode": problem[0],
                    "indexes": [n],
                }
            )
    if conflicts:
        return _summary(0, 0, len(rows), conflicts)
    imported = updated = 0
    now = timezone.now()
    with transaction.atomic():
        for (_unit_id, code, year), parts in grouped.items():
            ind, unit = indicators[code], parts["unit"]
            num, den = parts.get("numerator"), parts.get("denominator")
            if num is None:
                num, den = parts.get("value"), None
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
                    "note": _("Nhập từ DHIS2 dataValueSets"),
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


def _summary(imported: int, updated: int, ignored: int, conflicts: list[dict]) -> dict:
    return {
        "responseType": "ImportSummary",
        "status": "ERROR" if conflicts else "SUCCESS",
        "importCount": {"imported": imported, "updated": updated, "ignored": ignored, "deleted": 0},
        "conflicts": conflicts,
    }
