from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel

LEGACY_VALID_TO = date(2025, 6, 30)
REFORM_DATE = date(2025, 7, 1)


class Structure(models.TextChoices):
    LEGACY = "legacy", _("Trước 01/7/2025 (63 tỉnh, 3 cấp)")
    Y2025 = "2025", _("Từ 01/7/2025 (34 tỉnh, 2 cấp)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh / thành phố")
    DISTRICT = "district", _("Huyện / quận / thị xã")
    COMMUNE = "commune", _("Xã / phường / đặc khu")


class AdminUnit(models.Model):
    """An official administrative unit, in the legacy (pre-2025) or the 2025 structure.

    Codes are the official General Statistics Office codes. The same code can exist in both
    structures (2025 communes often keep the code of one merged commune), so a unit is
    identified by (structure, level, code).
    """

    structure = models.CharField(_("hệ thống"), max_length=8, choices=Structure.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=8)
    name = models.CharField(_("tên"), max_length=120)  # "Xã Vô Tranh"
    short_name = models.CharField(_("tên ngắn"), max_length=100)  # "Vô Tranh"
    unit_type = models.CharField(_("loại"), max_length=30)  # "Xã", "Phường", "Huyện"...
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)
    search_key = models.CharField(max_length=200, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["structure", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "level", "code"], name="unique_unit_code_per_structure"
            ),
        ]
        indexes = [models.Index(fields=["structure", "level", "province_code"])]

    def __str__(self) -> str:
        if self.parent is not None and self.level != Level.PROVINCE:
            return f"{self.name}, {self.parent.name}"
        return self.name

    @property
    def is_legacy(self) -> bool:
        return self.structure == Structure.LEGACY

    @property
    def is_commune(self) -> bool:
        return self.level == Level.COMMUNE

    @property
    def key(self) -> str:
        """Stable public key, e.g. '2025:commune:05641'."""
        return f"{self.structure}:{self.level}:{self.code}"


class UnitSuccession(models.Model):
    """A legacy commune became (part of) a 2025 commune on 1 July 2025.

    A legacy commune split between several new communes has several rows; `is_primary`
    marks the one that received most of it (the package's default).
    """

    legacy = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị cũ"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        AdminUnit,
        verbose_name=_("đơn vị mới"),
        on_delete=models.CASCADE,
        related_name="predecessions",
    )
    is_primary = models.BooleanField(_("đơn vị tiếp nhận chính"), default=True)
    effective_date = models.DateField(_("ngày hiệu lực"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["legacy", "successor"], name="unique_succession")
        ]

    def __str__(self) -> str:
        return f"{self.legacy} → {self.successor}"


class HamletKind(models.TextChoices):
    THON = "thon", _("Thôn")
    XOM = "xom", _("Xóm")
    BAN = "ban", _("Bản")
    AP = "ap", _("Ấp")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")


class Hamlet(TimeStampedModel):
    """A village below a commune (thôn, xóm, bản, tổ dân phố), created by the commune."""

    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="hamlets",
        limit_choices_to={"level": Level.COMMUNE},
    )
    code = models.CharField(_("mã thôn"), max_length=20)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(
        _("loại"), max_length=12, choices=HamletKind.choices, default=HamletKind.XOM
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("thôn, xóm")
        verbose_name_plural = _("thôn, xóm")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="unique_hamlet_code_per_commune"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.name}"
            if not self.name.lower().startswith(self.get_kind_display().lower())
            else self.name
        )
