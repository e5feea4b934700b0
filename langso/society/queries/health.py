"""The one door to health records. Access: the resident, the commune's health staff, and
whoever holds an active consent. Every read is logged with its purpose; every refusal too."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from langso.core import audit
from langso.core.exceptions import NotFound
from langso.core.permissions import scoped_unit_ids
from langso.people.models import Resident

from ..exceptions import HealthAccessDenied
from ..models import HealthConsent, HealthRecord
from ..permissions import HEALTH_ROLES, is_health_staff

RECORD_FIELDS = ["blood_group", "conditions", "allergies", "vaccinations", "visits"]


def active_consents(on: date | None = None) -> QuerySet[HealthConsent]:
    day = on or timezone.localdate()
    return HealthConsent.objects.filter(withdrawn_at__isnull=True, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def access_basis(user, record: HealthRecord) -> str | None:
    """Why `user` may read `record` ("self", "health_staff", "consent"), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if record.resident.user_id == user.pk:
        return "self"
    if is_health_staff(user, record.commune):
        return "health_staff"
    consents = active_consents().filter(record=record)
    if consents.filter(grantee_user=user).exists():
        return "consent"
    from langso.core.permissions import holds_role

    for role in consents.exclude(grantee_role="").values_list("grantee_role", flat=True):
        if holds_role(user, {role}, record.commune) and not user.is_superuser:
            return "consent"
    return None


def health_records_visible_to(user) -> QuerySet[HealthRecord]:
    """Records the user may open (lists); opening one still goes through get_health_record."""
    qs = HealthRecord.objects.select_related("resident", "commune")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    consented = active_consents().filter(grantee_user=user).values("record_id")
    return qs.filter(
        Q(resident__user=user)
        | Q(commune_id__in=scoped_unit_ids(user, HEALTH_ROLES))
        | Q(pk__in=consented)
    )


def get_health_record(*, user, resident_id: int, purpose: str) -> HealthRecord:
    """The record of a resident, with everything prefetched; logs the read (or refusal)."""
    record = (
        HealthRecord.objects.select_related("resident__household", "commune")
        .prefetch_related("conditions", "allergies", "vaccinations", "visits")
        .filter(resident_id=resident_id)
        .first()
    )
    if record is None:
        resident = Resident.objects.filter(pk=resident_id).select_related("commune").first()
        if resident is not None and is_health_staff(user, resident.commune):
            raise NotFound("Nhân khẩu này chưa có hồ sơ sức khoẻ.")
        if resident is not None:
            audit.record_refusal(actor=user, target=resident, purpose=purpose or "health_record")
        raise HealthAccessDenied("Bạn không có quyền xem hồ sơ sức khoẻ này.")
    basis = access_basis(user, record)
    if basis is None:
        audit.record_refusal(actor=user, target=record, purpose=purpose or "health_record")
        raise HealthAccessDenied("Bạn không có quyền xem hồ sơ sức khoẻ này.")
    audit.record_read(
        actor=user,
        target=record,
        fields=RECORD_FIELDS,
        purpose=f"{purpose or 'health_record'} ({basis})",
    )
    record.access_basis = basis
    return record


def residents_for_health_staff(user, text: str = "", *, limit: int = 50) -> QuerySet[Resident]:
    """Residents of the communes where `user` is health staff (names and birth dates only,
    to find whose record to open), with whether they have a record."""
    qs = (
        Resident.objects.filter(commune_id__in=scoped_unit_ids(user, HEALTH_ROLES))
        .select_related("household__hamlet")
        .order_by("full_name")
    )
    from langso.core.text import fold

    for word in fold(text).split():
        qs = qs.filter(search_key__contains=word)
    return qs.annotate(has_record=Exists(HealthRecord.objects.filter(resident=OuterRef("pk"))))[
        :limit
    ]


def consents_of(user) -> QuerySet[HealthConsent]:
    return (
        HealthConsent.objects.filter(record__resident__user=user)
        .select_related("grantee_user")
        .order_by("-created_at")
    )
