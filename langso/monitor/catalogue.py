"""Loading the criteria catalogue from the versioned JSON files in `langso/monitor/data/`.

Idempotent: every row is matched by its natural key (set code, criterion number, indicator
code, threshold key, target code) and updated in place. A row an official has confirmed in
the app (its `to_confirm` cleared while the file still says `to_confirm`) is never
overwritten by the file: the official's word beats the draft data.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

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


def _upsert(model, lookup: dict, values: dict, report: LoadReport):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    if values.get("to_confirm") and not obj.to_confirm:
        report.kept_confirmed += 1  # confirmed in the app: keep the official's version
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    if changed:
        obj.save(update_fields=changed)
    return obj


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


def load_set(data: dict, report: LoadReport) -> CriteriaSet:
    cset = _upsert(
        CriteriaSet,
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
    report.sets += 1
    bands = data.get("default_basic_band", {})
    derived_links: list[tuple[Indicator, str]] = []
    for c_order, c in enumerate(data["criteria"], start=1):
        criterion = _upsert(
            Criterion,
            {"criteria_set": cset, "number": c["number"]},
            {
                "name": c["name"],
                "group": c.get("group", ""),
                "order": c_order,
                "to_confirm": c.get("to_confirm", False),
            },
            report,
        )
        report.criteria += 1
        for i_order, i in enumerate(c["indicators"], start=1):
            kind = i.get("value_kind", "percent")
            code = f"{data['prefix']}.{i['number']}"
            indicator = _upsert(
                Indicator,
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
            for spec in i.get("thresholds", []):
                for row in _thresholds(spec, data):
                    key = {k: row.pop(k) for k in ("classification", "year_from", "province_code")}
                    _upsert(Threshold, {"indicator": indicator, **key}, row, report)
                    report.thresholds += 1
    for indicator, source_code in derived_links:
        source = Indicator.objects.filter(code=source_code).first()
        if source is None:
            report.warnings.append(f"{indicator.code}: derived_from {source_code} not loaded yet")
            continue
        if indicator.derived_from_id != source.pk:
            indicator.derived_from = source
            indicator.save(update_fields=["derived_from"])
    return cset


def _unit_by_key(key: str | None) -> AdminUnit | None:
    if not key:
        return None
    structure, level, code = key.split(":")
    return AdminUnit.objects.filter(structure=structure, level=level, code=code).first()


def load_targets(data: dict, report: LoadReport) -> None:
    for t in data["targets"]:
        scope = _unit_by_key(t.get("scope"))
        if t.get("scope") and scope is None:
            report.warnings.append(f"{t['code']}: unit {t['scope']} not loaded; skipped")
            continue
        indicator = (
            Indicator.objects.filter(code=t["indicator"]).first() if t.get("indicator") else None
        )
        _upsert(
            Target,
            {"code": t["code"]},
            {
                "name": t["name"],
                "decision": t["decision"],
                "scope_unit": scope,
                "indicator": indicator,
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


@transaction.atomic
def load_catalogue(data_dir: Path = DATA_DIR) -> LoadReport:
    report = LoadReport()
    files = sorted(p for p in data_dir.glob("*.json") if p.name != TARGETS_FILE)
    # Commune sets first: programme sets derive from their indicators.
    payloads = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    payloads.sort(key=lambda d: d.get("is_programme", False))
    for data in payloads:
        load_set(data, report)
    targets = data_dir / TARGETS_FILE
    if targets.exists():
        load_targets(json.loads(targets.read_text(encoding="utf-8")), report)
    return report
