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

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from langso.core.figures import collect_figures
from langso.places.models import AdminUnit, Level
from langso.places.queries import communes_within

from ..evaluation import Classifier, ThresholdIndex, evaluate, figure_value, value_of_figure
from ..models import (
    CriteriaSet,
    Indicator,
    IndicatorValue,
    RollupRule,
    Source,
    Status,
)
from ..queries.scope import in_programme_ids

UPDATE_FIELDS = [
    "numerator",
    "denominator",
    "value",
    "status",
    "threshold",
    "source",
    "computed_at",
]


@dataclass
class RecomputeReport:
    communes: int = 0
    parents: int = 0
    values: int = 0


def indicators_for_year(year: int) -> list[Indicator]:
    sets = [s for s in CriteriaSet.objects.all() if s.applies_to(year)]
    return list(
        Indicator.objects.filter(criterion__criteria_set__in=sets).select_related(
            "criterion__criteria_set", "derived_from"
        )
    )


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


Row = tuple  # (unit_id, indicator_id, year, numerator, denominator, value, status,
#               threshold, source, computed_at)

UPSERT_PG = """
insert into monitor_indicatorvalue (unit_id, indicator_id, year, numerator, denominator,
    value, status, threshold, source, computed_at, note)
select u, i, y, n, d, v, s, t, src, at, '' from unnest(
    %s::bigint[], %s::bigint[], %s::int[], %s::numeric[], %s::numeric[], %s::numeric[],
    %s::text[], %s::numeric[], %s::text[], %s::timestamptz[]) as x(u, i, y, n, d, v, s, t, src, at)
on conflict (unit_id, indicator_id, year) do update set
    numerator = excluded.numerator, denominator = excluded.denominator, value = excluded.value,
    status = excluded.status, threshold = excluded.threshold, source = excluded.source,
    computed_at = excluded.computed_at"""


