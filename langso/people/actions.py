"""Writes of households, residents and roles. Each action checks the actor's scope, validates,
saves in one transaction and writes the audit log."""

from datetime import date
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from langso.core.models import AuditAction
from langso.core.uploads import SHEETS, check_upload
from langso.core.validation import validate

from .exceptions import ImportRejected
from .forms import MAX_IMPORT_BYTES
from .imports import (
    ImportMode,
    ImportReport,
    check_rows,
    collector_paused,
    parse_row,
    write_households,
)
from .models import Household, Relation, Resident, Role, RoleAssignment, User
from .permissions import forget_scope, holds_role
from .search_keys import household_search_key, resident_search_key
from .sheets import SheetError, read_rows

HOUSEHOLD_EDITORS = {Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL}


def _check_can_edit(actor, commune) -> None:
    if actor is not None and not holds_role(actor, HOUSEHOLD_EDITORS, commune):
        raise PermissionDenied("Bạn không có quyền sửa dữ liệu dân cư của đơn vị này.")


@transaction.atomic
def create_household(
    *,
    actor,
    commune,
    code: str,
    hamlet=None,
    address_line: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Household:
    _check_can_edit(actor, commune)
    household = Household(
        commune=commune,
        province_code=commune.province_code,
        code=code,
        hamlet=hamlet,
        address_line=address_line,
        latitude=latitude,
        longitude=longitude,
    )
    household.search_key = household_search_key(household.code, household.address_line)
    validate(household, exclude=["head"])
    household.save()
    audit.record_change(
        actor=actor,
        action=AuditAction.CREATE,
        target=household,
        changed=["code", "hamlet", "address_line", "latitude", "longitude"],
    )
    return household


@transaction.atomic
def add_resident(
    *,
    actor,
    household: Household,
    full_name: str,
    sex: str,
    date_of_birth: date,
    citizen_id: str | None = None,
    phone: str = "",
    relation_to_head: str = Relation.OTHER,
) -> Resident:
    _check_can_edit(actor, household.commune)
    resident = Resident(
        household=household,
        commune_id=household.commune_id,
        province_code=household.province_code,
        full_name=full_name.strip(),
        sex=sex,
        date_of_birth=date_of_birth,
        citizen_id=citizen_id or None,
        phone=phone,
        relation_to_head=relation_to_head,
        search_key=resident_search_key(full_name),
    )
    validate(resident)
    resident.save()
    if relation_to_head == Relation.HEAD:
        household.head = resident
        household.search_key = household_search_key(
            household.code, household.address_line, resident.full_name
        )
        household.save(update_fields=["head", "search_key", "updated_at"])
    audit.record_change(
        actor=actor,
        action=AuditAction.CREATE,
        target=resident,
        changed=["full_name", "sex", "date_of_birth", "citizen_id", "phone"],
    )
    return resident


RESIDENT_EDITABLE = {"full_name", "sex", "date_of_birth", "citizen_id", "phone", "relation_to_head"}


@transaction.atomic
def update_resident(*, actor, resident: Resident, **changes) -> Resident:
    _check_can_edit(actor, resident.commune)
    unknown = set(changes) - RESIDENT_EDITABLE
    if unknown:
        raise ValidationFailed(f"Không sửa được trường: {', '.join(sorted(unknown))}")
    changed = [k for k, v in changes.items() if getattr(resident, k) != v]
    for key in changed:
        setattr(resident, key, changes[key])
    if "full_name" in changed:
        resident.search_key = resident_search_key(resident.full_name)
        changed.append("search_key")
    validate(resident)
    if changed:
        resident.save(update_fields=[*changed, "updated_at"])
        audit.record_change(
            actor=actor, action=AuditAction.UPDATE, target=resident, changed=changed
        )
    return resident


HOUSEHOLD_EDITABLE = {"code", "hamlet", "address_line", "latitude", "longitude"}


@transaction.atomic
def update_household(*, actor, household: Household, **changes) -> Household:
    _check_can_edit(actor, household.commune)
    unknown = set(changes) - HOUSEHOLD_EDITABLE
    if unknown:
        raise ValidationFailed(f"Không sửa được trường: {', '.join(sorted(unknown))}")
    hamlet = changes.get("hamlet")
    if hamlet is not None and hamlet.commune_id != household.commune_id:
        raise ValidationFailed(_("Thôn/xóm không thuộc xã của hộ."), code="people.hamlet_outside")
    changed = [k for k, v in changes.items() if getattr(household, k) != v]
    for key in changed:
        setattr(household, key, changes[key])
    if changed:
        household.search_key = household_search_key(
            household.code,
            household.address_line,
            household.head.full_name if household.head is not None else "",
        )
        validate(household)
        household.save(update_fields=[*changed, "search_key", "updated_at"])
        audit.record_change(
            actor=actor, action=AuditAction.UPDATE, target=household, changed=changed
        )
    return household


@transaction.atomic
def delete_household(*, actor, household: Household) -> None:
    _check_can_edit(actor, household.commune)
    audit.record_change(actor=actor, action=AuditAction.DELETE, target=household)
    household.delete()


def _check_can_assign(actor, unit) -> None:
    if actor is not None and not (
        actor.is_superuser or holds_role(actor, {Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER}, unit)
    ):
        raise PermissionDenied("Bạn không có quyền phân quyền tại đơn vị này.")


@transaction.atomic
def assign_role(
    *, actor, user: User, role: str, unit, household=None, title: str = "", granted_by: str = ""
) -> RoleAssignment:
    """Give `user` the role on `unit` (kept as it is if already held). `actor` None: the
    system (single sign-on), which says where the role came from in `granted_by`."""
    _check_can_assign(actor, unit)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        unit=unit,
        defaults={"household": household, "title": title, "granted_by": granted_by},
    )
    forget_scope(user)  # the caller may ask about this user's scope again in this request
    if created:
        audit.record_change(
            actor=actor,
            action=AuditAction.CREATE,
            target=assignment,
            changed=["role", "unit"],
            unit=unit,
        )
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    _check_can_assign(actor, assignment.unit)
    audit.record_change(
        actor=actor,
        action=AuditAction.DELETE,
        target=assignment,
        changed=["role", "unit"],
        unit=assignment.unit,
    )
    assignment.delete()
    if RoleAssignment.user.is_cached(assignment):  # never fetched just to be forgotten
        forget_scope(assignment.user)


