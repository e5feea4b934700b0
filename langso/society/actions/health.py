from datetime import date

from django.db import transaction
from django.utils import timezone

from langso.core import audit
from langso.core.models import AuditAction
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.people.models import Resident, User

from ..exceptions import ConsentInvalid, HealthAccessDenied
from ..models import (
    Condition,
    DiseaseCase,
    HealthConsent,
    HealthRecord,
    HealthVisit,
    Vaccination,
)
from ..permissions import is_health_staff


def _require_staff(actor: Actor, commune) -> User:
    """The staff member: `actor`, once known to be health staff of `commune`."""
    if not is_health_staff(actor, commune):
        audit.record_refusal(actor=actor, target=commune, purpose="health_record_write")
        raise HealthAccessDenied("Chỉ nhân viên y tế của xã được cập nhật hồ sơ sức khoẻ.")
    return actor


@transaction.atomic
def open_health_record(*, actor: Actor, resident: Resident, blood_group: str = "") -> HealthRecord:
    _require_staff(actor, resident.commune)
    record, created = HealthRecord.objects.get_or_create(
        resident=resident, defaults={"commune": resident.commune, "blood_group": blood_group}
    )
    if created:
        audit.record_change(
            actor=actor, action=AuditAction.CREATE, target=record, changed=["blood_group"]
        )
    return record


@transaction.atomic
def add_vaccination(
    *,
    actor: Actor,
    record: HealthRecord,
    vaccine: str,
    given_on: date,
    dose_number: int = 1,
    lot_number: str = "",
) -> Vaccination:
    _require_staff(actor, record.commune)
    row = Vaccination(
        record=record,
        vaccine=vaccine,
        given_on=given_on,
        dose_number=dose_number,
        lot_number=lot_number,
    )
    validate(row)
    row.save()
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=record, changed=["vaccinations"]
    )
    return row


@transaction.atomic
def add_condition(
    *, actor: Actor, record: HealthRecord, name: str, icd10: str = "", onset: date | None = None
) -> Condition:
    _require_staff(actor, record.commune)
    row = Condition(record=record, name=name, icd10=icd10, onset=onset)
    validate(row)
    row.save()
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=record, changed=["conditions"]
    )
    return row


@transaction.atomic
def record_visit(
    *,
    actor: Actor,
    record: HealthRecord,
    visited_on: date,
    reason: str,
    diagnosis: str = "",
    icd10: str = "",
) -> HealthVisit:
    staff = _require_staff(actor, record.commune)
    row = HealthVisit(
        record=record,
        visited_on=visited_on,
        reason=reason,
        diagnosis=diagnosis,
        icd10=icd10,
        staff=staff,
    )
    validate(row)
    row.save()
    audit.record_change(actor=actor, action=AuditAction.UPDATE, target=record, changed=["visits"])
    return row


@transaction.atomic
def grant_consent(
    *,
    actor: Actor,
    record: HealthRecord,
    purpose: str,
    valid_from: date,
    valid_to: date | None = None,
    grantee_user: User | None = None,
    grantee_role: str = "",
) -> HealthConsent:
    """The resident (only) lets a named user or a role on the commune read the record."""
    if not (actor.is_authenticated and record.resident.user_id == actor.pk):
        audit.record_refusal(actor=actor, target=record, purpose="grant_consent")
        raise HealthAccessDenied("Chỉ chính người dân được cho phép chia sẻ hồ sơ của mình.")
    if not purpose.strip():
        raise ConsentInvalid("Hãy ghi rõ mục đích chia sẻ.")
    consent = HealthConsent(
        record=record,
        grantee_user=grantee_user,
        grantee_role=grantee_role or "",
        purpose=purpose.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        granted_by=actor,
    )
    try:
        consent.full_clean()
    except Exception as exc:  # ValidationError: one message for the form and the API
        raise ConsentInvalid("Chọn đúng một người hoặc một vai trò, và thời hạn hợp lệ.") from exc
    consent.save()
    audit.record_change(
        actor=actor,
        action=AuditAction.CREATE,
        target=consent,
        changed=["grantee", "purpose", "valid_from", "valid_to"],
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Actor, consent: HealthConsent) -> HealthConsent:
    if not (actor.is_authenticated and consent.record.resident.user_id == actor.pk):
        raise HealthAccessDenied("Chỉ chính người dân được rút lại sự đồng ý.")
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at", "updated_at"])
        audit.record_change(
            actor=actor, action=AuditAction.UPDATE, target=consent, changed=["withdrawn_at"]
        )
    return consent


@transaction.atomic
def report_disease_case(
    *, actor: Actor, resident: Resident, disease: str, reported_on: date
) -> DiseaseCase:
    _require_staff(actor, resident.commune)
    case = DiseaseCase(
        commune=resident.commune,
        hamlet=resident.household.hamlet,
        resident=resident,
        disease=disease,
        reported_on=reported_on,
    )
    validate(case)
    case.save()
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=case)
    return case
