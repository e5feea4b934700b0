"""Pure rules: which threshold applies to a unit in a year, and met / basically met / not met.

Threshold choice, most specific first: a province's own threshold beats the national one; a
region/group threshold beats the one for every unit; among equals the latest `year_from`
wins. A unit's region/group is data (UnitClassification), looked up on the unit, then on its
parent, then its grandparent, so a province-wide classification covers all its communes.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from langso.core.figures import Figure
from langso.places.models import AdminUnit

from .models import Comparator, Indicator, Scheme, Status, Threshold, UnitClassification, ValueKind

TWO_PLACES = Decimal("0.01")


def figure_value(indicator: Indicator, numerator, denominator) -> Decimal | None:
    """The value compared with the threshold: a percentage for rates, the count otherwise."""
    if numerator is None:
        return None
    if denominator is None:
        return Decimal(numerator).quantize(TWO_PLACES)
    if not denominator:
        return None
    ratio = Decimal(numerator) / Decimal(denominator)
    if indicator.value_kind == ValueKind.PERCENT:
        ratio *= 100
    return ratio.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def value_of_figure(indicator: Indicator, figure: Figure | None) -> Decimal | None:
    if figure is None:
        return None
    return figure_value(indicator, figure.numerator, figure.denominator)


def evaluate(indicator: Indicator, value: Decimal | None, threshold: Threshold | None) -> str:
    if value is None or threshold is None:
        return Status.NO_DATA
    target = threshold.value
    if indicator.comparator == Comparator.LTE:
        if value <= target:
            return Status.MET
        limit = (
            threshold.basic_value
            if threshold.basic_value is not None
            else target + indicator.basic_band
        )
        return Status.BASICALLY_MET if limit > target and value <= limit else Status.NOT_MET
    if value >= target:
        return Status.MET
    limit = (
        threshold.basic_value
        if threshold.basic_value is not None
        else target - indicator.basic_band
    )
    return Status.BASICALLY_MET if limit < target and value >= limit else Status.NOT_MET


def missing_to_meet(
    indicator: Indicator, value: Decimal | None, threshold: Decimal | None
) -> Decimal | None:
    """How far the value is from the threshold's value (positive), None when met or unknown."""
    if value is None or threshold is None:
        return None
    gap = (threshold - value) if indicator.comparator == Comparator.GTE else (value - threshold)
    return gap if gap > 0 else None


class ThresholdIndex:
    """All thresholds of some indicators, in memory, for choosing per unit and year."""

    def __init__(self, indicators: Iterable[Indicator]):
        self.rows: dict[int, list[Threshold]] = defaultdict(list)
        ids = [i.pk for i in indicators]
        for t in Threshold.objects.filter(indicator_id__in=ids):
            self.rows[t.indicator_id].append(t)

    def select(
        self, indicator: Indicator, *, year: int, classification: str, province_code: str
    ) -> Threshold | None:
        best, best_key = None, None
        for t in self.rows.get(indicator.pk, ()):
            if not (t.year_from <= year <= t.year_to):
                continue
            if t.classification not in ("", classification):
                continue
            if t.province_code not in ("", province_code):
                continue
            key = (t.province_code != "", t.classification != "", t.year_from)
            if best_key is None or key > best_key:
                best, best_key = t, key
        return best


class Classifier:
    """Region/group of units for a year, looked up in bulk (unit, then parent, grandparent)."""

    def __init__(self, units: Iterable[AdminUnit]):
        self.parents: dict[int, int | None] = {}
        ids: set[int] = set()
        for u in units:
            ids.add(u.pk)
            self.parents[u.pk] = u.parent_id
            if u.parent_id:
                ids.add(u.parent_id)
        grand = dict(
            AdminUnit.objects.filter(pk__in=[p for p in self.parents.values() if p]).values_list(
                "pk", "parent_id"
            )
        )
        self.parents.update(grand)
        ids.update(p for p in grand.values() if p)
        self.rows: dict[tuple[int, str], list[UnitClassification]] = defaultdict(list)
        for c in UnitClassification.objects.filter(unit_id__in=ids):
            self.rows[(c.unit_id, c.scheme)].append(c)

    def classify(self, unit_id: int, scheme: str, year: int) -> str:
        if scheme == Scheme.NONE:
            return ""
        current: int | None = unit_id
        for _ in range(3):
            if current is None:
                break
            for c in self.rows.get((current, scheme), ()):
                if c.year_from <= year <= c.year_to:
                    return c.value
            current = self.parents.get(current)
        return ""


def threshold_for(indicator: Indicator, unit: AdminUnit, year: int) -> Threshold | None:
    """One-off lookup (pages); bulk work uses ThresholdIndex and Classifier directly."""
    scheme = indicator.criterion.criteria_set.scheme
    cls = Classifier([unit]).classify(unit.pk, scheme, year)
    return ThresholdIndex([indicator]).select(
        indicator, year=year, classification=cls, province_code=unit.province_code
    )
