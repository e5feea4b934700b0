"""People API (session auth): households and residents within the caller's scope. Citizen
IDs are masked except through the logged reveal endpoint."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from langso.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from langso.core.schemas import ErrorOut

from . import actions, queries
from .exceptions import ImportRejected
from .exports import XLSX, export_filename, export_population
from .forms import MAX_IMPORT_BYTES
from .imports import ImportMode
from .schemas import (
    HouseholdDetail,
    HouseholdPage,
    ImportRejectedOut,
    ImportReportOut,
    ResidentOut,
    RevealIn,
)

router = Router(tags=["people"], auth=django_auth)
MAX_LIMIT = 200


class HouseholdFilter(Schema):
    q: str = ""
    commune: str | None = None
    hamlet: int | None = None
    limit: int = 50
    offset: int = 0


def _household_out(hh, member_count: int) -> dict:
    return {
        "id": hh.pk,
        "code": hh.code,
        "commune_code": hh.commune.code,
        "commune_name": hh.commune.name,
        "hamlet": str(hh.hamlet) if hh.hamlet else None,
        "address_line": hh.address_line,
        "head_name": hh.head.full_name if hh.head_id else None,
        "member_count": member_count,
        "latitude": hh.latitude,
        "longitude": hh.longitude,
    }


def _resident_out(r, *, full: bool = False) -> dict:
    return {
        "id": r.pk,
        "household_id": r.household_id,
        "household_code": r.household.code,
        "full_name": r.full_name,
        "sex": r.sex,
        "date_of_birth": r.date_of_birth,
        "relation_to_head": r.relation_to_head,
        "phone": r.phone,
        "citizen_id_masked": r.masked_citizen_id,
        "citizen_id": r.citizen_id if full else None,
    }


def _visible_commune(user, code: str):
    commune = queries.communes_visible_to(user).filter(code=code).first()
    if commune is None:
        raise NotFound(_("Không tìm thấy xã."))
    return commune


@router.get("/households", response=HouseholdPage)
def list_households(request, filters: Query[HouseholdFilter]):
    commune = _visible_commune(request.user, filters.commune) if filters.commune else None
    qs = queries.list_households(
        request.user, text=filters.q[:100], hamlet_id=filters.hamlet, commune=commune
    )
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, min(filters.offset, 10**9))
    return {
        "count": qs.count(),
        "items": [
            _household_out(hh, hh.member_count)  # type: ignore[attr-defined]
            for hh in qs[offset : offset + limit]
        ],
    }


@router.get("/households/{household_id}", response={200: HouseholdDetail, 404: ErrorOut})
def household_detail(request, household_id: int):
    household = queries.get_household_for(request.user, household_id)
    members = list(household.members.select_related("household").order_by("id"))
    return {
        **_household_out(household, len(members)),
        "members": [_resident_out(m) for m in members],
    }


@router.get("/residents/{resident_id}", response={200: ResidentOut, 404: ErrorOut})
def resident_detail(request, resident_id: int):
    resident = queries.residents_visible_to(request.user).filter(pk=resident_id).first()
    if resident is None:
        raise NotFound(_("Không tìm thấy nhân khẩu."))
    return _resident_out(resident)


@router.post(
    "/residents/{resident_id}/reveal",
    response={200: ResidentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def reveal_resident(request, resident_id: int, payload: RevealIn):
    purpose = payload.purpose.strip()
    if not purpose:
        raise ValidationFailed(
            _("Cần ghi mục đích xem số CCCD đầy đủ."), code="people.purpose_required"
        )
    resident = queries.reveal_resident(user=request.user, resident_id=resident_id, purpose=purpose)
    return _resident_out(resident, full=True)


@router.post(
    "/imports",
    response={
        201: ImportReportOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ImportRejectedOut | ErrorOut,
    },
)
def import_population(
    request,
    file: File[UploadedFile],
    commune: Form[str],
    mode: Form[str] = ImportMode.ALL_OR_NOTHING,
):
    if (file.size or 0) > MAX_IMPORT_BYTES:
        raise ValidationFailed(
            _("Tệp lớn quá 50 MB; hãy chia thành nhiều tệp."), code="people.import_too_large"
        )
    unit = queries.communes_editable_by(request.user).filter(code=commune).first()
    if unit is None:
        if queries.communes_visible_to(request.user).filter(code=commune).exists():
            raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu dân cư của đơn vị này."))
        raise NotFound(_("Không tìm thấy xã."))
    try:
        report = actions.import_population(
            actor=request.user, commune=unit, file=file, mode=mode, filename=file.name
        )
    except ImportRejected as exc:
        return Status(
            422, {"code": exc.code, "detail": exc.message, "report": exc.report.as_dict()}
        )
    return Status(201, report.as_dict())


@router.get("/export", response={200: None, 403: ErrorOut, 404: ErrorOut})
def export(request, commune: str):
    unit = _visible_commune(request.user, commune)
    data, _count = export_population(user=request.user, commune=unit)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(unit)}"'
    response["Cache-Control"] = "no-store"
    return response
