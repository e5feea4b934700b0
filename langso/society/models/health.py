"""A minimal electronic health record per resident. Health data is sensitive personal data
(Law 91/2025/QH15): every read goes through queries.health and is audit-logged."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel
from langso.people.models import Role

if TYPE_CHECKING:
    from ..queries.health import ReadPurpose


class BloodGroup(models.TextChoices):
    UNKNOWN = "", _("Chưa xác định")
    A_POS = "A+", "A+"
    A_NEG = "A-", "A-"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B-"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB-"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O-"


class HealthRecord(TimeStampedModel):
    resident = models.OneToOneField(
        "people.Resident",
        verbose_name=_("nhân khẩu"),
        on_delete=models.CASCADE,
        related_name="health_record",
    )
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="health_records",
    )
    blood_group = models.CharField(
        _("nhóm máu"), max_length=3, choices=BloodGroup.choices, blank=True, default=""
    )

    if TYPE_CHECKING:
        # Set by `queries.health.get_health_record` on the record it returns: how it is read.
        access_basis: str
        read_purpose: ReadPurpose
        read_purposes: list[ReadPurpose]

    class Meta:
        verbose_name = _("hồ sơ sức khoẻ")
        verbose_name_plural = _("hồ sơ sức khoẻ")

    def __str__(self) -> str:
        return _("Hồ sơ sức khoẻ #%(id)s") % {"id": self.pk}


class Condition(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang mắc")
        RESOLVED = "resolved", _("Đã khỏi")

    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="conditions")
    name = models.CharField(_("bệnh mạn tính"), max_length=160)
    icd10 = models.CharField(_("mã ICD-10"), max_length=10, blank=True)
    onset = models.DateField(_("phát hiện từ"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("bệnh mạn tính")
        verbose_name_plural = _("bệnh mạn tính")

    def __str__(self) -> str:
        return self.name


class Allergy(models.Model):
    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(_("dị nguyên"), max_length=160)
    reaction = models.CharField(_("phản ứng"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("dị ứng")
        verbose_name_plural = _("dị ứng")

    def __str__(self) -> str:
        return self.substance


class Vaccination(models.Model):
    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="vaccinations")
    vaccine = models.CharField(_("vắc xin"), max_length=120)
    dose_number = models.PositiveSmallIntegerField(_("mũi thứ"), default=1)
    given_on = models.DateField(_("ngày tiêm"))
    lot_number = models.CharField(_("số lô"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("tiêm chủng")
        verbose_name_plural = _("tiêm chủng")
        ordering = ["given_on"]

    def __str__(self) -> str:
        return f"{self.vaccine} ({self.given_on})"


class HealthVisit(models.Model):
    """A visit to the commune health station (lượt khám tại trạm y tế)."""

    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("ngày khám"))
    reason = models.CharField(_("lý do khám"), max_length=200)
    diagnosis = models.CharField(_("chẩn đoán"), max_length=200, blank=True)
    icd10 = models.CharField(_("mã ICD-10"), max_length=10, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khám"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lượt khám")
        verbose_name_plural = _("lượt khám")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.reason}"


class HealthConsent(TimeStampedModel):
    """The resident lets a named user, or holders of a role on the resident's commune, read
    the record for a purpose and a period. Withdrawal is a date, never a deletion."""

    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="consents")
    grantee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được xem"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="health_consents",
    )
    grantee_role = models.CharField(
        _("vai trò được xem"), max_length=24, blank=True, choices=Role.choices
    )
    purpose = models.CharField(_("mục đích"), max_length=200)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đồng ý"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đồng ý chia sẻ hồ sơ sức khoẻ")
        verbose_name_plural = _("đồng ý chia sẻ hồ sơ sức khoẻ")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(grantee_user__isnull=False, grantee_role="")
                    | models.Q(grantee_user__isnull=True) & ~models.Q(grantee_role="")
                ),
                name="consent_names_user_or_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grantee_user or self.get_grantee_role_display()}: {self.purpose}"

    @property
    def commune(self):
        return self.record.commune

    def clean(self) -> None:
        if bool(self.grantee_user_id) == bool(self.grantee_role):
            raise ValidationError(_("Chọn một người dùng hoặc một vai trò được xem."))
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))


class DiseaseCase(TimeStampedModel):
    """A case of a notifiable disease, for the epidemic layer. Only aggregates by hamlet
    ever leave the health station."""

    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="disease_cases",
    )
    hamlet = models.ForeignKey(
        "places.Hamlet",
        verbose_name=_("thôn, xóm"),
        on_delete=models.PROTECT,
        related_name="disease_cases",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("nhân khẩu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disease = models.CharField(_("bệnh"), max_length=120)
    reported_on = models.DateField(_("ngày ghi nhận"), db_index=True)

    class Meta:
        verbose_name = _("ca bệnh truyền nhiễm")
        verbose_name_plural = _("ca bệnh truyền nhiễm")
        ordering = ["-reported_on"]

    def __str__(self) -> str:
        return f"{self.disease} {self.reported_on}"
