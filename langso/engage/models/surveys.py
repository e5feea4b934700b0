import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    OPEN = "open", _("Đang nhận trả lời")
    CLOSED = "closed", _("Đã đóng")


class SurveyKind(models.TextChoices):
    GENERAL = "general", _("Khảo sát chung")
    PROGRAMME_SATISFACTION = (
        "ntm_satisfaction",
        _("Mức độ hài lòng về kết quả xây dựng nông thôn mới"),
    )


class QuestionType(models.TextChoices):
    TEXT = "text", _("Văn bản")
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    SELECT_ONE = "select_one", _("Chọn một")
    SELECT_MULTIPLE = "select_multiple", _("Chọn nhiều")
    DATE = "date", _("Ngày")
    GEOPOINT = "geopoint", _("Vị trí (vĩ độ, kinh độ)")
    NOTE = "note", _("Ghi chú (không cần trả lời)")
    TIME = "time", _("Giờ")
    DATETIME = "datetime", _("Ngày giờ")
    PHONE = "phone", _("Số điện thoại")
    CALCULATE = "calculate", _("Giá trị tính (calculate)")
    IMAGE = "image", _("Ảnh")
    FILE = "file", _("Tệp")
    #: marks where a repeat (begin repeat) starts; its questions name it in `repeat`
    REPEAT = "repeat", _("Nhóm lặp (repeat)")


class Survey(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="surveys"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    title = models.CharField(_("tên khảo sát"), max_length=200)
    description = BoundedTextField(_("giới thiệu"), blank=True, max_length=limits.DESCRIPTION)
    kind = models.CharField(
        _("loại"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.GENERAL
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    one_response_per_resident = models.BooleanField(_("mỗi người trả lời một lần"), default=True)
    anonymous = models.BooleanField(_("ẩn danh"), default=False)
    login_required = models.BooleanField(_("cần đăng nhập"), default=True)
    opens_on = models.DateField(_("mở từ ngày"), null=True, blank=True)
    closes_on = models.DateField(_("đóng ngày"), null=True, blank=True)
    form_id = models.CharField(_("mã biểu mẫu (form_id)"), max_length=100, blank=True)
    version = models.CharField(_("phiên bản"), max_length=40, blank=True)
    #: XLSForm settings: the translation shown when none fits the reader's language, and
    #: whether one choice list may repeat a value (`allow_choice_duplicates`)
    default_language = models.CharField(_("ngôn ngữ mặc định"), max_length=100, blank=True)
    allow_choice_duplicates = models.BooleanField(
        _("cho phép lựa chọn trùng giá trị"), default=False
    )
    #: the select_one question whose answers give the satisfaction rate, and its satisfied values
    satisfaction_question = models.CharField(
        _("câu hỏi mức hài lòng chung"), max_length=64, blank=True
    )
    satisfied_values = models.JSONField(
        _("giá trị được tính là hài lòng"), default=list, blank=True
    )
    source_file = models.FileField(_("tệp XLSForm"), upload_to="engage/xlsforms/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("khảo sát")
        verbose_name_plural = _("khảo sát")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("khảo sát"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên biến"), max_length=64)
    label = models.CharField(_("câu hỏi"), max_length=500)
    hint = models.CharField(_("gợi ý"), max_length=500, blank=True)
    group_label = models.CharField(_("nhóm câu hỏi"), max_length=200, blank=True)
    qtype = models.CharField(_("loại"), max_length=16, choices=QuestionType.choices)
    required = models.BooleanField(_("bắt buộc"), default=False)
    #: XLSForm `required` given as an expression: required when it holds
    required_if = models.CharField(_("bắt buộc khi"), max_length=1000, blank=True)
    required_message = models.CharField(_("thông báo khi bỏ trống"), max_length=300, blank=True)
    constraint = models.CharField(_("ràng buộc (constraint)"), max_length=1000, blank=True)
    constraint_message = models.CharField(
        _("thông báo khi sai ràng buộc"), max_length=300, blank=True
    )
    relevant = models.CharField(_("điều kiện hiển thị (relevant)"), max_length=1000, blank=True)
    calculation = models.CharField(_("công thức tính (calculation)"), max_length=1000, blank=True)
    choice_filter = models.CharField(_("lọc lựa chọn (choice_filter)"), max_length=1000, blank=True)
    default = models.CharField(_("giá trị mặc định"), max_length=1000, blank=True)
    read_only = models.BooleanField(_("chỉ đọc"), default=False)
    #: the name of the repeat (a REPEAT question) this question belongs to, if any
    repeat = models.CharField(_("thuộc nhóm lặp"), max_length=64, blank=True)
    #: for a REPEAT: how many times it is asked (an expression); empty = as the resident adds
    repeat_count = models.CharField(_("số lần lặp"), max_length=1000, blank=True)
    #: other languages of the form: {"English (en)": {"label": ..., "hint": ...}}
    translations = models.JSONField(_("bản dịch"), default=dict, blank=True)
    #: [{"name": "5", "label": "Rất hài lòng"}, ...] for select questions; XLSForm choice
    #: columns used by a choice_filter under "filters", other languages under "labels"
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="engage_unique_question_name"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_labels(self) -> dict[str, str]:
        return {c["name"]: c["label"] for c in self.choices}


class SurveyResponse(models.Model):
    """One resident's answers. For an anonymous survey nothing here points to a person: the
    key is random (not a sequence that lines up with Participation), no user, and only the
    day of submission is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("khảo sát"), on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_on = models.DateField(_("ngày trả lời"), db_index=True)
    submitted_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answers = models.JSONField(_("câu trả lời"), default=dict)

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        ordering = ["survey", "submitted_on"]

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_on}"


class Participation(models.Model):
    """That a user has answered a survey (to allow one answer each), with no link to which
    response is theirs."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("khảo sát"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lượt tham gia khảo sát")
        verbose_name_plural = _("lượt tham gia khảo sát")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="engage_one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.user_id}"


class SurveyAttachment(models.Model):
    """A photo or file given as an answer (XLSForm image / file). For an anonymous survey it
    is linked only to the response, whose key is random; photos are re-encoded, which drops
    EXIF data such as the phone's position."""

    response = models.ForeignKey(
        SurveyResponse,
        verbose_name=_("phiếu trả lời"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    question = models.CharField(_("câu hỏi"), max_length=200)
    file = models.FileField(_("tệp"), upload_to="engage/survey-answers/%Y/%m/")
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))

    class Meta:
        verbose_name = _("tệp trả lời khảo sát")
        verbose_name_plural = _("tệp trả lời khảo sát")

    def __str__(self) -> str:
        return self.question
