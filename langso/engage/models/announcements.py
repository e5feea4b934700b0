import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã đăng")
    WITHDRAWN = "withdrawn", _("Đã gỡ")


class Audience(models.TextChoices):
    COMMUNE = "commune", _("Toàn xã")
    HAMLET = "hamlet", _("Một thôn, xóm")
    GROUP = "group", _("Một nhóm")


class AudienceGroup(models.TextChoices):
    PRODUCERS = "producers", _("Hộ sản xuất, hợp tác xã, doanh nghiệp")
    HOUSEHOLD_HEADS = "household_heads", _("Chủ hộ")


class Announcement(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="announcements",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = BoundedTextField(_("nội dung"), max_length=limits.BODY)
    audience = models.CharField(
        _("đối tượng"), max_length=10, choices=Audience.choices, default=Audience.COMMUNE
    )
    hamlet = models.ForeignKey(
        "places.Hamlet",
        verbose_name=_("thôn, xóm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.CharField(_("nhóm"), max_length=20, choices=AudienceGroup.choices, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["commune", "status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.audience == Audience.HAMLET:
            if self.hamlet is None:
                raise ValidationError({"hamlet": _("Chọn thôn, xóm nhận thông báo.")})
            if self.hamlet.commune_id != self.commune_id:
                raise ValidationError({"hamlet": _("Thôn, xóm không thuộc xã này.")})
        if self.audience == Audience.GROUP and not self.group:
            raise ValidationError({"group": _("Chọn nhóm nhận thông báo.")})

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.HAMLET and self.hamlet:
            return str(self.hamlet)
        if self.audience == Audience.GROUP:
            return self.get_group_display()
        return self.get_audience_display()


class AnnouncementAttachment(TimeStampedModel):
    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("thông báo"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("tệp"), upload_to="engage/announcements/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("kích thước (byte)"))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class Subscription(TimeStampedModel):
    """A resident's consent to receive announcements and the channels they chose.

    Pushing announcements needs this record (silence is not consent); everyone can still
    read them on the commune site and in the feeds. `active=False` is an unsubscribe,
    kept as a record of the withdrawal."""

    resident = models.OneToOneField(
        "people.Resident",
        verbose_name=_("người dân"),
        on_delete=models.CASCADE,
        related_name="engage_subscription",
    )
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("số điện thoại nhận tin"), max_length=20, blank=True)
    by_email = models.BooleanField(_("nhận qua thư điện tử"), default=False)
    by_sms = models.BooleanField(_("nhận qua SMS"), default=False)
    by_zalo = models.BooleanField(_("nhận qua Zalo"), default=False)
    active = models.BooleanField(_("đang nhận tin"), default=True)
    consent_at = models.DateTimeField(_("đồng ý lúc"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ghi nhận bởi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unsubscribed_at = models.DateTimeField(_("huỷ nhận tin lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận thông báo")
        verbose_name_plural = _("đăng ký nhận thông báo")

    def __str__(self) -> str:
        return str(self.resident)

    def channels(self) -> list[str]:
        if not self.active:
            return []
        out: list[str] = []
        if self.by_email and self.email:
            out.append(Channel.EMAIL)
        if self.by_sms and self.phone:
            out.append(Channel.SMS)
        if self.by_zalo and self.phone:
            out.append(Channel.ZALO)
        return out


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    RETRYING = "retrying", _("Gửi lại")
    FAILED = "failed", _("Gửi lỗi")
    CANCELLED = "cancelled", _("Đã huỷ")


class Delivery(models.Model):
    """One announcement to one resident through one channel. The unique constraint and the
    conditional claim in `langso.engage.delivery` make sure nobody gets it twice."""

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("thông báo"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=DeliveryState.choices,
        default=DeliveryState.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    simulated = models.BooleanField(
        _("qua cổng giả lập"),
        default=False,
        help_text=_("Cổng gửi là giả lập (bản demo, thử nghiệm): tin không đến người nhận."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lượt gửi")
        verbose_name_plural = _("lượt gửi")
        ordering = ["announcement", "resident", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "resident", "channel"], name="engage_unique_delivery"
            ),
            models.CheckConstraint(condition=Q(attempts__gte=0), name="engage_attempts_gte_0"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.announcement} → {self.resident} ({self.channel})"

    @property
    def commune(self):
        return self.announcement.commune

    @property
    def state_label(self) -> str:
        return delivery_state_label(self.state, self.simulated)


def delivery_state_label(state: str, simulated: bool) -> str:
    """'Đã gửi', or for a message a fake gateway took, a label that says nobody received it."""
    if state == DeliveryState.SENT and simulated:
        return str(_("Đã gửi (cổng giả lập, không gửi thật)"))
    return str(DeliveryState(state).label)
