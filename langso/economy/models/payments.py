"""Bank accounts behind a producer's VietQR code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class BankAccount(TimeStampedModel):
    """A producer's account at a bank that takes part in NAPAS 247 (identified by its BIN)."""

    class Channel(models.TextChoices):
        ACCOUNT = "QRIBFTTA", _("Chuyển đến tài khoản")
        CARD = "QRIBFTTC", _("Chuyển đến thẻ")

    producer = models.ForeignKey(
        "economy.Producer",
        verbose_name=_("chủ thể"),
        on_delete=models.CASCADE,
        related_name="bank_accounts",
    )
    bank_bin = models.CharField(_("mã BIN ngân hàng"), max_length=6)
    account_number = models.CharField(_("số tài khoản / số thẻ"), max_length=19)
    account_name = models.CharField(_("tên chủ tài khoản"), max_length=100)
    channel = models.CharField(
        _("hình thức"), max_length=8, choices=Channel.choices, default=Channel.ACCOUNT
    )
    is_default = models.BooleanField(_("tài khoản mặc định"), default=True)

    class Meta:
        verbose_name = _("tài khoản ngân hàng")
        verbose_name_plural = _("tài khoản ngân hàng")
        ordering = ["-is_default", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "bank_bin", "account_number"], name="bank_account_unique"
            )
        ]

    @property
    def audit_unit(self):
        return self.producer.commune

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"
