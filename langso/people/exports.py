"""Export of a commune's households and residents to Excel, in the import layout.

Citizen IDs are masked unless the user may see them in full; every export is
audit-logged (EXPORT, with the counts and whether IDs were in full).
"""

import io

from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied
from langso.core.exports import safe_row
from langso.core.models import AuditAction

from .citizen_id import mask_citizen_id
from .models import PERSONAL_DATA_ROLES, Relation, Sex
from .permissions import holds_role
from .queries import FULL_ID_ROLES, residents_visible_to
from .sheets import new_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEX_LABELS = {Sex.MALE.value: "Nam", Sex.FEMALE.value: "Nữ"}
RELATION_LABELS = {
    Relation.HEAD.value: "Chủ hộ",
    Relation.SPOUSE.value: "Vợ/chồng",
    Relation.CHILD.value: "Con",
    Relation.PARENT.value: "Bố/mẹ",
    Relation.GRANDCHILD.value: "Cháu",
    Relation.SIBLING.value: "Anh/chị/em",
    Relation.OTHER.value: "Khác",
}


def export_population(*, user, commune) -> tuple[bytes, int]:
    """The .xlsx bytes of `commune`'s residents (one row each) and the row count."""
    if not holds_role(user, PERSONAL_DATA_ROLES, commune):
        audit.record_refusal(actor=user, target=commune, purpose="export")
        raise PermissionDenied(_("Bạn không có quyền xuất dữ liệu dân cư của đơn vị này."))
    full_ids = holds_role(user, FULL_ID_ROLES, commune)
    rows = (
        residents_visible_to(user)
        .filter(commune=commune)
        .order_by("household__code", "id")
        .values_list(
            "household__code",
            "household__hamlet__name",
            "household__address_line",
            "household__latitude",
            "household__longitude",
            "full_name",
            "sex",
            "date_of_birth",
            "citizen_id",
            "phone",
            "relation_to_head",
        )
    )
    wb, ws = new_workbook(write_only=True)
    count = 0
    households = set()
    for code, hamlet, address, lat, lon, name, sex, dob, cid, phone, relation in rows.iterator(
        chunk_size=5000
    ):
        ws.append(
            safe_row(
                [
                    code,
                    hamlet or "",
                    address,
                    lat,
                    lon,
                    name,
                    SEX_LABELS.get(sex, sex),
                    dob.strftime("%d/%m/%Y"),
                    (cid or "") if full_ids else mask_citizen_id(cid),
                    phone,
                    RELATION_LABELS.get(relation, relation),
                ]
            )
        )
        households.add(code)
        count += 1
    out = io.BytesIO()
    wb.save(out)
    audit.record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="people.Resident",
        object_repr=_("Xuất %(count)s nhân khẩu") % {"count": count},
        unit=commune,
        fields={
            "residents": count,
            "households": len(households),
            "citizen_id": "full" if full_ids else "masked",
        },
        purpose="export",
    )
    return out.getvalue(), count


def export_filename(commune) -> str:
    return f"dan-cu-{commune.code}.xlsx"
