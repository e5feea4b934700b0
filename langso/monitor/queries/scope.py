"""Which units the New Rural programme covers, year by year.

The programme is for rural communes. Since 1 July 2025 a province counts communes (xã),
wards (phường) and special zones (đặc khu) side by side; wards and special zones are not
assessed against the New Rural criteria, and neither were the legacy townships (thị trấn).
So by default a unit is in the programme when its type is "Xã" and out otherwise; the
province may decide otherwise for any unit (a ward keeping a rural area, a commune being
urbanised), recorded as `ProgrammeMembership` rows with a validity in years. For a year the
latest decision whose years cover it wins; with none, the default applies.

Rankings, maps, province figures and target percentages count only the units in the
programme (their denominators follow), through `in_programme`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from langso.core.text import fold
from langso.places.models import AdminUnit, Level

from ..models import ProgrammeMembership

RURAL_UNIT_TYPES = frozenset({"xa"})  # folded unit_type of the units in by default


def included_by_default(unit_type: str) -> bool:
    return fold(unit_type) in RURAL_UNIT_TYPES


def decisions_for(unit_ids: Iterable[int], year: int) -> dict[int, bool]:
    """{unit id: included} for the units the province decided on for `year`."""
    rows = (
        ProgrammeMembership.objects.filter(unit_id__in=list(unit_ids), year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("unit_id", "year_from")
        .values_list("unit_id", "included")
    )
    return dict(rows)  # a later year_from overwrites an earlier one


def in_programme_ids(units: Iterable[tuple[int, str]], year: int) -> set[int]:
    """Ids of the units in the programme in `year`, from (id, unit_type) pairs."""
    pairs = list(units)
    decided = decisions_for((pk for pk, _ in pairs), year)
    return {pk for pk, unit_type in pairs if decided.get(pk, included_by_default(unit_type))}


def in_programme(units: Iterable[AdminUnit], year: int) -> list[AdminUnit]:
    """The units (in the given order) that are in the programme in `year`."""
    units = list(units)
    keep = in_programme_ids(((u.pk, u.unit_type) for u in units), year)
    return [u for u in units if u.pk in keep]


@dataclass
class ScopeRow:
    unit: AdminUnit
    default: bool
    included: bool
    decision: ProgrammeMembership | None  # the one that applies in the year, if any
    history: list[ProgrammeMembership]


def programme_scope(province: AdminUnit, *, year: int) -> list[ScopeRow]:
    """Every commune-level unit of `province` with its standing in `year` (the scope page)."""
    units = list(
        AdminUnit.objects.filter(parent=province, level=Level.COMMUNE).order_by("unit_type", "name")
    )
    history: dict[int, list[ProgrammeMembership]] = {}
    for m in ProgrammeMembership.objects.filter(unit__in=units).select_related("decided_by"):
        history.setdefault(m.unit_id, []).append(m)
    rows = []
    for u in units:
        own = sorted(history.get(u.pk, []), key=lambda m: m.year_from)
        applies = [m for m in own if m.covers(year)]
        decision = applies[-1] if applies else None
        default = included_by_default(u.unit_type)
        rows.append(ScopeRow(u, default, decision.included if decision else default, decision, own))
    return rows


def commune_in_province(province: AdminUnit, code: str) -> AdminUnit | None:
    """The commune directly under `province` with `code`, or None."""
    return AdminUnit.objects.filter(parent=province, level=Level.COMMUNE, code=code).first()
