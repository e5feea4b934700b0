"""Values across the 2025 reform.

Values recorded on legacy units stay on those units (never rewritten). A 2025 commune's
value for a year in which it did not exist yet is *shown* by combining its predecessors'
values (UnitSuccession, primary successor only, so a split commune is not counted twice),
with each indicator's rule:

- `sum`: counts add up (cooperatives, OCOP products): numerator = Σ numerators;
- `recompute`: rates are recomputed from Σ numerators / Σ denominators, never averaged;
- `reassess`: the recomputed value is judged against the *new* unit's threshold (its region
  or group and year); a yes/no value that has no numerator/denominator cannot be recombined,
  so it is shown as "needs re-assessment".

For every rule the status is evaluated against the threshold of the new unit. DHIS2, by
contrast, keeps the last-updated value of one of the merged org units and has no
time-versioned hierarchy, so the old history silently becomes one commune's figure.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from langso.places.models import AdminUnit, Structure
from langso.places.queries import predecessors_of

from ..evaluation import Classifier, ThresholdIndex, evaluate, figure_value
from ..models import Indicator, IndicatorValue, RollupRule, Status, ValueKind


@dataclass
class ShownValue:
    indicator: Indicator
    year: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    status: str
    threshold: Decimal | None
    carried: bool = False  # combined from legacy units
    rule: str = ""
    sources: list[tuple[AdminUnit, IndicatorValue]] = field(default_factory=list)
    own: IndicatorValue | None = None

    @property
    def rule_label(self) -> str:
        return str(RollupRule(self.rule).label) if self.rule else ""


def legacy_predecessors(unit: AdminUnit) -> list[AdminUnit]:
    if unit.structure != Structure.Y2025:
        return []
    return list(predecessors_of(unit).filter(successions__is_primary=True))


def combine(indicator: Indicator, values: list[IndicatorValue]) -> tuple:
    """(numerator, denominator, needs_reassessment) of values carried by the indicator's rule."""
    if not values:
        return None, None, False
    rule = indicator.rollup_rule
    nums = [v.numerator for v in values if v.numerator is not None]
    dens = [v.denominator for v in values if v.denominator is not None]
    if len(nums) < len(values):
        return None, None, True
    if rule == RollupRule.SUM:
        return sum(nums, Decimal(0)), None, False
    if len(dens) == len(values):
        return sum(nums, Decimal(0)), sum(dens, Decimal(0)), False
    if indicator.value_kind == ValueKind.COUNT and rule == RollupRule.RECOMPUTE:
        return sum(nums, Decimal(0)), None, False
    return None, None, True  # a yes/no judged on each old commune: judge the new one again


def shown_values(
    unit: AdminUnit, indicators: list[Indicator], years: list[int]
) -> dict[tuple[int, int], ShownValue]:
    """Values of `unit` for each (indicator id, year): its own where recorded, else carried
    from its legacy predecessors by the indicator's rule."""
    own = {
        (v.indicator_id, v.year): v
        for v in IndicatorValue.objects.filter(
            unit=unit, indicator__in=indicators, year__in=years
        ).prefetch_related("evidence")
    }
    olds = legacy_predecessors(unit)
    legacy: dict[tuple[int, int], list[IndicatorValue]] = defaultdict(list)
    if olds:
        for old in IndicatorValue.objects.filter(
            unit__in=olds, indicator__in=indicators, year__in=years
        ).select_related("unit"):
            legacy[(old.indicator_id, old.year)].append(old)
    index = ThresholdIndex(indicators)
    classifier = Classifier([unit])
    out: dict[tuple[int, int], ShownValue] = {}
    for ind in indicators:
        for year in years:
            v = own.get((ind.pk, year))
            if v is not None:
                out[(ind.pk, year)] = ShownValue(
                    ind, year, v.value, v.numerator, v.denominator, v.status, v.threshold, own=v
                )
                continue
            carried = legacy.get((ind.pk, year), [])
            cls = classifier.classify(unit.pk, ind.criterion.criteria_set.scheme, year)
            threshold = index.select(
                ind, year=year, classification=cls, province_code=unit.province_code
            )
            num, den, needs = combine(ind, carried)
            value = figure_value(ind, num, den) if num is not None else None
            status: str
            if not carried:
                status = Status.NO_DATA
            elif needs:
                status = Status.NEEDS_REASSESSMENT
            else:
                status = evaluate(ind, value, threshold)
            out[(ind.pk, year)] = ShownValue(
                ind,
                year,
                value,
                num,
                den,
                status,
                threshold.value if threshold else None,
                carried=bool(carried),
                rule=ind.rollup_rule,
                sources=[(c.unit, c) for c in carried],
            )
    return out