@collector_paused()
def import_population(
    *,
    actor,
    commune,
    file: IO[bytes],
    mode: str = ImportMode.ALL_OR_NOTHING,
    filename: str | None = None,
) -> ImportReport:
    """Create households and residents from an .xlsx or .csv population sheet.

    Every row is checked first. With errors, ALL_OR_NOTHING writes nothing and raises
    ImportRejected (its `report` lists row, column and reason); VALID_ONLY writes the
    households whose rows are all valid and reports the rest. One IMPORT audit event.
    """
    _check_can_edit(actor, commune)
    if mode not in ImportMode.CHOICES:
        raise ValidationFailed(_("Chế độ nhập không hợp lệ."), code="people.import_mode")
    name = filename or getattr(file, "name", "") or ""
    checked = check_upload(file, kinds=SHEETS, max_bytes=MAX_IMPORT_BYTES)  # by content
    report = ImportReport()
    today = timezone.localdate()
    try:
        rows = [
            parse_row(number, raw, report, today)
            for number, raw in read_rows(file, checked.safe_name("import"))
        ]
    except SheetError as exc:
        raise ValidationFailed(str(exc), code="people.import_unreadable") from exc
    report.rows = len(rows)
    if not rows:
        raise ValidationFailed(_("Tệp không có dòng dữ liệu nào."), code="people.import_empty")
    accepted = check_rows(commune, rows, report)
    if report.error_count and (mode == ImportMode.ALL_OR_NOTHING or not accepted):
        raise ImportRejected(
            _("Tệp có %(count)s lỗi; chưa nhập dòng nào.") % {"count": report.error_count},
            report=report,
        )
    try:
        with transaction.atomic():
            _write_import(actor, commune, accepted, report, mode, str(name))
    except IntegrityError as exc:  # another import took a code or citizen ID meanwhile
        raise Conflict(
            _(
                "Một số mã hộ hoặc số CCCD vừa được nhập bởi người khác; "
                "chưa nhập dòng nào, hãy thử lại."
            ),
            code="people.import_conflict",
        ) from exc
    return report


def _write_import(actor, commune, accepted, report: ImportReport, mode: str, name: str) -> None:
    write_households(commune, accepted, report)
    report.written = True
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type="people.Household",
        object_repr=_("Nhập %(households)s hộ, %(residents)s nhân khẩu")
        % {"households": report.households, "residents": report.residents},
        unit=commune,
        fields={
            "households": report.households,
            "residents": report.residents,
            "rows": report.rows,
            "skipped_rows": report.skipped_rows,
            "errors": report.error_count,
            "mode": mode,
            "file": name[-100:],
        },
    )
