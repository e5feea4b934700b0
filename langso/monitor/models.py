"""Criteria sets, indicators, thresholds, values, targets and assessments.

The catalogue (sets, criteria, indicators, thresholds, targets) is loaded from the versioned
JSON files in `langso/monitor/data/` by `manage.py load_criteria`; officials complete items
marked `to_confirm` in the admin. Values are kept per (unit, indicator, year) with numerator
and denominator, so that roll-ups across units and across the 2025 merger recompute rates
instead of averaging them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class Scheme(models.TextChoices):
    """How a criteria set varies its thresholds between communes."""

    NONE = "none", _("Như nhau cho mọi đơn vị")
    REGION = "region", _("Theo vùng (7 vùng, 2021-2025)")
    GROUP = "group", _("Theo nhóm xã (3 nhóm, 2026-2030)")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu nền tảng")
    ENTERED = "entered", _("Cán bộ nhập, kèm minh chứng")
    DERIVED = "derived", _("Tổng hợp từ đơn vị cấp dưới")


class Comparator(models.TextChoices):
    GTE = ">=", "≥"
    LTE = "<=", "≤"


class ValueKind(models.TextChoices):
    PERCENT = "percent", _("Tỷ lệ (%)")
    COUNT = "count", _("Số lượng")
    BOOLEAN = "boolean", _("Đạt / không đạt")


class RollupRule(models.TextChoices):
    SUM = "sum", _("Cộng dồn (số lượng)")
    RECOMPUTE = "recompute", _("Tính lại từ tử số và mẫu số")
    REASSESS = "reassess", _("Đánh giá lại theo ngưỡng của đơn vị mới")


class Status(models.TextChoices):
    MET = "met", _("Đạt")
    BASICALLY_MET = "basic", _("Cơ bản đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NO_DATA = "no_data", _("Chưa có số liệu")
    NEEDS_REASSESSMENT = "reassess", _("Cần đánh giá lại")


class SetKind(models.TextChoices):
    """What a criteria set is for: the New Rural commune standard (one per period; the
    dashboards, rankings and targets use it) or the smart New Rural commune pilot, which a
    commune is assessed against beside it."""

    STANDARD = "standard", _("Bộ tiêu chí xã nông thôn mới")
    SMART_PILOT = "smart_pilot", _("Xã nông thôn mới thông minh (thí điểm)")


class CriteriaSet(TimeStampedModel):
    code = models.SlugField(_("mã bộ tiêu chí"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    decision = models.CharField(_("văn bản"), max_length=200)
    level = models.CharField(_("cấp áp dụng"), max_length=20, default="commune")
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    scheme = models.CharField(
        _("phân loại ngưỡng"), max_length=10, choices=Scheme.choices, default=Scheme.NONE
    )
    is_programme = models.BooleanField(_("là chỉ tiêu chương trình"), default=False)
    kind = models.CharField(
        _("loại bộ tiêu chí"), max_length=20, choices=SetKind.choices, default=SetKind.STANDARD
    )
    sources = models.JSONField(_("nguồn"), default=list, blank=True)
    version = models.CharField(_("phiên bản dữ liệu"), max_length=40, blank=True)
    amendments = models.JSONField(_("văn bản sửa đổi"), default=list, blank=True)
    to_confirm = models.BooleanField(_("cần xác nhận"), default=False)

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-year_from", "code"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bộ tiêu chí"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    number = models.CharField(_("số"), max_length=10)
    name = models.CharField(_("tên tiêu chí"), max_length=300)
    group = models.CharField(_("nhóm"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    to_confirm = models.BooleanField(_("cần xác nhận"), default=False)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="unique_criterion_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Indicator(models.Model):
    code = models.CharField(_("mã chỉ tiêu"), max_length=60, unique=True)  # "NTM21.8.4"
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="indicators"
    )
    number = models.CharField(_("số"), max_length=12)  # "8.4"
    name = models.CharField(_("tên chỉ tiêu"), max_length=400)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("nguồn số liệu"), max_length=10, choices=Source.choices)
    figure_code = models.CharField(_("mã số liệu"), max_length=80, blank=True)
    value_kind = models.CharField(
        _("loại giá trị"), max_length=10, choices=ValueKind.choices, default=ValueKind.PERCENT
    )
    comparator = models.CharField(
        _("so sánh"), max_length=2, choices=Comparator.choices, default=Comparator.GTE
    )
    basic_band = models.DecimalField(
        _("biên 'cơ bản đạt' (điểm)"), max_digits=8, decimal_places=2, default=0
    )
    rollup_rule = models.CharField(
        _("quy tắc chuyển khi sáp nhập"),
        max_length=10,
        choices=RollupRule.choices,
        default=RollupRule.REASSESS,
    )
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("chỉ tiêu của đơn vị cấp dưới"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    derived_kind = models.CharField(_("cách tổng hợp"), max_length=20, blank=True)
    derived_set = models.CharField(_("bộ tiêu chí được tổng hợp"), max_length=60, blank=True)
    description = BoundedTextField(_("cách đánh giá"), blank=True, max_length=limits.DESCRIPTION)
    to_confirm = models.BooleanField(_("cần xác nhận"), default=False)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["criterion__criteria_set", "criterion__order", "order"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Threshold(models.Model):
    """The value to reach, for a region/group (blank = all), a year range and optionally one
    province (a province's own plan overrides the national value)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="thresholds"
    )
    classification = models.CharField(_("vùng / nhóm"), max_length=40, blank=True)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    province_code = models.CharField(_("mã tỉnh (ngưỡng riêng)"), max_length=4, blank=True)
    value = models.DecimalField(_("ngưỡng"), max_digits=14, decimal_places=2)
    basic_value = models.DecimalField(
        _("ngưỡng 'cơ bản đạt'"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decision = models.CharField(_("văn bản"), max_length=200, blank=True)
    to_confirm = models.BooleanField(_("cần xác nhận"), default=False)

    class Meta:
        verbose_name = _("ngưỡng")
        verbose_name_plural = _("ngưỡng")
        ordering = ["indicator", "province_code", "classification", "year_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "classification", "year_from", "province_code"],
                name="unique_threshold",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.classification or '*'} {self.year_from}: {self.value}"


class UnitClassification(models.Model):
    """A unit's region (2021-2025) or commune group (2026-2030), as data with validity."""

    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="classifications",
    )
    scheme = models.CharField(_("phân loại"), max_length=10, choices=Scheme.choices)
    value = models.CharField(_("vùng / nhóm"), max_length=40)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))

    class Meta:
        verbose_name = _("phân vùng đơn vị")
        verbose_name_plural = _("phân vùng đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "scheme", "year_from"], name="unique_unit_classification"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.scheme}={self.value} {self.year_from}-{self.year_to}"


class IndicatorValue(models.Model):
    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    numerator = models.DecimalField(
        _("tử số"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("mẫu số"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    value = models.DecimalField(
        _("giá trị"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("kết quả"), max_length=10, choices=Status.choices, default=Status.NO_DATA
    )
    threshold = models.DecimalField(
        _("ngưỡng áp dụng"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    note = BoundedTextField(_("ghi chú"), blank=True, max_length=limits.NOTE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "year"], name="unique_indicator_value"
            )
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator.code} {self.year}: {self.value}"


class Evidence(TimeStampedModel):
    value = models.ForeignKey(
        IndicatorValue,
        verbose_name=_("giá trị chỉ tiêu"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("tệp minh chứng"), upload_to="monitor/evidence/%Y/")
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class PendingRecompute(models.Model):
    """A recompute of (unit, year) is queued and has not started: further changes to the
    unit's figures need no other task. Inserted, never updated (ON CONFLICT DO NOTHING,
    after the changing transaction commits); the task deletes it before reading figures,
    so a change committed after that queues the next recompute. See actions.values."""

    unit = models.ForeignKey("places.AdminUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_pending_recompute")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} queued at {self.queued_at}"


class Target(TimeStampedModel):
    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("mục tiêu"), max_length=300)
    decision = models.CharField(_("văn bản"), max_length=200)
    scope_unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("phạm vi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("chỉ tiêu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    figure_code = models.CharField(_("mã số liệu"), max_length=80, blank=True)
    measure = models.CharField(_("cách đo"), max_length=20, default="value")
    comparator = models.CharField(
        _("so sánh"), max_length=2, choices=Comparator.choices, default=Comparator.GTE
    )
    value = models.DecimalField(_("giá trị mục tiêu"), max_digits=14, decimal_places=2)
    value_kind = models.CharField(_("loại giá trị"), max_length=10, choices=ValueKind.choices)
    baseline_year = models.PositiveSmallIntegerField(_("năm gốc"), default=2021)
    deadline = models.DateField(_("thời hạn"))
    to_confirm = models.BooleanField(_("cần xác nhận"), default=False)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["deadline", "code"]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi tỉnh")
    APPRAISED = "appraised", _("Tỉnh đã thẩm định")
    RECOGNISED = "recognised", _("Đã công nhận")
    RETURNED = "returned", _("Trả lại để bổ sung")


class Assessment(TimeStampedModel):
    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bộ tiêu chí"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    snapshot = models.JSONField(_("số liệu khi công nhận"), default=dict, blank=True)
    recognised_at = models.DateTimeField(_("công nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ đánh giá")
        verbose_name_plural = _("hồ sơ đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "criteria_set", "year"], name="unique_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.criteria_set.code} · {self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.status == AssessmentStatus.RECOGNISED


class AssessmentStep(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=12, choices=AssessmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=AssessmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = BoundedTextField(blank=True, max_length=limits.NOTE)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Dhis2Identifier(models.Model):
    """The DHIS2 UID handed out for one of our objects (an administrative unit, a data
    element, a data set, an org unit level), derived from its code and kept, so that
    metadata and data values exported today and imported back later agree. `key` is our
    stable code: a unit key ("2025:commune:05641"), an indicator code with an optional
    "-NUM"/"-DEN" suffix, a criteria set code, or "<structure>:<level>"."""

    kind = models.CharField(_("loại đối tượng"), max_length=24)
    key = models.CharField(_("mã trong Làng Số"), max_length=80)
    uid = models.CharField(_("mã DHIS2 (UID)"), max_length=11, unique=True)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("mã DHIS2")
        verbose_name_plural = _("mã DHIS2")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="unique_dhis2_identifier_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} = {self.uid}"


class RecognitionOverride(models.Model):
    """The province recognised an assessment although some criteria were not met, and said
    why. Kept with the criteria that were unmet at that moment; written once, never edited
    (the recognition it allowed is frozen too)."""

    assessment = models.OneToOneField(
        Assessment,
        verbose_name=_("hồ sơ đánh giá"),
        on_delete=models.PROTECT,
        related_name="override",
    )
    reason = models.TextField(_("lý do công nhận ngoại lệ"), max_length=2000)
    unmet = models.JSONField(_("tiêu chí chưa đạt khi công nhận"), default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("công nhận ngoại lệ")
        verbose_name_plural = _("công nhận ngoại lệ")

    def __str__(self) -> str:
        return f"{self.assessment} · {_('ngoại lệ')}"

    @property
    def unit(self):
        return self.assessment.unit


class ProgrammeMembership(models.Model):
    """The province's decision that a unit is (or is not) in the New Rural programme from
    `year_from` (to `year_to`, open when blank). Without a decision a unit follows the
    default: communes (xã) are in; wards (phường), townships and special zones are out."""

    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="programme_memberships",
    )
    included = models.BooleanField(_("thuộc chương trình nông thôn mới"))
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    reason = models.TextField(_("lý do"), max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm"), auto_now=True)

    class Meta:
        verbose_name = _("phạm vi chương trình")
        verbose_name_plural = _("phạm vi chương trình")
        ordering = ["unit", "year_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year_from"], name="unique_programme_membership"
            ),
            models.CheckConstraint(
                condition=models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=models.F("year_from")),
                name="programme_membership_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        state = _("trong chương trình") if self.included else _("ngoài chương trình")
        end = self.year_to or "…"
        return f"{self.unit.name}: {state} {self.year_from}-{end}"

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)
