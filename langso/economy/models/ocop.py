"""OCOP evaluation: criteria sheets (configuration data), dossiers and evaluators' scores."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class OcopCriteriaSet(TimeStampedModel):
    """One scoring sheet: a decision (e.g. "148/2023") for one product group, loaded from
    langso/economy/data/ocop/*.json by `manage.py load_ocop_criteria`."""

    decision = models.CharField(_("quyết định"), max_length=20)
    title = models.CharField(_("tên bộ tiêu chí"), max_length=250)
    product_group = models.CharField(_("nhóm sản phẩm"), max_length=12)
    effective_from = models.DateField(_("áp dụng từ"))
    part_a_max = models.PositiveSmallIntegerField(_("điểm tối đa phần A"))
    part_b_max = models.PositiveSmallIntegerField(_("điểm tối đa phần B"))
    part_c_max = models.PositiveSmallIntegerField(_("điểm tối đa phần C"))
    version = models.CharField(_("phiên bản dữ liệu"), max_length=20)

    class Meta:
        verbose_name = _("bộ tiêu chí OCOP")
        verbose_name_plural = _("bộ tiêu chí OCOP")
        ordering = ["-effective_from", "product_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "product_group"], name="ocop_criteria_set_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.product_group}"


class OcopCriterion(models.Model):
    class Part(models.TextChoices):
        A = "A", _("Phần A: Sản phẩm và sức mạnh cộng đồng")
        B = "B", _("Phần B: Khả năng tiếp thị")
        C = "C", _("Phần C: Chất lượng sản phẩm")

    criteria_set = models.ForeignKey(
        OcopCriteriaSet, on_delete=models.CASCADE, related_name="criteria"
    )
    part = models.CharField(_("phần"), max_length=1, choices=Part.choices)
    code = models.CharField(_("mã"), max_length=12)
    label = models.CharField(_("tiêu chí"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=4, decimal_places=1)
    position = models.PositiveSmallIntegerField(default=0)
    to_confirm = models.BooleanField(_("cần đối chiếu văn bản"), default=False)

    class Meta:
        verbose_name = _("tiêu chí OCOP")
        verbose_name_plural = _("tiêu chí OCOP")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="ocop_criterion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class OcopDossier(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã nộp")
        RATED = "rated", _("Đã xếp hạng")
        REFERRED = "referred", _("Chuyển cấp trên đánh giá")
        RETURNED = "returned", _("Trả lại")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product = models.ForeignKey(
        "economy.Product",
        verbose_name=_("sản phẩm"),
        on_delete=models.PROTECT,
        related_name="ocop_dossiers",
    )
    producer = models.ForeignKey(
        "economy.Producer",
        verbose_name=_("chủ thể"),
        on_delete=models.PROTECT,
        related_name="ocop_dossiers",
    )
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="ocop_dossiers",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    criteria_set = models.ForeignKey(
        OcopCriteriaSet,
        verbose_name=_("bộ tiêu chí"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    filed_on = models.DateField(_("ngày nộp"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    self_scores = models.JSONField(_("điểm tự đánh giá"), default=dict, blank=True)
    self_total = models.DecimalField(
        _("tổng điểm tự đánh giá"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = BoundedTextField(_("ghi chú"), blank=True, max_length=limits.NOTE)
    current_level = models.CharField(_("cấp đang đánh giá"), max_length=10, blank=True)
    result_total = models.DecimalField(
        _("điểm kết luận"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    result_star = models.PositiveSmallIntegerField(_("hạng sao kết luận"), null=True, blank=True)
    decided_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("hồ sơ OCOP")
        verbose_name_plural = _("hồ sơ OCOP")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.product} ({self.filed_on})"

    LEVEL_LABELS = {
        "commune": _("cấp xã"),
        "district": _("cấp huyện"),
        "province": _("cấp tỉnh"),
        "central": _("cấp trung ương"),
    }

    def get_current_level_display(self) -> str:
        """The rating level as a reader says it ("cấp tỉnh"), never the stored code."""
        return str(self.LEVEL_LABELS.get(self.current_level, self.current_level or "—"))


class OcopDossierFile(TimeStampedModel):
    dossier = models.ForeignKey(OcopDossier, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("tên tài liệu"), max_length=200)
    file = models.FileField(_("tệp"), upload_to="ocop/%Y/")

    class Meta:
        verbose_name = _("tài liệu hồ sơ OCOP")
        verbose_name_plural = _("tài liệu hồ sơ OCOP")

    @property
    def audit_unit(self):
        return self.dossier.commune

    def __str__(self) -> str:
        return self.title


class OcopEvaluation(TimeStampedModel):
    """One evaluator's score sheet for a dossier at one level."""

    dossier = models.ForeignKey(OcopDossier, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chấm"),
        on_delete=models.PROTECT,
        related_name="ocop_evaluations",
    )
    level = models.CharField(_("cấp đánh giá"), max_length=10)
    scores = models.JSONField(_("điểm theo tiêu chí"), default=dict)
    part_a = models.DecimalField(max_digits=5, decimal_places=2)
    part_b = models.DecimalField(max_digits=5, decimal_places=2)
    part_c = models.DecimalField(max_digits=5, decimal_places=2)
    total = models.DecimalField(_("tổng điểm"), max_digits=5, decimal_places=2)
    star = models.PositiveSmallIntegerField(_("hạng sao"))
    comment = BoundedTextField(_("nhận xét"), blank=True, max_length=limits.NOTE)

    class Meta:
        verbose_name = _("phiếu chấm OCOP")
        verbose_name_plural = _("phiếu chấm OCOP")
        ordering = ["dossier", "level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "evaluator", "level"], name="ocop_one_sheet_per_evaluator"
            )
        ]

    @property
    def audit_unit(self):
        return self.dossier.commune

    def __str__(self) -> str:
        return f"{self.dossier} · {self.evaluator} · {self.total}"
