"""DHIS2 metadata for our units and indicators, in the shape of DHIS2's `/api/metadata`
import: organisation unit levels, organisation units (code, hierarchy, opening and closing
dates), the default category model, data elements and one yearly data set per criteria set.

Mapping:
- organisation unit = an administrative unit; code = its stable key ("2025:commune:05641");
  levels follow the structure (2025: province 1, commune 2; legacy: province 1, district 2,
  commune 3). An export covers the requested unit, its ancestors (DHIS2 needs the parent
  of every unit it imports) and two levels below it.
- data element = an indicator's value (code = the indicator code), and for rates also its
  raw numerator and denominator ("<code>-NUM", "<code>-DEN", summed across units, so DHIS2
  can recompute the rate instead of averaging it). Value types: INTEGER_ZERO_OR_POSITIVE
  for counts that add up (houses, products: rollup rule "sum"), BOOLEAN for met / not
  met, NUMBER for the rest (rates, their parts, per-person averages such as income).
- data set = a criteria set (code = its code), period type Yearly.
"""

from datetime import date

from django.db.models import QuerySet

from langso.places.models import AdminUnit, Level, Structure

from ..models import CriteriaSet, Indicator, RollupRule, ValueKind
from . import identifiers as ids

DEN, NUM = "-DEN", "-NUM"
NAME_MAX, SHORT_NAME_MAX, CODE_MAX = 230, 50, 50
DEFAULT_OPENING_DATE = date(2000, 1, 1)  # for units loaded without a start date
LEVEL_NUMBERS: dict[str, dict[str, int]] = {
    Structure.Y2025: {Level.PROVINCE: 1, Level.COMMUNE: 2},
    Structure.LEGACY: {Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3},
}
PART_NAMES = {"": "", NUM: "tử số", DEN: "mẫu số"}


def parts(indicator: Indicator) -> list[str]:
    """The data elements of an indicator: its value, and for rates the numerator and
    denominator."""
    return ["", NUM, DEN] if indicator.value_kind == ValueKind.PERCENT else [""]


def is_whole_count(indicator: Indicator) -> bool:
    """Counts of things that add up across units (houses, models, products, communes).
    Other "count" indicators are per-person averages (income, m² of green space)."""
    return indicator.value_kind == ValueKind.COUNT and indicator.rollup_rule == RollupRule.SUM


def value_type(indicator: Indicator, part: str) -> str:
    if not part and indicator.value_kind == ValueKind.BOOLEAN:
        return "BOOLEAN"
    if not part and is_whole_count(indicator):
        return "INTEGER_ZERO_OR_POSITIVE"
    return "NUMBER"


def _aggregation(indicator: Indicator, part: str) -> str:
    if part or is_whole_count(indicator):
        return "SUM"
    return "NONE"  # rates are recomputed from their parts; averages and met/not met don't add


def scope_units(unit: AdminUnit) -> list[AdminUnit]:
    """The unit, its ancestors and the units two levels below it, parents first."""
    chain = []
    node: AdminUnit | None = unit
    while node is not None:
        chain.append(node)
        node = node.parent
    below = list(
        AdminUnit.objects.filter(parent=unit).order_by("code")
        | AdminUnit.objects.filter(parent__parent=unit).order_by("code")
    )
    below.sort(key=lambda u: (u.parent_id != unit.pk, u.code))
    return [*reversed(chain), *below]


def _ref(uid: str) -> dict:
    return {"id": uid}


def _default_category_model() -> dict:
    default = {"name": "default", "code": "default"}
    return {
        "categoryOptions": [{"id": ids.DEFAULT_CATEGORY_OPTION, **default, "shortName": "default"}],
        "categories": [
            {
                "id": ids.DEFAULT_CATEGORY,
                **default,
                "shortName": "default",
                "dataDimensionType": "DISAGGREGATION",
                "dataDimension": False,
                "categoryOptions": [_ref(ids.DEFAULT_CATEGORY_OPTION)],
            }
        ],
        "categoryCombos": [
            {
                "id": ids.DEFAULT_CATEGORY_COMBO,
                **default,
                "dataDimensionType": "DISAGGREGATION",
                "skipTotal": False,
                "categories": [_ref(ids.DEFAULT_CATEGORY)],
            }
        ],
        "categoryOptionCombos": [
            {
                "id": ids.DEFAULT_CATEGORY_OPTION_COMBO,
                **default,
                "categoryCombo": _ref(ids.DEFAULT_CATEGORY_COMBO),
                "categoryOptions": [_ref(ids.DEFAULT_CATEGORY_OPTION)],
            }
        ],
    }


