"""Clean water and environment: stations, parameters, limits (as dated data) and readings."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class StationKind(models.TextChoices):
    WATER_SUPPLY = "water_supply", _("Điểm cấp nước sinh hoạt")
    RIVER = "river", _("Sông, suối")
    WASTE_SITE = "waste_site", _("Điểm tập kết, xử lý rác")
    AIR = "air", _("Không khí")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Station(TimeStampedModel):
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="env_stations",
    )
    code = models.SlugField(_("mã trạm"), max_length=40, unique=True)
    name = models.CharField(_("tên trạm"), max_length=160)
    kind = models.CharField(_("loại"), max_length=16, choices=StationKind.choices)
    latitude = models.FloatField(_("vĩ độ"))
    longitude = models.FloatField(_("kinh độ"))
    token_hash = models.CharField(
        _("mã băm khoá gửi số liệu"), max_length=64, blank=True, editable=False
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("trạm quan trắc")
        verbose_name_plural = _("trạm quan trắc")
        ordering = ["commune", "name"]

    def __str__(self) -> str:
        return self.name


class Parameter(models.Model):
    code = models.SlugField(_("mã chỉ tiêu"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=120)
    unit = models.CharField(_("đơn vị"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


class Limit(models.Model):
    """A limit of a standard (e.g. QCVN 01-1:2024/BYT) valid over a period of dates."""

    standard = models.CharField(_("quy chuẩn"), max_length=60)
    parameter = models.ForeignKey(
        Parameter, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="limits"
    )
    station_kind = models.CharField(
        _("áp dụng cho"),
        max_length=16,
        choices=StationKind.choices,
        default=StationKind.WATER_SUPPLY,
    )
    min_value = models.FloatField(_("giới hạn dưới"), null=True, blank=True)
    max_value = models.FloatField(_("giới hạn trên"), null=True, blank=True)
    max_exclusive = models.BooleanField(_("phải nhỏ hơn hẳn"), default=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    to_confirm = models.BooleanField(_("cần xác minh"), default=False)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("giới hạn cho phép")
        verbose_name_plural = _("giới hạn cho phép")
        ordering = ["parameter", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "parameter", "station_kind"], name="unique_limit_per_standard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard}: {self.parameter.code} {self.describe()}"

    def describe(self) -> str:
        if self.min_value is not None and self.max_value is not None:
            return f"{self.min_value:g}–{self.max_value:g}"
        if self.max_value is not None:
            return f"{'<' if self.max_exclusive else '≤'} {self.max_value:g}"
        if self.min_value is not None:
            return f"≥ {self.min_value:g}"
        return "—"

    def allows(self, value: float) -> bool:
        if self.min_value is not None and value < self.min_value:
            return False
        if self.max_value is not None:
            return value < self.max_value if self.max_exclusive else value <= self.max_value
        return True


class ReadingSource(models.TextChoices):
    MANUAL = "manual", _("Nhập tay")
    SENSOR = "sensor", _("Cảm biến (API)")


class Reading(models.Model):
    station = models.ForeignKey(
        Station, verbose_name=_("trạm"), on_delete=models.CASCADE, related_name="readings"
    )
    parameter = models.ForeignKey(
        Parameter, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="readings"
    )
    observed_at = models.DateTimeField(_("thời điểm đo"))
    value = models.FloatField(_("giá trị"))
    source = models.CharField(
        _("nguồn"), max_length=8, choices=ReadingSource.choices, default=ReadingSource.MANUAL
    )
    client_id = models.CharField(_("mã số liệu của thiết bị"), max_length=64, blank=True)
    limit = models.ForeignKey(
        Limit,
        verbose_name=_("giới hạn áp dụng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    within_limits = models.BooleanField(_("đạt quy chuẩn"), null=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("kết quả quan trắc")
        verbose_name_plural = _("kết quả quan trắc")
        ordering = ["station", "parameter", "observed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "parameter", "observed_at"], name="unique_reading_per_instant"
            ),
            models.UniqueConstraint(
                fields=["station", "client_id"],
                condition=~models.Q(client_id=""),
                name="unique_reading_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station.code} {self.parameter.code} {self.observed_at:%Y-%m-%d %H:%M}"

    @property
    def commune(self):
        return self.station.commune


class Alert(TimeStampedModel):
    reading = models.OneToOneField(
        Reading, verbose_name=_("kết quả"), on_delete=models.CASCADE, related_name="alert"
    )
    station = models.ForeignKey(
        Station, verbose_name=_("trạm"), on_delete=models.CASCADE, related_name="alerts"
    )
    message = models.CharField(_("nội dung"), max_length=300)
    acknowledged_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cảnh báo vượt ngưỡng")
        verbose_name_plural = _("cảnh báo vượt ngưỡng")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message

    @property
    def commune(self):
        return self.station.commune
