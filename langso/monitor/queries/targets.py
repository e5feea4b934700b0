"""Progress toward targets, and a straight-line forecast at the deadline.

A target is measured on the values of its indicator for the unit viewed (the target's own
scope unit, or, for a national target, the province being looked at): one value per year.
The forecast fits a least-squares line through the yearly values and reads it at the
deadline's year; with fewer than two years there is no forecast.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from langso.places.models import AdminUnit

from ..models import Comparator, IndicatorValue, Target

TWO = Decimal("0.01")


@dataclass
class TargetProgress:
    target: Target
    unit: AdminUnit | None
    series: list[tuple[int, Decimal]]
    current: Decimal | None
    current_year: int | None
    forecast: Decimal | None
    reached: bool
    on_track: bool | None  # None when there is nothing to forecast from
    percent: int  # 0..100, for the progress bar
    value_id: int | None = None


def linear_forecast(series: list[tuple[int, Decimal]], year: int) -> Decimal | None:
    if len(series) < 2:
        return None
    n = len(series)
    xs = [Decimal(x) for x, _ in series]
    ys = [y for _, y in series]
    mx, my = sum(xs, Decimal(0)) / n, sum(ys, Decimal(0)) / n
    sxx = sum(((x - mx) ** 2 for x in xs), Decimal(0))
    if not sxx:
        return None
    slope = sum(((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)), Decimal(0)) / sxx
    return (my + slope * (Decimal(year) - mx)).quantize(TWO)


def _meets(comparator: str, value: Decimal | None, goal: Decimal) -> bool:
    if value is None:
        return False
    return value >= goal if comparator == Comparator.GTE else value <= goal


def target_progress(target: Target, unit: AdminUnit | None) -> TargetProgress:
    unit = target.scope_unit or unit
    series: list[tuple[int, Decimal]] = []
    value_id = None
    if unit is not None and target.indicator_id:
        rows = list(
            IndicatorValue.objects.filter(
                unit=unit,
                indicator_id=target.indicator_id,
                value__isnull=False,
                year__gte=target.baseline_year,
                year__lte=target.deadline.year,
            ).order_by("year")
        )
        series = [(v.year, v.value) for v in rows if v.value is not None]  # all, by the filter
        value_id = rows[-1].pk if rows else None
    current_year, current = series[-1] if series else (None, None)
    forecast = linear_forecast(series, target.deadline.year)
    reached = _meets(target.comparator, current, target.value)
    on_track = (
        None if forecast is None else (reached or _meets(target.comparator, forecast, target.value))
    )
    if current is None or not target.value:
        percent = 0
    elif target.comparator == Comparator.GTE:
        percent = int(min(Decimal(100), current / target.value * 100))
    else:
        percent = 100 if reached else int(max(Decimal(0), target.value / current * 100))
    return TargetProgress(
        target, unit, series, current, current_year, forecast, reached, on_track, percent, value_id
    )


def targets_for(unit: AdminUnit) -> list[Target]:
    """Targets that apply to a province: national ones and its own plan's."""
    return list(
        Target.objects.filter(Q(scope_unit__isnull=True) | Q(scope_unit=unit))
        .select_related("indicator", "scope_unit")
        .order_by("deadline", "code")
    )


def progress_for(unit: AdminUnit) -> list[TargetProgress]:
    return [target_progress(t, unit) for t in targets_for(unit)]


def days_left(target: Target, today: date) -> int:
    return (target.deadline - today).days
