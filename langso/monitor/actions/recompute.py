"""Recomputing indicator values: every indicator of every set in force, for many units at once.

One `collect_figures` call reads the figures of all communes (each provider runs one grouped
query per figure, not one per commune); values are written with one bulk upsert; then the
parents (legacy districts, provinces) get rolled-up values (sum / recompute) and derived
indicators (share of communes meeting X, number of communes meeting every criterion).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from langso.core.figures import collect_figures
from langso.places.models import AdminUnit
from langso.places.queries import communes_within

from ..evaluation import Classifier, ThresholdIndex, evaluate, figure_value, value_of_figure
from ..models import (
    CriteriaSet,
    Indicator,
    IndicatorValue,
    RollupRule,
    Source,
    StaleUnit,
    Status,
)

UPDATE_FIELDS = ["numerator", "denominator", "value", "status", "threshold", "source",
                 "computed_at"]


@dataclass
class RecomputeReport:
    communes: int = 0
    parents: int = 0
    values: int = 0


def indicators_for_year(year: int) -> list[Indicator]:
    sets = [s for s in CriteriaSet.objects.all() if s.applies_to(year)]
    return list(Indicator.objects.filter(criterion__criteria_set__in=sets)
                .select_related("criterion__criteria_set", "derived_from"))


def _expand_communes(units: list[AdminUnit]) -> list[AdminUnit]:
    communes: dict[int, AdminUnit] = {}
    for unit in units:
        for c in communes_within(unit).select_related("parent"):
            communes[c.pk] = c
    return list(communes.values())


def _ancestors(communes: list[AdminUnit]) -> list[AdminUnit]:
    parent_ids = {c.parent_id for c in communes if c.parent_id}
    parents = list(AdminUnit.objects.filter(pk__in=parent_ids).select_related("parent"))
    grand_ids = {p.parent_id for p in parents if p.parent_id} - parent_ids
    parents += list(AdminUnit.objects.filter(pk__in=grand_ids).select_related("parent"))
    return parents


def _upsert(rows: list[IndicatorValue]) -> None:
    IndicatorValue.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True,
        unique_fields=["unit", "indicator", "year"], update_fields=UPDATE_FIELDS)


def _row(unit, indicator, year, numerator, denominator, value, status, threshold, source, now):
    return IndicatorValue(
        unit=unit, indicator=indicator, year=year, numerator=numerator, denominator=denominator,
        value=value, status=status, threshold=threshold.value if threshold else None,
        source=source, computed_at=now)


@transaction.atomic
def recompute_indicators(*, units, year: int, actor=None) -> RecomputeReport:
    """Compute every indicator in force in `year` for the communes within `units`, then roll
    up to their districts (legacy) and provinces. Entered values keep their number but get
    their status re-evaluated (a threshold may have been corrected)."""
    report = RecomputeReport()
    communes = _expand_communes(list(units))
    indicators = indicators_for_year(year)
    if not communes or not indicators:
        return report
    now = timezone.now()
    parents = _ancestors(communes)
    classifier = Classifier(communes + parents)
    index = ThresholdIndex(indicators)
    figures = collect_figures(unit_ids=[c.pk for c in communes],
                              period_start=date(year, 1, 1), period_end=date(year, 12, 31))

    def pick(ind, unit):
        cls = classifier.classify(unit.pk, ind.criterion.criteria_set.scheme, year)
        return index.select(ind, year=year, classification=cls, province_code=unit.province_code)

    base = [i for i in indicators if i.source != Source.DERIVED]
    computed = [i for i in base if i.source == Source.COMPUTED]
    entered = [i for i in base if i.source == Source.ENTERED]
    # commune level: computed from figures; entered re-evaluated
    statuses: dict[tuple[int, int], str] = {}
    sums: dict[tuple[int, int], list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    rows: list[IndicatorValue] = []
    for c in communes:
        unit_figures = figures.get(c.pk, {})
        for ind in computed:
            fig = unit_figures.get(ind.figure_code)
            value = value_of_figure(ind, fig)
            threshold = pick(ind, c)
            status = evaluate(ind, value, threshold)
            rows.append(_row(c, ind, year, fig.numerator if fig else None,
                             fig.denominator if fig else None, value, status, threshold,
                             Source.COMPUTED, now))
            statuses[(c.pk, ind.pk)] = status
            if fig is not None:
                for parent_id in (c.parent_id, classifier.parents.get(c.parent_id)):
                    if parent_id:
                        acc = sums[(parent_id, ind.pk)]
                        acc[0] += Decimal(fig.numerator)
                        acc[1] += Decimal(fig.denominator or 0)
                        acc[2] += 1
    existing = IndicatorValue.objects.filter(unit__in=communes, year=year, indicator__in=entered)
    by_pk = {i.pk: i for i in entered}
    by_unit = {c.pk: c for c in communes}
    for v in existing:
        ind = by_pk[v.indicator_id]
        threshold = pick(ind, by_unit[v.unit_id])
        v.status = evaluate(ind, v.value, threshold)
        v.threshold = threshold.value if threshold else None
        v.computed_at = now
        rows.append(v)
        statuses[(v.unit_id, ind.pk)] = v.status
    _upsert(rows)
    report.communes, report.values = len(communes), len(rows)
    # parents: rolled-up computed values, then derived indicators
    children: dict[int, list[AdminUnit]] = defaultdict(list)
    for c in communes:
        children[c.parent_id].append(c)
        grand = classifier.parents.get(c.parent_id)
        if grand:
            children[grand].append(c)
    parent_rows: list[IndicatorValue] = []
    for p in parents:
        for ind in computed:
            num, den, n = sums.get((p.pk, ind.pk), (None, None, 0))
            if not n:
                continue
            den_out = None if ind.rollup_rule == RollupRule.SUM or not den else den
            value = figure_value(ind, num, den_out)
            threshold = pick(ind, p)
            parent_rows.append(_row(p, ind, year, num, den_out, value,
                                    evaluate(ind, value, threshold), threshold,
                                    Source.COMPUTED, now))
        for ind in indicators:
            if ind.source != Source.DERIVED:
                continue
            kids = children.get(p.pk, [])
            if ind.derived_kind == "share_meeting" and ind.derived_from_id:
                num = sum(1 for k in kids
                          if statuses.get((k.pk, ind.derived_from_id)) == Status.MET)
                den = len(kids)
            elif ind.derived_kind == "count_meeting_all":
                required = [i.pk for i in base
                            if i.criterion.criteria_set.code == ind.derived_set]
                num = sum(1 for k in kids if required and all(
                    statuses.get((k.pk, r)) == Status.MET for r in required))
                den = None
            else:
                continue
            value = figure_value(ind, num, den)
            threshold = pick(ind, p)
            parent_rows.append(_row(p, ind, year, num, den, value,
                                    evaluate(ind, value, threshold), threshold,
                                    Source.DERIVED, now))
    _upsert(parent_rows)
    report.parents, report.values = len(parents), report.values + len(parent_rows)
    StaleUnit.objects.filter(unit__in=communes).delete()
    return report
