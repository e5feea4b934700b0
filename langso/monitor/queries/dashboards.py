"""Reads behind the dashboards and reports. Visibility: `units_visible_to`,
`values_visible_to`, `assessments_visible_to` are the only doors."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core.exceptions import NotFound
from langso.core.figures import all_definitions
from langso.people.models import OFFICIAL_ROLES
from langso.people.permissions import unit_scope_q
from langso.places.models import AdminUnit, Level, Structure

from ..evaluation import missing_to_meet, threshold_for
from ..models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    Evidence,
    Indicator,
    IndicatorValue,
    SetKind,
    Source,
    Status,
)
from .history import ShownValue, shown_values
from .scope import in_programme

DEMO_COMMUNE_CODE = "05641"
STATUS_ORDER = [
    Status.NOT_MET,
    Status.NEEDS_REASSESSMENT,
    Status.NO_DATA,
    Status.BASICALLY_MET,
    Status.MET,
]


def units_visible_to(user) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(unit_scope_q(user, "self", OFFICIAL_ROLES))


def values_visible_to(user) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(unit_scope_q(user, "unit", OFFICIAL_ROLES)).select_related(
        "unit", "indicator__criterion__criteria_set"
    )


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(unit_scope_q(user, "unit", OFFICIAL_ROLES)).select_related(
        "unit", "criteria_set"
    )


def default_commune_for(user) -> AdminUnit:
    communes = units_visible_to(user).filter(level=Level.COMMUNE, structure=Structure.Y2025)
    unit = communes.filter(code=DEMO_COMMUNE_CODE).first() or communes.order_by("code").first()
    if unit is None:
        raise NotFound("Bạn chưa được phân công theo dõi xã nào.")
    return unit


def default_province_for(user) -> AdminUnit:
    provinces = units_visible_to(user).filter(level=Level.PROVINCE, structure=Structure.Y2025)
    unit = provinces.order_by("code").first()
    if unit is None:
        raise NotFound("Bạn chưa được phân công theo dõi tỉnh nào.")
    return unit


def get_unit_for(user, *, code: str, level: str, structure: str = Structure.Y2025) -> AdminUnit:
    unit = (
        units_visible_to(user)
        .filter(code=code, level=level, structure=structure)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền xem.")
    return unit


def set_for_year(year: int) -> CriteriaSet | None:
    """The New Rural commune set in force in `year` (rankings, maps and targets use it)."""
    return (
        CriteriaSet.objects.filter(
            is_programme=False, kind=SetKind.STANDARD, year_from__lte=year, year_to__gte=year
        )
        .order_by("-year_from")
        .first()
    )


def sets_for_year(year: int) -> list[CriteriaSet]:
    """Every set a commune can be assessed against in `year`: the standard set first, then
    the smart New Rural commune pilot."""
    others = CriteriaSet.objects.filter(
        is_programme=False, year_from__lte=year, year_to__gte=year
    ).exclude(kind=SetKind.STANDARD)
    standard = set_for_year(year)
    return ([standard] if standard else []) + list(others.order_by("-year_from", "code"))


def worst(statuses) -> str:
    statuses = list(statuses)
    if not statuses:
        return Status.NO_DATA
    return min(statuses, key=STATUS_ORDER.index)


@dataclass
class CriterionRow:
    criterion: Criterion
    status: str
    indicators: list[ShownValue] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class CommuneOverview:
    unit: AdminUnit
    criteria_set: CriteriaSet
    year: int
    rows: list[CriterionRow]
    met: int
    total: int
    trend: list[tuple[int, int]]  # (year, criteria met)
    assessment: Assessment | None


def _criterion_rows(cset: CriteriaSet, shown: dict, year: int) -> list[CriterionRow]:
    rows = []
    for criterion in cset.criteria.all():
        items = [shown[(i.pk, year)] for i in criterion.indicators.all()]
        row = CriterionRow(criterion, worst(s.status for s in items), items)
        for s in items:
            gap = missing_to_meet(s.indicator, s.value, s.threshold)
            if s.status == Status.NO_DATA and s.value is not None and s.threshold is None:
                row.missing.append(
                    _("%(n)s: chưa có ngưỡng đánh giá (cần xác nhận theo văn bản)")
                    % {"n": s.indicator.number}
                )
            elif s.status == Status.NO_DATA:
                row.missing.append(_("%(n)s: chưa có số liệu") % {"n": s.indicator.number})
            elif s.status == Status.NEEDS_REASSESSMENT:
                row.missing.append(
                    _("%(n)s: cần đánh giá lại sau sáp nhập") % {"n": s.indicator.number}
                )
            elif gap is not None:
                row.missing.append(
                    _("%(n)s: còn thiếu %(gap)s so với ngưỡng %(t)s")
                    % {"n": s.indicator.number, "gap": gap, "t": s.threshold}
                )
        rows.append(row)
    return rows


def commune_overview(
    unit: AdminUnit, *, year: int, criteria_set: CriteriaSet | None = None
) -> CommuneOverview | None:
    cset = criteria_set or set_for_year(year)
    if cset is None:
        return None
    cset = CriteriaSet.objects.prefetch_related("criteria__indicators").get(pk=cset.pk)
    indicators = [i for c in cset.criteria.all() for i in c.indicators.all()]
    for i in indicators:  # avoid one query per indicator for the set's scheme
        i.criterion.criteria_set = cset
    years = list(range(cset.year_from, min(cset.year_to, max(year, cset.year_from)) + 1))
    shown = shown_values(unit, indicators, years)
    rows = _criterion_rows(cset, shown, year)
    trend = []
    for y in years:
        statuses = [
            worst(shown[(i.pk, y)].status for i in c.indicators.all()) for c in cset.criteria.all()
        ]
        trend.append((y, sum(1 for s in statuses if s == Status.MET)))
    assessment = Assessment.objects.filter(unit=unit, criteria_set=cset, year=year).first()
    return CommuneOverview(
        unit,
        cset,
        year,
        rows,
        sum(1 for r in rows if r.status == Status.MET),
        len(rows),
        trend,
        assessment,
    )


@dataclass
class CommuneRank:
    unit: AdminUnit
    met: int
    total: int
    rank: int = 0


def province_ranking(
    province: AdminUnit, *, year: int, criteria_set: CriteriaSet | None = None
) -> list[CommuneRank]:
    """Communes of a province in the New Rural programme that year (wards are out unless the
    province included them), by number of criteria met (own values; one query)."""
    cset = criteria_set or set_for_year(year)
    communes = in_programme(
        AdminUnit.objects.filter(parent=province, level=Level.COMMUNE).order_by("name"), year
    )
    if cset is None:
        return [CommuneRank(c, 0, 0) for c in communes]
    criteria = list(cset.criteria.prefetch_related("indicators"))
    statuses = dict(
        ((v[0], v[1]), v[2])
        for v in IndicatorValue.objects.filter(
            unit__in=communes, year=year, indicator__criterion__criteria_set=cset
        ).values_list("unit_id", "indicator_id", "status")
    )
    ranks = []
    for c in communes:
        met = 0
        for criterion in criteria:
            ids = [i.pk for i in criterion.indicators.all()]
            if ids and all(statuses.get((c.pk, i)) == Status.MET for i in ids):
                met += 1
        ranks.append(CommuneRank(c, met, len(criteria)))
    ranks.sort(key=lambda r: (-r.met, r.unit.name))
    for n, r in enumerate(ranks, start=1):
        r.rank = n
    return ranks


@dataclass
class HowComputed:
    value: IndicatorValue
    definition: object | None
    threshold_decision: str
    children: list[IndicatorValue]


def how_computed(user, value_id: int) -> HowComputed:
    value = values_visible_to(user).filter(pk=value_id).prefetch_related("evidence").first()
    if value is None:
        raise NotFound("Không tìm thấy số liệu hoặc bạn không có quyền xem.")
    ind = value.indicator
    definition = all_definitions().get(ind.figure_code) if ind.figure_code else None
    threshold = threshold_for(ind, value.unit, value.year)
    children: list[IndicatorValue] = []
    if value.source == Source.DERIVED and ind.derived_from_id:
        rows = (
            IndicatorValue.objects.filter(
                indicator_id=ind.derived_from_id, year=value.year, unit__parent=value.unit
            )
            .select_related("unit")
            .order_by("unit__name")
        )
        counted = {u.pk for u in in_programme([r.unit for r in rows], value.year)}
        children = [r for r in rows if r.unit_id in counted]
    return HowComputed(value, definition, threshold.decision if threshold else "", children)


@dataclass(frozen=True)
class UnmetCriterion:
    number: str
    name: str
    status: str

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name} ({Status(self.status).label})"

    def as_data(self) -> dict:
        return {"number": self.number, "name": self.name, "status": self.status}


def unmet_criteria(assessment: Assessment) -> list[UnmetCriterion]:
    """The criteria of the assessment's set that the commune does not meet in its year, as
    the dashboard shows them (own values, or values carried from the pre-merger communes):
    anything but "met" (basically met, not met, no data, to re-assess) counts as unmet."""
    overview = commune_overview(
        assessment.unit, year=assessment.year, criteria_set=assessment.criteria_set
    )
    return unmet_in(overview) if overview is not None else []


def unmet_in(overview: CommuneOverview) -> list[UnmetCriterion]:
    return [
        UnmetCriterion(r.criterion.number, r.criterion.name, r.status)
        for r in overview.rows
        if r.status != Status.MET
    ]


def pending_assessments(user, province: AdminUnit) -> QuerySet[Assessment]:
    """Assessments of the province's communes waiting for the province (sent or appraised)."""
    return (
        assessments_visible_to(user)
        .filter(
            unit__province_code=province.province_code,
            unit__structure=province.structure,
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED],
        )
        .order_by("updated_at")
    )


