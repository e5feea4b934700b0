"""Administrative units: public reference data, no authentication."""

from django.utils.translation import gettext as _
from ninja import Router

from langso.core.exceptions import NotFound
from langso.core.schemas import ErrorOut

from . import queries
from .models import AdminUnit, Level, Structure
from .schemas import HamletOut, SuccessionOut, UnitOut

router = Router(tags=["places"])
MAX_LIMIT = 100


def unit_out(unit: AdminUnit) -> dict:
    parent = unit.parent
    return {
        "key": unit.key,
        "structure": unit.structure,
        "level": unit.level,
        "code": unit.code,
        "name": unit.name,
        "full_name": queries.full_name(unit),
        "short_name": unit.short_name,
        "unit_type": unit.unit_type,
        "province_code": unit.province_code,
        "parent": {"key": parent.key, "code": parent.code, "name": parent.name} if parent else None,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def _unit(structure: str, level: str, code: str) -> AdminUnit:
    if structure not in Structure.values or level not in Level.values:
        raise NotFound(_("Không tìm thấy đơn vị hành chính."))
    try:
        return queries.unit_with_ancestors(structure, level, code)
    except AdminUnit.DoesNotExist as exc:
        raise NotFound(_("Không tìm thấy đơn vị hành chính.")) from exc


@router.get("/units", response=list[UnitOut])
def search(
    request, q: str, structure: str | None = None, level: str | None = None, limit: int = 20
):
    """Search by name with or without diacritics ('tuc tranh') or by code."""
    units = queries.search_units(
        q[:100],
        structure=structure or None,
        level=level or None,
        limit=max(1, min(limit, MAX_LIMIT)),
    )
    return [unit_out(u) for u in units]


@router.get("/units/{structure}/{level}/{code}", response={200: UnitOut, 404: ErrorOut})
def get_unit(request, structure: str, level: str, code: str):
    return unit_out(_unit(structure, level, code))


def _successions(rows, attr: str) -> list[dict]:
    return [
        {
            "unit": unit_out(getattr(r, attr)),
            "is_primary": r.is_primary,
            "effective_date": r.effective_date,
        }
        for r in rows
    ]


@router.get(
    "/units/{structure}/{level}/{code}/successors",
    response={200: list[SuccessionOut], 404: ErrorOut},
)
def successors(request, structure: str, level: str, code: str):
    """The 2025 communes a legacy commune became (part of); empty for 2025 units."""
    unit = _unit(structure, level, code)
    rows = queries.successions_from(unit)
    return _successions(rows, "successor")


@router.get(
    "/units/{structure}/{level}/{code}/predecessors",
    response={200: list[SuccessionOut], 404: ErrorOut},
)
def predecessors(request, structure: str, level: str, code: str):
    """The legacy communes merged (wholly or partly) into a 2025 commune."""
    unit = _unit(structure, level, code)
    rows = queries.successions_into(unit)
    return _successions(rows, "legacy")


@router.get("/communes/{code}/hamlets", response={200: list[HamletOut], 404: ErrorOut})
def hamlets(request, code: str):
    """Hamlets (thôn, xóm, tổ dân phố) of a 2025 commune."""
    commune = _unit(Structure.Y2025, Level.COMMUNE, code)
    return [
        {
            "code": h.code,
            "name": h.name,
            "kind": h.kind,
            "latitude": h.latitude,
            "longitude": h.longitude,
        }
        for h in queries.list_hamlets(commune)
    ]
