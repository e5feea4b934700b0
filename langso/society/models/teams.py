"""Community digital technology teams (tổ công nghệ số cộng đồng) and digital-skills training."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class DigitalTeam(TimeStampedModel):
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="digital_teams",
    )
    hamlet = models.ForeignKey(
        "places.Hamlet",
        verbose_name=_("thôn, xóm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="digital_teams",
    )
    name = models.CharField(_("tên tổ"), max_length=160)

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        ordering = ["commune", "name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(DigitalTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digital_teams",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("nhân khẩu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_leader = models.BooleanField(_("tổ trưởng"), default=False)

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")

    def __str__(self) -> str:
        return str(self.user or self.resident)

    @property
    def commune(self):
        return self.team.commune


class TeamHousehold(models.Model):
    team = models.ForeignKey(DigitalTeam, on_delete=models.CASCADE, related_name="households")
    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="digital_teams"
    )

    class Meta:
        verbose_name = _("hộ được hỗ trợ")
        verbose_name_plural = _("hộ được hỗ trợ")
        constraints = [
            models.UniqueConstraint(fields=["team", "household"], name="unique_team_household")
        ]

    def __str__(self) -> str:
        return str(self.household)


class HelpTopic(models.TextChoices):
    VNEID = "vneid", _("Cài đặt, kích hoạt VNeID")
    ONLINE_PAYMENT = "online_payment", _("Thanh toán trực tuyến")
    PUBLIC_SERVICES = "public_services", _("Dịch vụ công trực tuyến")
    ONLINE_SELLING = "online_selling", _("Bán hàng trên sàn TMĐT")
    DIGITAL_SIGNATURE = "digital_signature", _("Chữ ký số")
    HEALTH_BOOK = "health_book", _("Sổ sức khoẻ điện tử")
    OTHER = "other", _("Khác")


class HelpSession(models.Model):
    """A help session logged by a team member, possibly offline: `id` is made by the phone,
    so a re-sync of the same session is recognised and never duplicated."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(
        DigitalTeam, verbose_name=_("tổ"), on_delete=models.PROTECT, related_name="sessions"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hỗ trợ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("hộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    people_helped = models.PositiveSmallIntegerField(_("số người được hỗ trợ"), default=1)
    topic = models.CharField(_("nội dung"), max_length=20, choices=HelpTopic.choices)
    occurred_at = models.DateTimeField(_("thời điểm"))
    notes = models.CharField(_("ghi chú"), max_length=300, blank=True)
    synced_at = models.DateTimeField(_("đồng bộ lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("buổi hỗ trợ")
        verbose_name_plural = _("buổi hỗ trợ")
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def commune(self):
        return self.team.commune


class Course(TimeStampedModel):
    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    title = models.CharField(_("tên khoá"), max_length=200)
    topic = models.CharField(_("chủ đề"), max_length=120, blank=True)
    hours = models.PositiveSmallIntegerField(_("số giờ"), default=4)

    class Meta:
        verbose_name = _("khoá tập huấn")
        verbose_name_plural = _("khoá tập huấn")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TrainingAudience(models.TextChoices):
    """Who a session trains. Only officials' sessions count towards criterion 7.4 (the share
    of commune officials trained); residents' sessions are counted on their own."""

    OFFICIALS = "officials", _("Cán bộ xã")
    RESIDENTS = "residents", _("Người dân")


class TrainingSession(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("khoá"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("ngày học"))
    place = models.CharField(_("địa điểm"), max_length=160, blank=True)
    trainer = models.CharField(_("giảng viên"), max_length=120, blank=True)
    audience = models.CharField(
        _("đối tượng"),
        max_length=10,
        choices=TrainingAudience.choices,
        default=TrainingAudience.OFFICIALS,
    )
    #: residents who attended without being named (a residents' session may give only a count)
    headcount = models.PositiveIntegerField(_("số người dân tham dự không ghi tên"), default=0)

    class Meta:
        verbose_name = _("buổi tập huấn")
        verbose_name_plural = _("buổi tập huấn")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How a session is named on pages and in the attendance sheet: "10/01/2026 — Title"."""
        return f"{self.held_on:%d/%m/%Y} — {self.course.title}"

    @property
    def unit(self):
        return self.course.unit


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ / tài khoản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("người dân"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    completed = models.BooleanField(_("hoàn thành"), default=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_attendance_user",
            ),
            models.UniqueConstraint(
                fields=["session", "resident"],
                condition=models.Q(resident__isnull=False),
                name="unique_attendance_resident",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.resident)
