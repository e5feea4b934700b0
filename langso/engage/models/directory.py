from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class DirectoryEntry(TimeStampedModel):
    """An official's line in the public directory of a unit.

    Private by default: the official decides which fields the public page shows (the phone
    numbers of commune officials are published by many communes, but not every official
    wants a personal mobile number on the web).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="directory_entries",
    )
    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="directory_entries",
    )
    display_name = models.CharField(_("họ và tên hiển thị"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    department = models.CharField(_("bộ phận"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại công vụ"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    working_hours = models.CharField(_("giờ làm việc"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    listed = models.BooleanField(_("hiện trong danh bạ công khai"), default=False)
    position_public = models.BooleanField(_("công khai chức vụ"), default=True)
    phone_public = models.BooleanField(_("công khai số điện thoại"), default=False)
    email_public = models.BooleanField(_("công khai thư điện tử"), default=False)
    hours_public = models.BooleanField(_("công khai giờ làm việc"), default=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("danh bạ cán bộ")
        verbose_name_plural = _("danh bạ cán bộ")
        ordering = ["unit", "order", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="engage_unique_directory_entry")
        ]

    def __str__(self) -> str:
        return f"{self.display_name} — {self.position}" if self.position else self.display_name

    @property
    def commune(self):
        return self.unit

    def public_fields(self) -> dict:
        """What the public page and API may show: only the fields the official made public."""
        return {
            "name": self.display_name,
            "unit": self.unit.name,
            "unit_code": self.unit.code,
            "position": self.position if self.position_public else "",
            "department": self.department if self.position_public else "",
            "phone": self.phone if self.phone_public else "",
            "email": self.email if self.email_public else "",
            "working_hours": self.working_hours if self.hours_public else "",
        }
