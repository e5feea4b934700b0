"""Machine interface: DHIS2 dataValueSets export/import, recompute trigger."""

from django.db.models import Q
from ninja import Router
from ninja.security import django_auth

from langso.core import audit
from langso.core.exceptions import NotFound
from langso.core.models import AuditAction
from langso.places.models import AdminUnit

from . import interchange, queries

router = Router(tags=["monitor"], auth=django_auth)


def _unit(user, key: str) -> AdminUnit:
    parts = key.split(":")
    unit = None
    if len(parts) == 3:
        unit = (
            queries.units_visible_to(user)
            .filter(structure=parts[0], level=parts[1], code=parts[2])
            .first()
        )
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền xem.")
    return unit


@router.get("/dataValueSets", url_name="monitor_dhis2_export")
def export_values(request, orgUnit: str, period: int | None = None, children: bool = False):
    """Indicator values as a DHIS2 dataValueSet (period = year, orgUnit = unit key)."""
    unit = _unit(request.user, orgUnit)
    scope = Q(unit=unit)
    if children:
        scope |= Q(unit__parent=unit) | Q(unit__parent__parent=unit)
    values = queries.values_visible_to(request.user).filter(scope)
    if period:
        values = values.filter(year=period)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=unit,
        purpose="DHIS2 dataValueSets export",
    )
    return interchange.export_data_value_set(values)


@router.post("/dataValueSets", response={200: dict, 409: dict}, url_name="monitor_dhis2_import")
def import_values(request):
    """Import a DHIS2 dataValueSet; all-or-nothing; 409 with the conflicts if any."""
    import json

    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = None
    summary = interchange.import_data_value_set(actor=request.user, payload=payload)
    return (409 if summary["conflicts"] else 200), summary
