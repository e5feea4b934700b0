"""Supply-demand connection (kết nối cung cầu): buyers post demands, producers offer."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class Demand(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang tìm nguồn hàng")
        CLOSED = "closed", _("Đã đóng")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="demands"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mua"),
        on_delete=models.CASCADE,
        related_name="demands",
    )
    buyer_name = models.CharField(_("tên đơn vị mua"), max_length=200)
    contact = models.CharField(_("liên hệ"), max_length=200, blank=True)
    title = models.CharField(_("cần mua"), max_length=200)
    ocop_group = models.CharField(_("nhóm sản phẩm"), max_length=12, blank=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("đơn vị tính"), max_length=30, default="kg")
    needed_by = models.DateField(_("cần trước ngày"), null=True, blank=True)
    price = models.DecimalField(
        _("giá mong muốn (đồng/đơn vị)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    description = BoundedTextField(_("yêu cầu thêm"), blank=True, max_length=limits.DESCRIPTION)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("nhu cầu mua")
        verbose_name_plural = _("nhu cầu mua")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Offer(TimeStampedModel):
    demand = models.ForeignKey(
        Demand, verbose_name=_("nhu cầu"), on_delete=models.CASCADE, related_name="offers"
    )
    producer = models.ForeignKey(
        "economy.Producer",
        verbose_name=_("chủ thể"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    product = models.ForeignKey(
        "economy.Product",
        verbose_name=_("sản phẩm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    quantity = models.DecimalField(_("số lượng có thể cung cấp"), max_digits=12, decimal_places=2)
    price = models.DecimalField(
        _("giá chào (đồng/đơn vị)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    message = BoundedTextField(_("lời nhắn"), blank=True, max_length=limits.NOTE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("chào hàng")
        verbose_name_plural = _("chào hàng")
        ordering = ["-created_at"]

    @property
    def audit_unit(self):
        return self.demand.commune

    def __str__(self) -> str:
        return f"{self.producer} → {self.demand}"