def _org_units(units: list[AdminUnit]) -> tuple[list[dict], list[dict]]:
    structure = units[0].structure
    numbers = LEVEL_NUMBERS.get(structure, {})
    level_uids = ids.assign_uids(ids.ORG_UNIT_LEVEL, [f"{structure}:{lv}" for lv in numbers])
    levels = [
        {
            "id": level_uids[f"{structure}:{lv}"],
            "name": str(Level(lv).label),
            "level": n,
            "code": f"{structure}:{lv}",
        }
        for lv, n in numbers.items()
    ]
    uids = ids.assign_uids(ids.ORG_UNIT, [u.key for u in units])
    by_pk = {u.pk: u for u in units}
    out = []
    for u in units:
        row: dict[str, object] = {
            "id": uids[u.key],
            "code": u.key,
            "name": u.name[:NAME_MAX],
            "shortName": (u.short_name or u.name)[:SHORT_NAME_MAX],
            "openingDate": (u.valid_from or DEFAULT_OPENING_DATE).isoformat(),
        }
        if u.valid_to:
            row["closedDate"] = u.valid_to.isoformat()
        if u.parent_id in by_pk:
            row["parent"] = _ref(uids[by_pk[u.parent_id].key])
        if u.latitude is not None and u.longitude is not None:
            row["geometry"] = {"type": "Point", "coordinates": [u.longitude, u.latitude]}
        out.append(row)
    return levels, out


def data_element_uids(indicators: list[Indicator]) -> dict[str, str]:
    """UID of each data element, by key (indicator code + part)."""
    return ids.assign_uids(
        ids.DATA_ELEMENT, [ind.code + part for ind in indicators for part in parts(ind)]
    )


def data_element_rows(indicators: list[Indicator]) -> list[dict]:
    uids = data_element_uids(indicators)
    out = []
    for ind in indicators:
        for part in parts(ind):
            label = PART_NAMES[part]
            name = f"{ind.code} {ind.name}" if not part else f"{ind.code} ({label}) {ind.name}"
            out.append(
                {
                    "id": uids[ind.code + part],
                    "code": (ind.code + part)[:CODE_MAX],
                    "name": name[:NAME_MAX],
                    "shortName": f"{ind.code + part} {ind.number}"[:SHORT_NAME_MAX],
                    "formName": (f"{ind.name} ({label})" if part else ind.name)[:NAME_MAX],
                    "description": ind.description,
                    "domainType": "AGGREGATE",
                    "valueType": value_type(ind, part),
                    "aggregationType": _aggregation(ind, part),
                    "zeroIsSignificant": True,
                    "categoryCombo": _ref(ids.DEFAULT_CATEGORY_COMBO),
                }
            )
    return out


def metadata_package(*, unit: AdminUnit, criteria_sets: QuerySet[CriteriaSet]) -> dict:
    """The metadata a DHIS2 instance imports before the data values of `unit` and below."""
    units = scope_units(unit)
    levels, org_units = _org_units(units)
    ou_uid = {u.key: row["id"] for u, row in zip(units, org_units, strict=True)}
    sets = list(criteria_sets.order_by("code"))
    indicators = list(
        Indicator.objects.filter(criterion__criteria_set__in=sets).select_related(
            "criterion__criteria_set"
        )
    )
    elements = data_element_rows(indicators)
    element_uid = data_element_uids(indicators)
    set_uids = ids.assign_uids(ids.DATA_SET, [s.code for s in sets])
    data_sets = []
    for s in sets:
        members = [
            element_uid[ind.code + part]
            for ind in indicators
            if ind.criterion.criteria_set_id == s.pk
            for part in parts(ind)
        ]
        data_sets.append(
            {
                "id": set_uids[s.code],
                "code": s.code[:CODE_MAX],
                "name": s.name[:NAME_MAX],
                "shortName": s.code[:SHORT_NAME_MAX],
                "description": s.decision,
                "periodType": "Yearly",
                "categoryCombo": _ref(ids.DEFAULT_CATEGORY_COMBO),
                "dataSetElements": [
                    {"dataSet": _ref(set_uids[s.code]), "dataElement": _ref(uid)} for uid in members
                ],
                "organisationUnits": [_ref(ou_uid[u.key]) for u in units if u.level == s.level],
            }
        )
    return {
        "organisationUnitLevels": levels,
        "organisationUnits": org_units,
        **_default_category_model(),
        "dataElements": elements,
        "dataSets": data_sets,
    }
