"""The one door to health records. Access: the resident, the commune's health staff, and
whoever holds an active consent. Every read is logged with its purpose; every refusal too."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from langso.core import audit
from langso.core.exceptions import NotFound
from langso.core.models import AuditAction, AuditEvent
from langso.core.text import fold
from langso.people.models import Resident, User
from langso.people.permissions import scoped_unit_ids

from ..exceptions import HealthAccessDenied, PurposeNotCovered
from ..models import HealthConsent, HealthRecord
from ..permissions import HEALTH_ROLES, is_health_staff

RECORD_FIELDS = ["blood_group", "conditions", "allergies", "vaccinations", "visits"]


def active_consents(on: date | None = None) -> QuerySet[HealthConsent]:
    day = on or timezone.localdate()
    return HealthConsent.objects.filter(withdrawn_at__isnull=True, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


# What the care role covers: the commune's health staff read a record to treat the resident
# and to send it with her to another facility (referral, the FHIR export). Any other purpose
# needs the resident's consent, and a consent covers only the purpose written in it.
CARE_PURPOSES = {
    "care": gettext_lazy("Khám, chữa bệnh"),
    "transfer": gettext_lazy("Chuyển tuyến, chuyển hồ sơ sang cơ sở khám chữa bệnh khác"),
}
SELF_PURPOSE = gettext_lazy("Người dân tự xem hồ sơ của mình")


@dataclass(frozen=True)
class ReadPurpose:
    """One purpose for which a user may read a record, and on what basis."""

    code: str  # "self", "care", "transfer" or "consent-<id>": what a link or API call names
    label: str  # what the page shows, the audit line records and the resident reads
    basis: str  # "self", "health_staff" or "consent"
    consent_id: int | None = None


def read_purposes(user, record: HealthRecord) -> list[ReadPurpose]:
    """Every purpose for which `user` may read `record`, the default first (empty: no access).
    The resident reads her own record; health staff of the commune for the care purposes;
    anyone else only for the purpose of an active consent naming them or a role they hold on
    the record's commune (a superuser is no exception)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if record.resident.user_id == user.pk:
        return [ReadPurpose("self", str(SELF_PURPOSE), "self")]
    purposes = []
    if is_health_staff(user, record.commune):
        purposes = [
            ReadPurpose(code, str(label), "health_staff") for code, label in CARE_PURPOSES.items()
        ]
    from langso.people.permissions import holds_role

    for consent in active_consents().filter(record=record).order_by("-valid_from", "-pk"):
        if consent.grantee_user_id == user.pk or (
            consent.grantee_role
            and not user.is_superuser
            and holds_role(user, {consent.grantee_role}, record.commune)
        ):
            purposes.append(
                ReadPurpose(f"consent-{consent.pk}", consent.purpose, "consent", consent.pk)
            )
    return purposes


def access_basis(user, record: HealthRecord) -> str | None:
    """Why `user` may read `record` ("self", "health_staff", "consent"), or None."""
    purposes = read_purposes(user, record)
    return purposes[0].basis if purposes else None


def _covering(purposes: list[ReadPurpose], asked: str) -> ReadPurpose | None:
    if not asked:
        return purposes[0]
    if purposes[0].basis == "self":
        return purposes[0]  # her own record: whatever she calls it, it is her own reading
    wanted = fold(asked)
    for purpose in purposes:
        if asked == purpose.code or wanted == fold(purpose.label):
            return purpose
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


def get_health_record(
    *, user, resident_id: int, purpose: str = "", export: bool = False
) -> HealthRecord:
    """The record of a resident, with everything prefetched, read for `purpose` (a
    `ReadPurpose` code or label; empty: the reader's default purpose). The purpose must be one
    the reader's basis covers; the read (or export), or the refusal, is logged with the
    purpose actually used. `record.read_purpose` and `record.read_purposes` tell the page."""
    record = (
        HealthRecord.objects.select_related("resident__household", "commune")
        .prefetch_related("conditions", "allergies", "vaccinations", "visits")
        .filter(resident_id=resident_id)
        .first()
    )
    asked = (purpose or "").strip()[:200]
    if record is None:
        resident = Resident.objects.filter(pk=resident_id).select_related("commune").first()
        if resident is not None and is_health_staff(user, resident.commune):
            raise NotFound("Nhân khẩu này chưa có hồ sơ sức khoẻ.")
        if resident is not None:
            audit.record_refusal(actor=user, target=resident, purpose=asked or "health_record")
        raise HealthAccessDenied("Bạn không có quyền xem hồ sơ sức khoẻ này.")
    purposes = read_purposes(user, record)
    if not purposes:
        audit.record_refusal(actor=user, target=record, purpose=asked or "health_record")
        raise HealthAccessDenied("Bạn không có quyền xem hồ sơ sức khoẻ này.")
    used = _covering(purposes, asked)
    if used is None:
        audit.record_refusal(actor=user, target=record, purpose=asked)
        raise PurposeNotCovered(
            _(
                "Mục đích “%(purpose)s” không nằm trong sự đồng ý của người dân hay nhiệm vụ "
                "khám, chữa bệnh của bạn. Được xem cho: %(allowed)s."
            )
            % {"purpose": asked, "allowed": "; ".join(p.label for p in purposes)}
        )
    audit.record(
        actor=user,
        action=AuditAction.EXPORT if export else AuditAction.READ,
        target=record,
        fields={"read": sorted(RECORD_FIELDS), "basis": used.basis, "consent": used.consent_id},
        purpose=used.label,
    )
    record.access_basis = used.basis
    record.read_purpose = used
    record.read_purposes = purposes
    return record


def residents_for_health_staff(user, text: str = "", *, limit: int = 50) -> QuerySet[Resident]:
    """Residents of the communes where `user` is health staff (names and birth dates only,
    to find whose record to open), with whether they have a record."""
    qs = (
        Resident.objects.filter(commune_id__in=scoped_unit_ids(user, HEALTH_ROLES))
        .select_related("household__hamlet")
        .order_by("full_name")
    )
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


def who_read_my_record(user, *, limit: int = 200) -> QuerySet[AuditEvent]:
    """The right to know (Law 91/2025/QH15): every read, export and refused attempt on the
    user's own health record by someone else, newest first, with who, when and why."""
    record = HealthRecord.objects.filter(resident__user=user).only("pk").first()
    if record is None:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(
            object_type=HealthRecord._meta.label,
            object_id=str(record.pk),
            action__in=[AuditAction.READ, AuditAction.EXPORT, AuditAction.REFUSED],
        )
        .exclude(actor=user)
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def own_health_record(user) -> HealthRecord | None:
    """The health record of the resident `user` is, or None."""
    return HealthRecord.objects.filter(resident__user=user).select_related("resident").first()


def resident_by_id(resident_id) -> Resident | None:
    """The resident to open a record for (the action checks who may); unscoped."""
    return Resident.objects.select_related("commune").filter(pk=resident_id).first()


def consent_grantee(username: str) -> User | None:
    """The account a resident names when granting consent to one person."""
    return User.objects.filter(username=username).first()
