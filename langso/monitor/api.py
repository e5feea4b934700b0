"""Machine interface: DHIS2 metadata export, dataValueSets export/import."""

from typing import Literal

from django.db.models import Q
from ninja import Router
from ninja.security import django_auth

from langso.core import audit
from langso.core.exceptions import NotFound
from langso.core.models import AuditAction
from langso.places.models import AdminUnit

from . import interchange, queries
from .interchange import identifiers as ids

router = Router(tags=["monitor"], auth=django_auth)


def _unit(user, key: str) -> AdminUnit:
    """The unit named by its key ("2025:province:19") or by the DHIS2 UID handed out for
    it, if the user may see it."""
    if ids.is_uid(key):
        key = ids.keys_for_uids(ids.ORG_UNIT, [key]).get(key, key)
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
def export_values(
    request,
    orgUnit: str,
    period: int | None = None,
    children: bool = False,
    idScheme: Literal["UID", "CODE"] = "UID",
):
    """Indicator values as a DHIS2 dataValueSet (period = year; orgUnit = a unit key or the
    DHIS2 UID of `/metadata`). Identifiers are DHIS2 UIDs, or our codes with
    idScheme=CODE."""
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
    return interchange.export_data_value_set(values, id_scheme=idScheme)


@router.get("/metadata", url_name="monitor_dhis2_metadata")
def export_metadata(request, orgUnit: str, dataSet: str | None = None):
    """DHIS2 metadata (the `/api/metadata` import shape) for the unit, its ancestors and
    two levels below it: org unit levels and units, the default category model, data
    elements and one yearly data set per criteria set (`dataSet` = a set code to pick
    one)."""
    unit = _unit(request.user, orgUnit)
    sets = queries.criteria_sets()
    if dataSet:
        sets = sets.filter(code=dataSet)
        if not sets.exists():
            raise NotFound("Không có bộ tiêu chí mang mã này.")
    audit.record(
        actor=request.user, action=AuditAction.EXPORT, target=unit, purpose="DHIS2 metadata export"
    )
    return interchange.metadata_package(unit=unit, criteria_sets=sets)


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
