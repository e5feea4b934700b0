"""Electronic documents of a commune (văn bản điện tử) and their digital signatures."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục")
    DECISION = "decision", _("Quyết định")
    ANNOUNCEMENT = "announcement", _("Thông báo")
    CERTIFICATE = "certificate", _("Giấy xác nhận")
    REPORT = "report", _("Báo cáo")
    OTHER = "other", _("Văn bản khác")


class DocumentSource(models.TextChoices):
    WRITTEN = "written", _("Soạn trên hệ thống")
    UPLOADED = "uploaded", _("Tải lên")


def document_upload_to(instance: "Document", filename: str) -> str:
    # The public id, never the title, names the file: titles are personal data at times.
    return f"documents/{instance.commune.code}/{instance.public_id}.pdf"


class Document(models.Model):
    """One issued commune document. `file` holds the PDF as issued (signed when
    `signed_at` is set); `sha256` is the digest of exactly those bytes."""

    public_id = models.UUIDField(_("mã công khai"), default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        "places.AdminUnit", on_delete=models.PROTECT, related_name="documents", verbose_name=_("xã")
    )
    title = models.CharField(_("trích yếu"), max_length=300)
    kind = models.CharField(
        _("loại văn bản"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.RESULT
    )
    reference = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    recipient = models.CharField(_("nơi nhận"), max_length=300, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=DocumentSource.choices, default=DocumentSource.WRITTEN
    )
    file = models.FileField(_("tệp PDF"), upload_to=document_upload_to, max_length=200)
    size = models.PositiveIntegerField(_("kích thước (byte)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True, db_index=True)
    signer_name = models.CharField(_("người ký (chứng thư)"), max_length=200, blank=True)
    signer_serial = models.CharField(_("số hiệu chứng thư"), max_length=64, blank=True)
    signature_level = models.CharField(
        _("mức chữ ký"),
        max_length=10,
        blank=True,
        help_text=_("PAdES B-B, B-T (có dấu thời gian), B-LT (kèm dữ liệu thu hồi) hoặc B-LTA."),
    )
    search_key = models.CharField(max_length=400, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["commune", "created_at"])]

    def __str__(self) -> str:
        if self.reference:
            return f"{self.reference} — {self.title}"
        return self.title

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None
