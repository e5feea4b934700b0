"""Writes on the procedures catalogue and the holiday calendar."""

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import PermissionDenied
from langso.core.models import AuditAction
from langso.core.text import fold
from langso.core.validation import validate

from ..exceptions import ProcedureNotFound
from ..models import Holiday, Procedure
from ..permissions import can_work_desk
from ..working_time import vietnam_holidays

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "data" / "procedures.json"
PROCEDURE_FIELDS = (
    "code",
    "name",
    "field",
    "required_documents",
    "fee",
    "fee_note",
    "processing_time",
    "time_unit",
    "online_level",
    "legal_basis",
    "is_active",
)


def procedure_search_key(procedure: Procedure) -> str:
    return fold(f"{procedure.code} {procedure.name} {procedure.get_field_display()}")[:400]


@transaction.atomic
def save_procedure(*, actor, commune, procedure_id: int | None = None, **values) -> Procedure:
    """Create or edit a procedure of `commune` (desk officials of that commune)."""
    if not can_work_desk(actor, commune):
        raise PermissionDenied(_("Bạn không có quyền sửa danh mục thủ tục của xã này."))
    procedure: Procedure | None
    if procedure_id is None:
        procedure = Procedure(commune=commune)
        changed = list(PROCEDURE_FIELDS)
    else:
        procedure = Procedure.objects.filter(pk=procedure_id, commune=commune).first()
        if procedure is None:
            raise ProcedureNotFound(_("Không tìm thấy thủ tục."))
        changed = [
            k for k in PROCEDURE_FIELDS if k in values and getattr(procedure, k) != values[k]
        ]
    for key in PROCEDURE_FIELDS:
        if key in values:
            setattr(procedure, key, values[key])
    procedure.search_key = procedure_search_key(procedure)
    validate(procedure, code="procedures.invalid_procedure")
    if procedure.pk is None:
        procedure.save()
    else:
        procedure.save(update_fields=[*changed, "search_key", "updated_at"])
    audit.record_change(
        actor=actor,
        action=AuditAction.CREATE if procedure_id is None else AuditAction.UPDATE,
        target=procedure,
        changed=changed,
    )
    return procedure


def catalogue_entries(path: Path | None = None) -> list[dict]:
    with open(path or CATALOGUE_FILE, encoding="utf-8") as fh:
        return json.load(fh)["procedures"]


@transaction.atomic
def load_catalogue(*, commune, path: Path | None = None) -> tuple[int, int]:
    """Load the seed catalogue into `commune`; existing codes are updated. Returns
    (created, updated). Used by the demo and `manage.py load_procedures`."""
    created = updated = 0
    for entry in catalogue_entries(path):
        values = {k: entry[k] for k in PROCEDURE_FIELDS if k in entry and k != "code"}
        if isinstance(values.get("required_documents"), list):
            values["required_documents"] = "\n".join(values["required_documents"])
        procedure = Procedure.objects.filter(commune=commune, code=entry["code"]).first()
        if procedure is None:
            procedure = Procedure(commune=commune, code=entry["code"])
            created += 1
        else:
            updated += 1
        for key, value in values.items():
            setattr(procedure, key, value)
        procedure.search_key = procedure_search_key(procedure)
        validate(procedure)
        procedure.save()
    return created, updated


@transaction.atomic
def seed_holidays(*, years) -> int:
    """Add Vietnam's public holidays of `years` (from the `holidays` package) to the
    calendar; dates already present (maybe edited by an administrator) are kept."""
    existing = set(Holiday.objects.values_list("date", flat=True))
    rows = [
        Holiday(date=day, name=name[:120], kind=kind)
        for day, name, kind in vietnam_holidays(years)
        if day not in existing
    ]
    unique = {row.date: row for row in rows}
    Holiday.objects.bulk_create(unique.values())
    return len(unique)
