"""OCOP rules as data: star bands, the scoring sheets (loaded from data/ocop_criteria_*.json
into OcopCriteriaSet rows) and who rates which stars (data/ocop_levels.json, by date)."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
CERTIFICATE_MONTHS = 36
CERTIFIED_MIN_STAR = 3
EXPIRY_WARNING_DAYS = 90

# Official bands (Decision 148/2023 and 1048/2019): (lowest total, star), highest first.
STAR_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal(90), 5),
    (Decimal(70), 4),
    (Decimal(50), 3),
    (Decimal(30), 2),
    (Decimal(0), 1),
)


def star_for(total) -> int:
    value = Decimal(str(total))
    if value < 0 or value > 100:
        raise ValueError("An OCOP total lies between 0 and 100.")
    for lowest, star in STAR_BANDS:
        if value >= lowest:
            return star
    raise AssertionError("unreachable")  # pragma: no cover


def is_certifiable(star: int) -> bool:
    return star >= CERTIFIED_MIN_STAR


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the 29th-31st fall back to the month's last day."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid_to(issued_on: date) -> date:
    """Last day of validity of a certificate issued on `issued_on` (36 months)."""
    from datetime import timedelta

    return add_months(issued_on, CERTIFICATE_MONTHS) - timedelta(days=1)


# --- who rates what ---------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRules:
    code: str
    title: str
    valid_from: date
    valid_to: date | None
    receives: str
    star_levels: dict[int, str]
    to_confirm: bool

    @property
    def rating_levels(self) -> list[str]:
        seen: list[str] = []
        for star in sorted(self.star_levels):
            if self.star_levels[star] not in seen:
                seen.append(self.star_levels[star])
        return seen

    @property
    def first_level(self) -> str:
        return self.rating_levels[0]

    def level_for_star(self, star: int) -> str:
        return self.star_levels[star]


@cache
def _level_rule_sets() -> tuple[LevelRules, ...]:
    raw = json.loads((DATA_DIR / "ocop_levels.json").read_text(encoding="utf-8"))
    out = []
    for item in raw["rule_sets"]:
        star_levels = {star: r["level"] for r in item["ratings"] for star in r["stars"]}
        out.append(
            LevelRules(
                code=item["code"],
                title=item["title"],
                valid_from=date.fromisoformat(item["valid_from"]),
                valid_to=date.fromisoformat(item["valid_to"]) if item["valid_to"] else None,
                receives=item["receives"],
                star_levels=star_levels,
                to_confirm=bool(item.get("to_confirm")),
            )
        )
    return tuple(sorted(out, key=lambda r: r.valid_from))


def level_rules_on(day: date) -> LevelRules:
    for rules in reversed(_level_rule_sets()):
        if rules.valid_from <= day and (rules.valid_to is None or day <= rules.valid_to):
            return rules
    return _level_rule_sets()[0]


# --- scoring sheets ---------------------------------------------------------------------


def criteria_files() -> list[Path]:
    return sorted(DATA_DIR.glob("ocop_criteria_*.json"))


@transaction.atomic
def load_criteria(paths: list[Path] | None = None) -> int:
    """Create or update OcopCriteriaSet/OcopCriterion rows from the JSON files; returns the
    number of sheets. A sheet keyed "*" applies to every product group without its own."""
    from .models import OcopCriteriaSet, OcopCriterion, OcopGroup

    count = 0
    for path in paths or criteria_files():
        raw = json.loads(path.read_text(encoding="utf-8"))
        parts = raw["parts"]
        if sum(parts.values()) != 100:
            raise ValueError(f"{path.name}: parts must add up to 100 points.")
        for group in OcopGroup.values:
            items = raw["sheets"].get(group) or raw["sheets"].get("*")
            if not items:
                continue
            for part, maximum in parts.items():
                got = sum(Decimal(str(i["max_points"])) for i in items if i["part"] == part)
                if got != maximum:
                    raise ValueError(
                        f"{path.name} {group}: part {part} adds up to {got}, not {maximum}."
                    )
            sheet, _ = OcopCriteriaSet.objects.update_or_create(
                decision=raw["decision"],
                product_group=group,
                defaults={
                    "title": raw["title"],
                    "version": raw["version"],
                    "effective_from": date.fromisoformat(raw["effective_from"]),
                    "part_a_max": parts["A"],
                    "part_b_max": parts["B"],
                    "part_c_max": parts["C"],
                },
            )
            codes = []
            for position, item in enumerate(items):
                codes.append(item["code"])
                OcopCriterion.objects.update_or_create(
                    criteria_set=sheet,
                    code=item["code"],
                    defaults={
                        "part": item["part"],
                        "label": item["label"],
                        "max_points": Decimal(str(item["max_points"])),
                        "position": position,
                        "to_confirm": bool(item.get("to_confirm")),
                    },
                )
            sheet.criteria.exclude(code__in=codes).delete()
            count += 1
    return count


def criteria_set_for(product_group: str, on: date):
    """The sheet in force on `on` for the group (the latest decision effective by then)."""
    from .models import OcopCriteriaSet

    return (
        OcopCriteriaSet.objects.filter(
            product_group=product_group or "food", effective_from__lte=on
        )
        .order_by("-effective_from")
        .first()
    )


@cache
def subgroups() -> dict[str, list[dict]]:
    raw = json.loads((DATA_DIR / "ocop_subgroups.json").read_text(encoding="utf-8"))
    return raw["groups"]


def subgroup_name(code: str) -> str:
    for items in subgroups().values():
        for item in items:
            if item["code"] == code:
                return item["name"]
    return code
