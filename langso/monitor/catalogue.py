"""Loading the criteria catalogue from the versioned JSON files in `langso/monitor/data/`.

Idempotent: every row is matched by its natural key (set code, criterion number, indicator
code, threshold key, target code) and updated in place. A row an official has confirmed in
the app (its `to_confirm` cleared while the file still says `to_confirm`) is never
overwritten by the file: the official's word beats the draft data.

The load reads the existing rows of each model in one query per set, matches them in memory,
then inserts the new rows and updates the changed ones in bulk, parents before children: the
number of queries does not grow with the number of rows (the demo and every monitor test
load the whole catalogue).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction

from langso.places.models import AdminUnit

from .models import CriteriaSet, Criterion, Indicator, Target, Threshold

DATA_DIR = Path(__file__).parent / "data"
TARGETS_FILE = "targets.json"


@dataclass
class LoadReport:
    sets: int = 0
    criteria: int = 0
    indicators: int = 0
    thresholds: int = 0
    targets: int = 0
    kept_confirmed: int = 0
    warnings: list[str] = field(default_factory=list)


class _Rows:
    """The rows of one model a load touches, by natural key (`key`: attribute names).

    `upsert` matches in memory; `flush` writes: one bulk INSERT for the new rows (their
    primary keys come back with them) and one bulk UPDATE of the changed fields."""

    def __init__(self, model: Any, key: tuple[str, ...], existing: Iterable = ()):
        self.model = model
        self.key = key
        self.rows: dict[tuple, Any] = {tuple(getattr(o, k) for k in key): o for o in existing}
        self.new: list = []
        self.changed: dict[int, Any] = {}
        self.changed_fields: set[str] = set()

    def get(self, *key: Any) -> Any:
        return self.rows.get(key)

    def upsert(self, lookup: dict, values: dict, report: LoadReport) -> Any:
        key = tuple(lookup[k] for k in self.key)
        obj = self.rows.get(key)
        if obj is None:
            obj = self.rows[key] = self.model(**lookup, **values)
            self.new.append(obj)
            return obj
        if values.get("to_confirm") and not obj.to_confirm:
            report.kept_confirmed += 1  # confirmed in the app: keep the official's version
            return obj
        for name, value in values.items():
            self.set(obj, name, value)
        return obj

    def set(self, obj: Any, name: str, value: Any) -> None:
        f = self.model._meta.get_field(name)
        if isinstance(f, models.ForeignKey):
            current, new = getattr(obj, f.attname), None if value is None else value.pk
        else:
            current, new = getattr(obj, name), value
        if current == new:
            return
        setattr(obj, name, value)
        if not obj._state.adding:  # a new row is inserted with its last values
            self.changed[obj.pk] = obj
            self.changed_fields.add(name)

    def flush(self) -> None:
        if self.new:
            if connection.features.can_return_rows_from_bulk_insert:
                self.model.objects.bulk_create(self.new)
            else:  # no primary keys back from a bulk insert: children need them
                for obj in self.new:
                    obj.save(force_insert=True)
            self.new = []
        if self.changed:
            # Unchanged fields of a row are written back as read, in this transaction.
            self.model.objects.bulk_update(self.changed.values(), sorted(self.changed_fields))
            self.changed, self.changed_fields = {}, set()


def _thresholds(spec: dict, data: dict) -> list[dict]:
    """Expand one threshold entry of the file into rows (one per region/group)."""
    base = {
        "year_from": spec.get("year_from", data["year_from"]),
        "year_to": spec.get("year_to", data["year_to"]),
        "province_code": spec.get("province", ""),
        "decision": spec.get("decision", ""),
        "to_confirm": bool(spec.get("to_confirm", False)),
        "basic_value": Decimal(str(spec["basic"])) if "basic" in spec else None,
    }
    if "by_class" in spec:
        return [
            {**base, "classification": cls, "value": Decimal(str(v))}
            for cls, v in spec["by_class"].items()
        ]
    return [
        {
            **base,
            "classification": spec.get("classification", ""),
            "value": Decimal(str(spec["value"])),
        }
    ]


def _indicator_codes(data: dict) -> set[str]:
    """The indicator codes a set file names: its own and those it derives from."""
    codes = set()
    for c in data["criteria"]:
        for i in c["indicators"]:
            codes.add(f"{data['prefix']}.{i['number']}")
            if i.get("derived_from"):
                codes.add(i["derived_from"])
    return codes


def _indicators(codes: set[str]) -> _Rows:
    return _Rows(Indicator, ("code",), Indicator.objects.filter(code__in=codes).order_by())


def load_set(data: dict, report: LoadReport, indicators: _Rows | None = None) -> CriteriaSet:
    """Load one set file. `indicators` holds the indicators read or loaded so far (by code);
    it must include those of this file and those it derives from."""
    if indicators is None:
        indicators = _indicators(_indicator_codes(data))
    sets = _Rows(CriteriaSet, ("code",), CriteriaSet.objects.filter(code=data["code"]))
    cset = sets.upsert(
        {"code": data["code"]},
        {
            "name": data["name"],
            "decision": data["decision"],
            "level": data.get("level", "commune"),
            "year_from": data["year_from"],
            "year_to": data["year_to"],
            "scheme": data["scheme"],
            "is_programme": data.get("is_programme", False),
            "kind": data.get("kind", "standard"),
            "sources": data.get("sources", []),
            "version": data.get("version", ""),
            "amendments": data.get("amendments", []),
            "to_confirm": data.get("to_confirm", False),
        },
        report,
    )
    set_is_new = cset._state.adding
    sets.flush()
    report.sets += 1

    criteria = _Rows(
        Criterion,
        ("criteria_set_id", "number"),
        () if set_is_new else Criterion.objects.filter(criteria_set=cset).order_by(),
    )
    parents: list[tuple[Criterion, dict]] = []
    for c_order, c in enumerate(data["criteria"], start=1):
        criterion = criteria.upsert(
            {"criteria_set_id": cset.pk, "number": c["number"]},
            {
                "name": c["name"],
                "group": c.get("group", ""),
                "order": c_order,
                "to_confirm": c.get("to_confirm", False),
            },
            report,
        )
        report.criteria += 1
        parents.append((criterion, c))
    criteria.flush()

    bands = data.get("default_basic_band", {})
    derived_links: list[tuple[Indicator, str]] = []
    loaded: list[tuple[Indicator, dict]] = []
    for criterion, c in parents:
        for i_order, i in enumerate(c["indicators"], start=1):
            kind = i.get("value_kind", "percent")
            code = f"{data['prefix']}.{i['number']}"
            indicator = indicators.upsert(
                {"code": code},
                {
                    "criterion": criterion,
                    "number": i["number"],
                    "name": i["name"],
                    "order": i_order,
                    "source": i["source"],
                    "figure_code": i.get("figure_code", ""),
                    "value_kind": kind,
                    "comparator": i.get("comparator", ">="),
                    "basic_band": Decimal(str(i.get("basic_band", bands.get(kind, 0)))),
                    "rollup_rule": i.get("rollup_rule", "reassess"),
                    "derived_kind": i.get("derived_kind", ""),
                    "derived_set": i.get("derived_set", ""),
                    "description": i.get("description", ""),
                    "to_confirm": i.get("to_confirm", False),
                },
                report,
            )
            report.indicators += 1
            if i.get("derived_from"):
                derived_links.append((indicator, i["derived_from"]))
            loaded.append((indicator, i))
    had_rows = [ind.pk for ind, _ in loaded if not ind._state.adding]
    indicators.flush()
    for indicator, source_code in derived_links:
        source = indicators.get(source_code)
        if source is None:
            report.warnings.append(f"{indicator.code}: derived_from {source_code} not loaded yet")
            continue
        indicators.set(indicator, "derived_from", source)
    indicators.flush()

    thresholds = _Rows(
        Threshold,
        ("indicator_id", "classification", "year_from", "province_code"),
        Threshold.objects.filter(indicator__in=had_rows).order_by() if had_rows else (),
    )
    for indicator, i in loaded:
        for spec in i.get("thresholds", []):
            for row in _thresholds(spec, data):
                key = {k: row.pop(k) for k in ("classification", "year_from", "province_code")}
                thresholds.upsert({"indicator_id": indicator.pk, **key}, row, report)
                report.thresholds += 1
    thresholds.flush()
    return cset


def _units_by_key(keys: set[str]) -> dict[str, AdminUnit]:
    """The units named "structure:level:code", in one query."""
    if not keys:
        return {}
    parts = {key: tuple(key.split(":")) for key in keys}
    query = reduce(or_, (models.Q(structure=s, level=lv, code=c) for s, lv, c in parts.values()))
    found = {(u.structure, u.level, u.code): u for u in AdminUnit.objects.filter(query)}
    return {key: found[p] for key, p in parts.items() if p in found}


def load_targets(data: dict, report: LoadReport, indicators: _Rows | None = None) -> None:
    if indicators is None:
        indicators = _indicators({t["indicator"] for t in data["targets"] if t.get("indicator")})
    units = _units_by_key({t["scope"] for t in data["targets"] if t.get("scope")})
    targets = _Rows(
        Target,
        ("code",),
        Target.objects.filter(code__in=[t["code"] for t in data["targets"]]).order_by(),
    )
    for t in data["targets"]:
        scope = units.get(t["scope"]) if t.get("scope") else None
        if t.get("scope") and scope is None:
            report.warnings.append(f"{t['code']}: unit {t['scope']} not loaded; skipped")
            continue
        targets.upsert(
            {"code": t["code"]},
            {
                "name": t["name"],
                "decision": t["decision"],
                "scope_unit": scope,
                "indicator": indicators.get(t["indicator"]) if t.get("indicator") else None,
                "figure_code": t.get("figure_code", ""),
                "measure": t.get("measure", "value"),
                "comparator": t["comparator"],
                "value": Decimal(str(t["value"])),
                "value_kind": t["value_kind"],
                "baseline_year": t.get("baseline_year", 2021),
                "deadline": date.fromisoformat(t["deadline"]),
                "to_confirm": t.get("to_confirm", False),
            },
            report,
        )
        report.targets += 1
    targets.flush()


@transaction.atomic
def load_catalogue(data_dir: Path = DATA_DIR) -> LoadReport:
    report = LoadReport()
    files = sorted(p for p in data_dir.glob("*.json") if p.name != TARGETS_FILE)
    # Commune sets first: programme sets derive from their indicators.
    payloads = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    payloads.sort(key=lambda d: d.get("is_programme", False))
    targets_file = data_dir / TARGETS_FILE
    targets = (
        json.loads(targets_file.read_text(encoding="utf-8")) if targets_file.exists() else None
    )
    # Every indicator the files name, read once and shared: a set derives from those of the
    # sets loaded before it, a target points at any.
    codes = set().union(*(_indicator_codes(d) for d in payloads))
    if targets:
        codes |= {t["indicator"] for t in targets["targets"] if t.get("indicator")}
    indicators = _indicators(codes)
    for data in payloads:
        load_set(data, report, indicators)
    if targets is not None:
        load_targets(targets, report, indicators)
    return report
