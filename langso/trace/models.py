"""Traceability: batches (lots) of a product and the EPCIS 2.0 events that tell their story.

An event, once stored, is never updated or deleted (the queryset and `save()` refuse it); a
mistake is corrected by a new event plus an EPCIS error declaration on the old event id.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class Batch(TimeStampedModel):
    """A lot of one product (GS1 AI 10), identified publicly by GTIN + lot or, for a product
    without GTIN, by the product's public id + lot (see identifiers.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product = models.ForeignKey(
        "economy.Product",
        verbose_name=_("sản phẩm"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    producer = models.ForeignKey(
        "economy.Producer",
        verbose_name=_("chủ thể"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    gtin = models.CharField(
        _("GTIN-14"),
        max_length=14,
        blank=True,
        help_text=_("Lấy từ sản phẩm khi tạo lô; để trống nếu chưa có."),
    )
    lot = models.CharField(_("số lô"), max_length=20)
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("đơn vị"), max_length=30, default="kg")
    uom = models.CharField(_("mã đơn vị UN/CEFACT"), max_length=3, default="KGM")
    growing_area = models.ForeignKey(
        "economy.GrowingArea",
        verbose_name=_("vùng trồng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="batches",
    )
    planted_on = models.DateField(_("ngày trồng / bắt đầu vụ"), null=True, blank=True)
    harvested_on = models.DateField(_("ngày thu hoạch"), null=True, blank=True)
    packed_on = models.DateField(_("ngày đóng gói"), null=True, blank=True)
    expires_on = models.DateField(_("hạn sử dụng"), null=True, blank=True)
    labelled = models.BooleanField(_("đã in tem QR"), default=False)
    #: bumped with every stored event; keys the cached scan page
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lô sản phẩm")
        verbose_name_plural = _("lô sản phẩm")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot"], name="trace_batch_unique_lot"),
        ]
        indexes = [models.Index(fields=["gtin", "lot"], name="trace_batch_gtin_lot")]

    def __str__(self) -> str:
        return f"{self.product} – lô {self.lot}"


class EventKind(models.TextChoices):
    """What happened, in the farmer's words. Mapped to EPCIS type + CBV bizStep in epcis.py."""

    PLANTING = "planting", _("Gieo trồng")
    INPUT = "input_application", _("Bón phân / phun thuốc")
    HARVEST = "harvest", _("Thu hoạch")
    PROCESSING = "processing", _("Chế biến")
    PACKING = "packing", _("Đóng gói")
    INSPECTION = "inspection", _("Kiểm tra / kiểm nghiệm")
    SHIPPING = "shipping", _("Xuất hàng")
    RECEIVING = "receiving", _("Nhận hàng")
    RETAIL_SELLING = "retail_selling", _("Bán lẻ")
    OTHER = "other", _("Sự kiện khác")


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise RuntimeError("Trace events are immutable; record a correction instead.")

    def delete(self):  # type: ignore[override]
        raise RuntimeError("Trace events are immutable; record a correction instead.")


class TraceEvent(models.Model):
    """One EPCIS 2.0 event as captured. `document` is the event's EPCIS JSON (without
    @context) and is what export returns; the other columns index it for rules and queries.

    An error declaration (EPCIS 2.0 §7.4.1) is stored as its own row with the same event_id
    as the event it declares wrong and `is_error_declaration=True`."""

    event_id = models.CharField(_("mã sự kiện"), max_length=200, db_index=True)
    is_error_declaration = models.BooleanField(default=False)
    declared_wrong = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="error_declarations"
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("đính chính sự kiện"),
    )
    batches = models.ManyToManyField(Batch, related_name="events", blank=True)
    producer = models.ForeignKey(
        "economy.Producer",
        verbose_name=_("chủ thể ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trace_events",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=EventKind.choices)
    event_type = models.CharField(max_length=24)
    action = models.CharField(max_length=8, blank=True)
    biz_step = models.CharField(max_length=120, blank=True, db_index=True)
    disposition = models.CharField(max_length=120, blank=True)
    event_time = models.DateTimeField(_("thời điểm"), db_index=True)
    tz_offset = models.CharField(max_length=6, default="+07:00")
    record_time = models.DateTimeField(auto_now_add=True)
    read_point = models.CharField(max_length=250, blank=True)
    biz_location = models.CharField(max_length=250, blank=True, db_index=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    uom = models.CharField(max_length=3, blank=True)
    #: every EPC / EPC class the event mentions, each surrounded by spaces (MATCH_epc)
    epcs = models.TextField(blank=True)
    #: human details for the timeline (input product, dose, PHI days, lab results, partner)
    details = models.JSONField(default=dict, blank=True)
    document = models.JSONField()
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện truy xuất")
        verbose_name_plural = _("sự kiện truy xuất")
        ordering = ["event_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "is_error_declaration"], name="trace_event_unique_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.event_time:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError("Trace events are immutable; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Trace events are immutable; record a correction instead.")


class ScanCount(models.Model):
    """Scans of a batch's page per day and coarse place (province code, '' = unknown).
    No IP, user agent, cookie or exact position is ever stored."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="scan_counts")
    day = models.DateField()
    province_code = models.CharField(max_length=4, blank=True, default="")
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("lượt quét")
        verbose_name_plural = _("lượt quét")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "day", "province_code"], name="trace_scan_unique_day_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.day} {self.province_code or '?'}: {self.count}"


class ApiKey(TimeStampedModel):
    """A key with which a producer's (or partner's) system captures events over the API.
    Only a SHA-256 hash is stored; the key is shown once."""

    producer = models.ForeignKey(
        "economy.Producer",
        verbose_name=_("chủ thể"),
        on_delete=models.CASCADE,
        related_name="trace_api_keys",
    )
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("khoá API truy xuất")
        verbose_name_plural = _("khoá API truy xuất")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class CaptureJob(models.Model):
    """One EPCIS capture (POST /capture). The standard answers 202 with the job's address;
    ours is finished when the answer leaves: all events stored, or none. A document the
    schema refuses gets 422 at once (no job); one that fails while its events are stored (an
    eventID already used by another event) leaves a failed job (`success` false, `errors`)."""

    capture_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="capture_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField()
    event_ids = models.JSONField(default=list)
    success = models.BooleanField(default=True)
    #: why a failed capture stored nothing (Vietnamese, for the caller)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("lần nhận dữ liệu EPCIS")
        verbose_name_plural = _("các lần nhận dữ liệu EPCIS")

    def __str__(self) -> str:
        return str(self.capture_id)
