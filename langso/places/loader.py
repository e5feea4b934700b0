"""Loading the national administrative units from the `vietnamadminunits` package.

The package ships a SQLite database (legacy 63 provinces and the 2025 structure) and a JSON
file mapping legacy communes to 2025 communes. Loading is idempotent: existing rows are
matched on (structure, level, code) and updated in place.
"""

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import vietnamadminunits
from django.db import transaction

from langso.core.text import fold

from .models import LEGACY_VALID_TO, REFORM_DATE, AdminUnit, Level, Structure, UnitSuccession

PACKAGE_DATA = Path(vietnamadminunits.__file__).parent / "data"


@dataclass
class LoadReport:
    provinces_2025: int = 0
    communes_2025: int = 0
    provinces_legacy: int = 0
    districts_legacy: int = 0
    communes_legacy: int = 0
    successions: int = 0
    created: int = 0
    updated: int = 0


def _rows(table: str) -> list[dict]:
    with sqlite3.connect(PACKAGE_DATA / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM [{table}]")]  # noqa: S608


def _spec(
    structure,
    level,
    code,
    name,
    short,
    unit_type,
    province_code,
    lat,
    lon,
    area=None,
    parent_key=None,
) -> dict:
    valid_from, valid_to = (
        (REFORM_DATE, None) if structure == Structure.Y2025 else (None, LEGACY_VALID_TO)
    )
    return {
        "structure": structure,
        "level": level,
        "code": code,
        "name": name,
        "short_name": short,
        "unit_type": unit_type,
        "province_code": province_code,
        "latitude": lat,
        "longitude": lon,
        "area_km2": area,
        "search_key": fold(name),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "parent_key": parent_key,
    }


def _unit_type(full_name: str, short: str) -> str:
    return full_name[: len(full_name) - len(short)].strip() if full_name.endswith(short) else ""


def collect_specs() -> tuple[list[dict], list[tuple[str, str, bool]]]:
    """Everything to load, as plain dicts, plus successions as (legacy key, new key)."""
    specs: dict[tuple, dict] = {}

    def add(spec: dict) -> None:
        specs.setdefault((spec["structure"], spec["level"], spec["code"]), spec)

    new_by_pkey: dict[tuple[str, str], str] = {}  # (provinceKey, wardKey) -> wardCode
    for r in _rows("admin_units"):
        add(
            _spec(
                Structure.Y2025,
                Level.PROVINCE,
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                _unit_type(r["province"], r["provinceShort"]),
                r["provinceCode"],
                r["provinceLat"],
                r["provinceLon"],
            )
        )
        add(
            _spec(
                Structure.Y2025,
                Level.COMMUNE,
                r["wardCode"],
                r["ward"],
                r["wardShort"],
                r["wardType"],
                r["provinceCode"],
                r["wardLat"],
                r["wardLon"],
                r["wardAreaKm2"],
                (Structure.Y2025, Level.PROVINCE, r["provinceCode"]),
            )
        )
        new_by_pkey[(r["provinceKey"], r["wardKey"])] = r["wardCode"]

    legacy_by_key: dict[str, str] = {}  # "prov_dist_ward" -> wardCode
    for r in _rows("admin_units_legacy"):
        add(
            _spec(
                Structure.LEGACY,
                Level.PROVINCE,
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                _unit_type(r["province"], r["provinceShort"]),
                r["provinceCode"],
                r["provinceLat"],
                r["provinceLon"],
            )
        )
        add(
            _spec(
                Structure.LEGACY,
                Level.DISTRICT,
                r["districtCode"],
                r["district"],
                r["districtShort"],
                r["districtType"],
                r["provinceCode"],
                r["districtLat"],
                r["districtLon"],
                None,
                (Structure.LEGACY, Level.PROVINCE, r["provinceCode"]),
            )
        )
        if r["wardCode"]:
            add(
                _spec(
                    Structure.LEGACY,
                    Level.COMMUNE,
                    r["wardCode"],
                    r["ward"],
                    r["wardShort"],
                    r["wardType"],
                    r["provinceCode"],
                    r["wardLat"],
                    r["wardLon"],
                    None,
                    (Structure.LEGACY, Level.DISTRICT, r["districtCode"]),
                )
            )
            legacy_by_key[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = r["wardCode"]

    conversion = json.loads((PACKAGE_DATA / "converter_2025.json").read_text("utf-8"))
    pairs: dict[tuple[str, str], bool] = {}
    for new_pkey, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, legacy_keys in wards.items():
            new_code = new_by_pkey.get((new_pkey, new_wkey))
            for lkey in legacy_keys:
                old_code = legacy_by_key.get(lkey)
                if new_code and old_code:
                    pairs[(old_code, new_code)] = True
    for new_pkey, divided in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for lkey, targets in divided.items():
            old_code = legacy_by_key.get(lkey)
            for target in targets:
                new_code = new_by_pkey.get((new_pkey, target["newWardKey"]))
                if old_code and new_code:
                    pairs[(old_code, new_code)] = bool(target["isDefaultNewWard"])
    successions = [(old, new, primary) for (old, new), primary in pairs.items()]
    return list(specs.values()), successions


FIELDS = [
    "name",
    "short_name",
    "unit_type",
    "province_code",
    "latitude",
    "longitude",
    "area_km2",
    "search_key",
    "valid_from",
    "valid_to",
    "parent",
]


def _differs(unit: AdminUnit, spec: dict) -> bool:
    """Whether a stored unit differs from its spec, comparing the parent by key: reading
    `unit.parent` would cost a query per unit (14,000 on a second load)."""
    parent = spec["parent"]
    if unit.parent_id != (parent.pk if parent is not None else None):
        return True
    return any(getattr(unit, f) != spec[f] for f in FIELDS if f != "parent")


@transaction.atomic
def load_admin_units(progress: Callable[[str], None] = lambda _m: None) -> LoadReport:
    specs, successions = collect_specs()
    report = LoadReport()
    existing = {(u.structure, u.level, u.code): u for u in AdminUnit.objects.all()}
    # Parents first: provinces, then districts, then communes.
    order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    specs.sort(key=lambda s: order[s["level"]])
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        to_create, to_update = [], []
        for spec in (s for s in specs if s["level"] == level):
            spec = dict(spec)
            parent_key = spec.pop("parent_key")
            spec["parent"] = existing[parent_key] if parent_key else None
            key = (spec["structure"], spec["level"], spec["code"])
            unit = existing.get(key)
            if unit is None:
                unit = AdminUnit(**spec)
                to_create.append(unit)
                existing[key] = unit
            elif _differs(unit, spec):
                for f in FIELDS:
                    setattr(unit, f, spec[f])
                to_update.append(unit)
        AdminUnit.objects.bulk_create(to_create, batch_size=1000)
        if to_update:
            AdminUnit.objects.bulk_update(to_update, FIELDS, batch_size=1000)
        report.created += len(to_create)
        report.updated += len(to_update)
        progress(f"{level}: +{len(to_create)} ~{len(to_update)}")
    legacy_ids = dict(
        AdminUnit.objects.filter(structure=Structure.LEGACY, level=Level.COMMUNE).values_list(
            "code", "id"
        )
    )
    new_ids = dict(
        AdminUnit.objects.filter(structure=Structure.Y2025, level=Level.COMMUNE).values_list(
            "code", "id"
        )
    )
    known = set(UnitSuccession.objects.values_list("legacy_id", "successor_id"))
    rows = [
        UnitSuccession(legacy_id=legacy_ids[o], successor_id=new_ids[n], is_primary=p)
        for o, n, p in successions
        if (legacy_ids[o], new_ids[n]) not in known
    ]
    UnitSuccession.objects.bulk_create(rows, batch_size=2000)
    tally: dict[tuple[str, str], int] = {}
    for s_key, l_key in AdminUnit.objects.values_list("structure", "level").order_by():
        tally[(s_key, l_key)] = tally.get((s_key, l_key), 0) + 1
    report.provinces_2025 = tally.get((Structure.Y2025, Level.PROVINCE), 0)
    report.communes_2025 = tally.get((Structure.Y2025, Level.COMMUNE), 0)
    report.provinces_legacy = tally.get((Structure.LEGACY, Level.PROVINCE), 0)
    report.districts_legacy = tally.get((Structure.LEGACY, Level.DISTRICT), 0)
    report.communes_legacy = tally.get((Structure.LEGACY, Level.COMMUNE), 0)
    report.successions = UnitSuccession.objects.count()
    return report


def today_structure(on: date | None = None) -> str:
    return Structure.Y2025 if (on or date.today()) >= REFORM_DATE else Structure.LEGACY
