"""Production linkage models (chuỗi liên kết sản xuất, tiêu thụ)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class ProductionLinkage(TimeStampedModel):
    """Who buys from whom, on which raw-material area, with or without digital technology.

    Feeds the programme targets "linkage models" and "share of linkage models on raw-material
    areas using digital technology"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("tên mô hình liên kết"), max_length=200)
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="linkages"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    buyer = models.ForeignKey(
        "economy.Producer",
        verbose_name=_("bên thu mua / chủ trì"),
        on_delete=models.PROTECT,
        related_name="linkages_as_buyer",
    )
    suppliers = models.ManyToManyField(
        "economy.Producer",
        verbose_name=_("bên cung ứng"),
        blank=True,
        related_name="linkages_as_supplier",
    )
    growing_area = models.ForeignKey(
        "economy.GrowingArea",
        verbose_name=_("vùng nguyên liệu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linkages",
    )
    product = models.ForeignKey(
        "economy.Product",
        verbose_name=_("sản phẩm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linkages",
    )
    uses_digital_technology = models.BooleanField(_("ứng dụng công nghệ số"), default=False)
    digital_technology = models.CharField(_("công nghệ số sử dụng"), max_length=250, blank=True)
    description = BoundedTextField(_("mô tả"), blank=True, max_length=limits.DESCRIPTION)
    started_on = models.DateField(_("bắt đầu"))
    ended_on = models.DateField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mô hình liên kết")
        verbose_name_plural = _("mô hình liên kết")
        ordering = ["-started_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="linkage_date_range",
            )
        ]

    def __str__(self) -> str:
        return self.name
