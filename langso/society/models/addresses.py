from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class DigitalAddress(TimeStampedModel):
    """The digital address of a household (địa chỉ số): a stable code plus the point.

    The latitude/longitude is the truth; `code` is an identifier issued once from the
    commune code and the point at issue time (see docs/society.md). Moving the point later
    keeps the code; a change of administrative unit issues a new code and keeps the old one
    as an AddressAlias so it still resolves.
    """

    household = models.OneToOneField(
        "people.Household",
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        related_name="digital_address",
    )
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="digital_addresses",
    )
    code = models.CharField(_("mã địa chỉ số"), max_length=24, unique=True)
    olc = models.CharField(_("Open Location Code"), max_length=16, db_index=True)
    latitude = models.FloatField(_("vĩ độ"))
    longitude = models.FloatField(_("kinh độ"))
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người định vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("địa chỉ số")
        verbose_name_plural = _("địa chỉ số")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValidationError(_("Toạ độ không hợp lệ."))


class AddressAlias(models.Model):
    """An earlier code of an address, kept so printed plates and old records still resolve."""

    class Reason(models.TextChoices):
        UNIT_CHANGE = "unit_change", _("Thay đổi đơn vị hành chính")
        CORRECTION = "correction", _("Đính chính")

    address = models.ForeignKey(
        DigitalAddress,
        verbose_name=_("địa chỉ số"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    code = models.CharField(_("mã cũ"), max_length=24, unique=True)
    reason = models.CharField(
        _("lý do"), max_length=16, choices=Reason.choices, default=Reason.UNIT_CHANGE
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực chính từ"))

    class Meta:
        verbose_name = _("mã địa chỉ cũ")
        verbose_name_plural = _("mã địa chỉ cũ")

    def __str__(self) -> str:
        return f"{self.code} → {self.address.code}"