def data_changed_since(assessment: Assessment) -> list[str]:
    """Indicator codes whose live value or status differs from the recognised snapshot."""
    if not assessment.snapshot:
        return []
    live = {
        v.indicator.code: v
        for v in IndicatorValue.objects.filter(
            unit=assessment.unit,
            year=assessment.year,
            indicator__criterion__criteria_set=assessment.criteria_set,
        ).select_related("indicator")
    }
    changed = []
    for code, snap in assessment.snapshot.items():
        v = live.get(code)
        now_value = str(v.value) if v and v.value is not None else None
        if v is None or now_value != snap["value"] or v.status != snap["status"]:
            changed.append(code)
    changed += [c for c in live if c not in assessment.snapshot]
    return sorted(changed)


def current_year() -> int:
    return timezone.localdate().year


def indicators_of(cset: CriteriaSet) -> list[Indicator]:
    return list(
        Indicator.objects.filter(criterion__criteria_set=cset).select_related(
            "criterion__criteria_set"
        )
    )


def year_default(today: date | None = None) -> int:
    return (today or timezone.localdate()).year


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence files attached to values `user` may see."""
    return Evidence.objects.filter(value__in=values_visible_to(user))


def entered_indicators() -> QuerySet[Indicator]:
    """Indicators whose values are entered by hand (not computed from other apps)."""
    return Indicator.objects.select_related("criterion__criteria_set").filter(source=Source.ENTERED)


def value_of(unit: AdminUnit, indicator: Indicator, year: int) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(unit=unit, indicator=indicator, year=year).first()


def criteria_sets() -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.all()