def _upsert(rows: list[Row]) -> None:
    """Bulk upsert. On PostgreSQL one `insert ... select from unnest(...)` per 5,000 rows
    (no model instances: at 16,000 values the ORM's per-object work cost more than the
    figure queries); elsewhere the ORM's bulk_create with update_conflicts."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for start in range(0, len(rows), 5000):
                cur.execute(
                    UPSERT_PG, [list(col) for col in zip(*rows[start : start + 5000], strict=True)]
                )
        return
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                unit_id=r[0],
                indicator_id=r[1],
                year=r[2],
                numerator=r[3],
                denominator=r[4],
                value=r[5],
                status=r[6],
                threshold=r[7],
                source=r[8],
                computed_at=r[9],
            )
            for r in rows
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["unit", "indicator", "year"],
        update_fields=UPDATE_FIELDS,
    )


def _dec(x) -> Decimal | None:
    return None if x is None else Decimal(x)


def _row(
    unit, indicator, year, numerator, denominator, value, status, threshold, source, now
) -> Row:
    return (
        unit.pk,
        indicator.pk,
        year,
        _dec(numerator),
        _dec(denominator),
        value,
        status,
        threshold.value if threshold else None,
        source,
        now,
    )


def _roll_up(*, parents, indicators, year, pick, classifier, now) -> int:
    """Parents' values from their communes' stored values (one read): computed indicators
    by their rule (sum, or Σ numerators / Σ denominators), derived ones by counting
    communes that meet an indicator or every indicator of a set. Only the communes in the
    New Rural programme that year count (queries/scope.py)."""
    base = [i for i in indicators if i.source != Source.DERIVED]
    # every commune under each parent, not only those just recomputed (one commune made
    # stale must not shrink its province to itself)
    children: dict[int, list[int]] = defaultdict(list)
    parent_ids = [p.pk for p in parents]
    kid_rows = list(
        AdminUnit.objects.filter(
            Q(parent__in=parent_ids) | Q(parent__parent__in=parent_ids), level=Level.COMMUNE
        ).values_list("pk", "parent_id", "parent__parent_id", "unit_type")
    )
    # only the units in the New Rural programme that year count (wards are out by default)
    counted = in_programme_ids(((k[0], k[3]) for k in kid_rows), year)
    all_kids = []
    for pk, parent_id, grand_id, _unit_type in kid_rows:
        if pk not in counted:
            continue
        all_kids.append(pk)
        for anc in (parent_id, grand_id):
            if anc is not None and anc in parent_ids:
                children[anc].append(pk)
    stored = {
        (u, i): (n, d, st)
        for u, i, n, d, st in IndicatorValue.objects.filter(
            unit__in=all_kids, year=year, indicator__in=indicators
        ).values_list("unit_id", "indicator_id", "numerator", "denominator", "status")
    }
    rows: list[Row] = []
    for p in parents:
        kids = children.get(p.pk, [])
        for ind in indicators:
            num: Decimal | int
            den: Decimal | int | None
            if ind.source == Source.COMPUTED:
                parts = [
                    stored[(k, ind.pk)]
                    for k in kids
                    if (k, ind.pk) in stored and stored[(k, ind.pk)][0] is not None
                ]
                if not parts:
                    continue
                num = sum((x[0] for x in parts if x[0] is not None), Decimal(0))  # all, as above
                dens = [x[1] for x in parts if x[1] is not None]
                den = None
                if ind.rollup_rule != RollupRule.SUM and len(dens) == len(parts):
                    den = sum(dens, Decimal(0))
            elif ind.source == Source.DERIVED and ind.derived_kind == "share_meeting":
                num = sum(
                    1
                    for k in kids
                    if stored.get((k, ind.derived_from_id), (None, None, ""))[2] == Status.MET
                )
                den = len(kids)
            elif ind.source == Source.DERIVED and ind.derived_kind == "count_meeting_all":
                required = [i.pk for i in base if i.criterion.criteria_set.code == ind.derived_set]
                num = sum(
                    1
                    for k in kids
                    if required
                    and all(stored.get((k, r), (None, None, ""))[2] == Status.MET for r in required)
                )
                den = None
            else:
                continue
            value = figure_value(ind, num, den)
            threshold = pick(ind, p)
            rows.append(
                _row(
                    p,
                    ind,
                    year,
                    num,
                    den,
                    value,
                    evaluate(ind, value, threshold),
                    threshold,
                    Source.DERIVED if ind.source == Source.DERIVED else Source.COMPUTED,
                    now,
                )
            )
    _upsert(rows)
    return len(rows)


@transaction.atomic
def roll_up_indicators(*, units, year: int) -> int:
    """Recompute only the parents of the communes within `units` from stored values."""
    communes = _expand_communes(list(units))
    indicators = indicators_for_year(year)
    if not communes or not indicators:
        return 0
    parents = _ancestors(communes)
    classifier = Classifier(communes + parents)
    index = ThresholdIndex(indicators)

    def pick(ind, unit):
        cls = classifier.classify(unit.pk, ind.criterion.criteria_set.scheme, year)
        return index.select(ind, year=year, classification=cls, province_code=unit.province_code)

    return _roll_up(
        parents=parents,
        indicators=indicators,
        year=year,
        pick=pick,
        classifier=classifier,
        now=timezone.now(),
    )


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
    figures = collect_figures(
        unit_ids=[c.pk for c in communes],
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
    )

    def pick(ind, unit):
        cls = classifier.classify(unit.pk, ind.criterion.criteria_set.scheme, year)
        return index.select(ind, year=year, classification=cls, province_code=unit.province_code)

    computed = [i for i in indicators if i.source == Source.COMPUTED]
    entered = [i for i in indicators if i.source == Source.ENTERED]
    # commune level: computed from figures; entered re-evaluated
    rows: list[Row] = []
    for c in communes:
        unit_figures = figures.get(c.pk, {})
        for ind in computed:
            fig = unit_figures.get(ind.figure_code)
            value = value_of_figure(ind, fig)
            threshold = pick(ind, c)
            rows.append(
                _row(
                    c,
                    ind,
                    year,
                    fig.numerator if fig else None,
                    fig.denominator if fig else None,
                    value,
                    evaluate(ind, value, threshold),
                    threshold,
                    Source.COMPUTED,
                    now,
                )
            )
    existing = IndicatorValue.objects.filter(unit__in=communes, year=year, indicator__in=entered)
    by_pk = {i.pk: i for i in entered}
    by_unit = {c.pk: c for c in communes}
    for v in existing:
        ind = by_pk[v.indicator_id]
        threshold = pick(ind, by_unit[v.unit_id])
        rows.append(
            (
                v.unit_id,
                ind.pk,
                year,
                v.numerator,
                v.denominator,
                v.value,
                evaluate(ind, v.value, threshold),
                threshold.value if threshold else None,
                Source.ENTERED,
                now,
            )
        )
    _upsert(rows)
    report.communes, report.values = len(communes), len(rows)
    report.parents = len(parents)
    report.values += _roll_up(
        parents=parents, indicators=indicators, year=year, pick=pick, classifier=classifier, now=now
    )
    return report
