"""Online public services: the procedures catalogue, dossiers and their history, attachments,
apology slips, satisfaction ratings, alerts, and the working-day calendar (holidays)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class ProcedureField(models.TextChoices):
    CIVIL_STATUS = "ho_tich", _("Hộ tịch")
    CERTIFICATION = "chung_thuc", _("Chứng thực")
    LAND = "dat_dai", _("Đất đai")
    SOCIAL_PROTECTION = "bao_tro_xa_hoi", _("Bảo trợ xã hội")
    RESIDENCE = "cu_tru", _("Cư trú")
    CONSTRUCTION = "xay_dung", _("Xây dựng")
    BUSINESS = "kinh_doanh", _("Hộ kinh doanh")
    AGRICULTURE = "nong_nghiep", _("Nông nghiệp")
    MERIT = "nguoi_co_cong", _("Người có công")
    EDUCATION = "giao_duc", _("Giáo dục")
    OTHER = "khac", _("Khác")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    COUNTER = "counter", _("Chỉ tại bộ phận một cửa")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "days", _("ngày làm việc")
    WORKING_HOURS = "hours", _("giờ làm việc")


class Procedure(TimeStampedModel):
    """An administrative procedure (thủ tục hành chính) handled by a commune."""

    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    code = models.CharField(
        _("mã thủ tục"),
        max_length=30,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193"),
    )
    name = models.CharField(_("tên thủ tục"), max_length=300)
    field = models.CharField(_("lĩnh vực"), max_length=20, choices=ProcedureField.choices)
    required_documents = BoundedTextField(
        _("thành phần hồ sơ"),
        blank=True,
        help_text=_("Mỗi giấy tờ một dòng"),
        max_length=limits.BODY,
    )
    fee = models.PositiveIntegerField(_("lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("ghi chú lệ phí"), max_length=200, blank=True)
    processing_time = models.PositiveSmallIntegerField(_("thời hạn giải quyết"))
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=5, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.FULL
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    search_key = models.CharField(max_length=400, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="unique_procedure_code_per_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def documents_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]

    @property
    def processing_minutes(self) -> int:
        from .working_time import MINUTES_PER_DAY

        per_unit = MINUTES_PER_DAY if self.time_unit == TimeUnit.WORKING_DAYS else 60
        return self.processing_time * per_unit

    @property
    def accepts_online(self) -> bool:
        return self.online_level != OnlineLevel.COUNTER


class HolidayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm bù (thứ Bảy, Chủ nhật đi làm)")


class Holiday(models.Model):
    """A date that breaks the Monday-Friday rule: a public holiday or compensatory day off,
    or a weekend day worked in exchange. Edited per year by administrators."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(
        _("loại"), max_length=12, choices=HolidayKind.choices, default=HolidayKind.DAY_OFF
    )

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Channel(models.IntegerChoices):
    """The national portal's channel codes."""

    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Đã tiếp nhận")
    NOT_RECEIVED = "not_received", _("Không tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    SUPPLEMENTED = "supplemented", _("Đã bổ sung")
    COMPLETED = "completed", _("Đã giải quyết")
    RETURNED = "returned", _("Đã trả kết quả")
    REJECTED = "rejected", _("Từ chối, dừng xử lý")
    WITHDRAWN = "withdrawn", _("Đã rút")


# Status codes of the national public-service portal (see DOMAIN.md). "supplemented" is back
# with the agency, so it reports "in processing"; a withdrawal reports code 7.
PORTAL_STATUS = {
    State.SUBMITTED: 1,
    State.RECEIVED: 2,
    State.NOT_RECEIVED: 3,
    State.PROCESSING: 4,
    State.SUPPLEMENT_REQUESTED: 5,
    State.SUPPLEMENTED: 4,
    State.WITHDRAWN: 7,
    State.REJECTED: 8,
    State.COMPLETED: 9,
    State.RETURNED: 10,
}
OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.RECEIVED,
        State.PROCESSING,
        State.SUPPLEMENT_REQUESTED,
        State.SUPPLEMENTED,
    }
)
SETTLED_STATES = frozenset({State.COMPLETED, State.RETURNED, State.REJECTED})
RATEABLE_STATES = frozenset({State.COMPLETED, State.RETURNED})


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(TimeStampedModel):
    """A dossier (hồ sơ) submitted for one procedure.

    `due_at` is the legal deadline (shifted by the time spent waiting for supplements);
    `extended_due_at` is the new date promised in an apology slip, which does not change
    whether the dossier counts as late. `version` is the optimistic lock: every write is an
    UPDATE ... WHERE version = n.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="dossiers"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    receipt_code = models.CharField(_("mã biên nhận"), max_length=32, unique=True)
    tracking_secret = models.CharField(_("mã tra cứu"), max_length=12)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    state = models.CharField(_("trạng thái"), max_length=24, choices=State.choices, db_index=True)
    version = models.PositiveIntegerField(default=1)

    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("người nộp"), max_length=120)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    description = BoundedTextField(_("nội dung yêu cầu"), blank=True, max_length=limits.DESCRIPTION)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    submitted_at = models.DateTimeField(_("nộp lúc"), db_index=True)
    receipt_due_at = models.DateTimeField(_("hạn tiếp nhận"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả kết quả"), db_index=True)
    extended_due_at = models.DateTimeField(_("hẹn lại (phiếu xin lỗi)"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng lúc"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("số phút làm việc tạm dừng"), default=0)
    settled_at = models.DateTimeField(
        _("giải quyết xong lúc"), null=True, blank=True, db_index=True
    )
    timeliness = models.CharField(
        _("tiến độ"), max_length=8, choices=Timeliness.choices, blank=True
    )
    processing_minutes = models.PositiveIntegerField(
        _("thời gian xử lý (phút làm việc)"), null=True, blank=True
    )
    outcome_reason = BoundedTextField(_("lý do (từ chối, rút)"), blank=True, max_length=limits.NOTE)
    result_document_id = models.UUIDField(_("văn bản kết quả"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["commune", "state", "due_at"]),
            models.Index(fields=["commune", "submitted_at"]),
            models.Index(fields=["commune", "settled_at"]),
        ]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def portal_status(self) -> int:
        return PORTAL_STATUS[State(self.state)]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_settled(self) -> bool:
        return self.state in SETTLED_STATES

    @property
    def appointment_at(self):
        return self.extended_due_at or self.due_at


class DossierEvent(models.Model):
    """One line of a dossier's history: a transition (or an apology slip), by whom, when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("thao tác"), max_length=24)
    from_state = models.CharField(
        _("từ trạng thái"), max_length=24, blank=True, choices=State.choices
    )
    to_state = models.CharField(_("sang trạng thái"), max_length=24, choices=State.choices)
    comment = BoundedTextField(_("ghi chú"), blank=True, max_length=limits.NOTE)

    class Meta:
        verbose_name = _("lịch sử hồ sơ")
        verbose_name_plural = _("lịch sử hồ sơ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class FileKind(models.TextChoices):
    APPLICATION = "application", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    RESULT = "result", _("Kết quả")


def attachment_path(instance: "DossierFile", filename: str) -> str:
    # Random names: files hold personal data and are served only through a checked view.
    return f"procedures/{instance.dossier.commune.code}/{uuid.uuid4().hex}.{instance.extension}"


class DossierFile(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(
        _("loại"), max_length=12, choices=FileKind.choices, default=FileKind.APPLICATION
    )
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("định dạng"), max_length=40)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
            self.content_type, "bin"
        )

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ApologySlip(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    issued_at = models.DateTimeField(_("ngày lập"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_due_at = models.DateTimeField(_("hẹn cũ"))
    new_due_at = models.DateTimeField(_("hẹn mới"))
    reason = BoundedTextField(_("lý do chậm"), max_length=limits.NOTE)

    class Meta:
        verbose_name = _("phiếu xin lỗi")
        verbose_name_plural = _("phiếu xin lỗi")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.new_due_at:%d/%m/%Y}"


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    KIOSK = "kiosk", _("Thiết bị tại bộ phận một cửa")


class Rating(models.Model):
    """The applicant's satisfaction with one settled dossier; at most one per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Satisfaction.choices)
    comment = BoundedTextField(_("ý kiến"), blank=True, max_length=limits.NOTE)
    channel = models.CharField(_("hình thức"), max_length=8, choices=RatingChannel.choices)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.level}"


class AlertKind(models.TextChoices):
    RECEIPT_LATE = "receipt_late", _("Quá 8 giờ làm việc chưa tiếp nhận")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


def alert_message(kind: str, dossier: "Dossier") -> str:
    """The text of a deadline alert, from the dossier as it stands."""
    from django.utils import timezone
    from django.utils.translation import gettext

    local_due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    if kind == AlertKind.RECEIPT_LATE:
        return gettext(
            "Hồ sơ %(code)s nộp trực tuyến đã quá 8 giờ làm việc mà chưa được tiếp nhận."
        ) % {"code": dossier.receipt_code}
    if kind == AlertKind.DUE_SOON:
        return gettext("Hồ sơ %(code)s sắp đến hạn trả kết quả (%(due)s).") % {
            "code": dossier.receipt_code,
            "due": local_due,
        }
    return gettext("Hồ sơ %(code)s đã quá hạn trả kết quả (%(due)s).") % {
        "code": dossier.receipt_code,
        "due": local_due,
    }


class Notification(models.Model):
    """A message to an official about a dossier (shown on the desk, also e-mailed)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="procedure_notifications"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=16, choices=AlertKind.choices)
    message = models.CharField(_("nội dung"), max_length=300)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo hồ sơ")
        verbose_name_plural = _("thông báo hồ sơ")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "recipient"], name="one_alert_per_kind_and_recipient"
            )
        ]

    def __str__(self) -> str:
        return self.message


class ReceiptSequence(models.Model):
    """Last receipt number used per commune and day (locked row while incremented)."""

    commune = models.ForeignKey("places.AdminUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "day"], name="one_receipt_sequence_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day} {self.last}"
