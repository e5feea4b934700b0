from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class FeedbackCategory(TimeStampedModel):
    """A kind of feedback with its own handling deadline in working days (set by the
    commune, since the rules differ per field)."""

    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="feedback_categories",
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=120)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("thời hạn (ngày làm việc)"), default=10
    )
    default_department = models.CharField(_("bộ phận xử lý mặc định"), max_length=120, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="engage_unique_feedback_category"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")


class Feedback(TimeStampedModel):
    """A resident's report or request (phản ánh, kiến nghị).

    Followed by `tracking_code` plus a secret (only its hash is stored) so that a resident
    without an account can follow it. Contact data and exact location are personal data:
    the public list shows `public_text` and a rounded location only."""

    tracking_code = models.CharField(_("mã theo dõi"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128, editable=False)
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="feedback"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    category = models.ForeignKey(
        FeedbackCategory,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    hamlet = models.ForeignKey(
        "places.Hamlet",
        verbose_name=_("thôn, xóm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = BoundedTextField(_("nội dung"), max_length=limits.FEEDBACK)
    public_text = BoundedTextField(
        _("nội dung công khai (đã lược dữ liệu cá nhân)"),
        blank=True,
        max_length=limits.FEEDBACK * 4,
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_name = models.CharField(_("họ tên người gửi"), max_length=120, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=20, blank=True)
    publish_consent = models.BooleanField(
        _("đồng ý công khai nội dung (đã lược thông tin cá nhân)"), default=False
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.RECEIVED,
        db_index=True,
    )
    received_on = models.DateField(_("ngày tiếp nhận"), db_index=True)
    deadline = models.DateField(_("hạn trả lời"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_department = models.CharField(_("bộ phận xử lý"), max_length=120, blank=True)
    answer = BoundedTextField(_("trả lời"), blank=True, max_length=limits.FEEDBACK)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("đánh giá (1-5)"), null=True, blank=True)
    rating_comment = models.CharField(_("nhận xét"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["commune", "status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="engage_feedback_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED)

    def is_overdue(self, today) -> bool:
        """Still unanswered past the deadline."""
        return self.is_open and today > self.deadline

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.answered_at) <= self.deadline

    @property
    def public_latitude(self) -> float | None:
        return round(self.latitude, 2) if self.latitude is not None else None

    @property
    def public_longitude(self) -> float | None:
        return round(self.longitude, 2) if self.longitude is not None else None


class FeedbackPhoto(TimeStampedModel):
    feedback = models.ForeignKey(
        Feedback, verbose_name=_("phản ánh"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("ảnh"), upload_to="engage/feedback/%Y/%m/")
    content_type = models.CharField(_("loại tệp"), max_length=50)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ảnh phản ánh")
        verbose_name_plural = _("ảnh phản ánh")

    def __str__(self) -> str:
        return self.image.name
