"""Economy models. The core (Producer, ProducerMember, Product, GrowingArea, Certificate) is
here; OCOP evaluation, payments, linkage and marketplace models live in sibling modules."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class ProducerKind(models.TextChoices):
    HOUSEHOLD_BUSINESS = "household_business", _("Hộ kinh doanh")
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


class Producer(TimeStampedModel):
    """A producer: household business, cooperative, cooperative group or enterprise."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("loại hình"), max_length=20, choices=ProducerKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="producers"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    hamlet = models.ForeignKey(
        "places.Hamlet",
        verbose_name=_("thôn, xóm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
    address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    registration_number = models.CharField(
        _("số đăng ký kinh doanh / mã số thuế"), max_length=30, blank=True
    )
    gln = models.CharField(_("GLN (mã địa điểm toàn cầu)"), max_length=13, blank=True)
    gs1_company_prefix = models.CharField(_("mã doanh nghiệp GS1"), max_length=12, blank=True)
    description = BoundedTextField(_("giới thiệu"), blank=True, max_length=limits.DESCRIPTION)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("chủ thể sản xuất")
        verbose_name_plural = _("chủ thể sản xuất")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProducerMember(TimeStampedModel):
    """A user who acts for a producer (owner/manager), or a member of a cooperative."""

    class MemberRole(models.TextChoices):
        MANAGER = "manager", _("Người quản lý")
        MEMBER = "member", _("Thành viên")

    producer = models.ForeignKey(
        Producer, verbose_name=_("chủ thể"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="producer_roles",
    )
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("hộ thành viên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("tên thành viên"), max_length=150, blank=True)
    member_role = models.CharField(
        _("vai trò"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")

    @property
    def audit_unit(self):
        return self.producer.commune

    def __str__(self) -> str:
        return self.name or str(self.user)


class OcopGroup(models.TextChoices):
    """The six OCOP product groups (Decision 148/QĐ-TTg, 2023)."""

    FOOD = "food", _("Thực phẩm")
    BEVERAGE = "beverage", _("Đồ uống")
    HERBAL = "herbal", _("Dược liệu và sản phẩm từ dược liệu")
    HANDICRAFT = "handicraft", _("Thủ công mỹ nghệ")
    ORNAMENTAL = "ornamental", _("Sinh vật cảnh")
    TOURISM = "tourism", _("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch")


class Product(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    producer = models.ForeignKey(
        Producer, verbose_name=_("chủ thể"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("tên sản phẩm"), max_length=200)
    ocop_group = models.CharField(
        _("nhóm sản phẩm OCOP"), max_length=12, choices=OcopGroup.choices, blank=True
    )
    ocop_subgroup = models.CharField(_("phân nhóm"), max_length=120, blank=True)
    description = BoundedTextField(_("mô tả"), blank=True, max_length=limits.DESCRIPTION)
    unit = models.CharField(_("đơn vị tính"), max_length=30, default="kg")
    price = models.DecimalField(
        _("giá (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    gtin = models.CharField(
        _("mã GTIN"),
        max_length=14,
        blank=True,
        db_index=True,
        help_text=_("8, 12, 13 hoặc 14 chữ số; kiểm tra số kiểm tra."),
    )
    photo = models.ImageField(_("ảnh"), upload_to="products/%Y/", blank=True)
    stock = models.PositiveIntegerField(_("tồn kho"), null=True, blank=True)
    is_listed = models.BooleanField(_("hiển thị trên chợ"), default=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("sản phẩm")
        verbose_name_plural = _("sản phẩm")
        ordering = ["name"]
        indexes = [
            # the market and /api/economy/products: a commune's producers' listed products,
            # by name then id (after the OCOP stars, which come from the index below)
            models.Index(
                fields=["producer", "name", "id"],
                condition=models.Q(is_listed=True),
                name="economy_product_listed_idx",
            ),
        ]

    @property
    def audit_unit(self):
        return self.producer.commune

    def __str__(self) -> str:
        return self.name


class GrowingArea(TimeStampedModel):
    """A raw-material / growing area (vùng trồng, vùng nguyên liệu) with its official code.

    The code is stored exactly as issued (Decision 3156/QĐ-BNN-TT format
    VN-<province>-<district>-<commune>-<seq>-<yy>); the administrative link is `commune`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã số vùng trồng"), max_length=60, blank=True, db_index=True)
    name = models.CharField(_("tên vùng"), max_length=200)
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="growing_areas",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    crop = models.CharField(_("cây trồng / vật nuôi"), max_length=120)
    area_ha = models.DecimalField(
        _("diện tích (ha)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    boundary = models.JSONField(_("ranh giới (GeoJSON)"), null=True, blank=True)
    producers = models.ManyToManyField(
        Producer, verbose_name=_("chủ thể"), blank=True, related_name="growing_areas"
    )

    class Meta:
        verbose_name = _("vùng trồng")
        verbose_name_plural = _("vùng trồng")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class CertificateKind(models.TextChoices):
    VIETGAP = "vietgap", _("VietGAP")
    ORGANIC = "organic", _("Hữu cơ (TCVN 11041)")
    GLOBALGAP = "globalgap", _("GlobalGAP")
    OCOP = "ocop", _("Chứng nhận OCOP")
    FOOD_SAFETY = "food_safety", _("Cơ sở đủ điều kiện an toàn thực phẩm")
    OTHER = "other", _("Khác")


class IssuingLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Cấp trung ương")


class Certificate(TimeStampedModel):
    """A certificate held by a producer, optionally for one growing area or product.

    A certificate is valid on a day d when valid_from <= d <= valid_to and it is not revoked.
    """

    kind = models.CharField(_("loại chứng nhận"), max_length=12, choices=CertificateKind.choices)
    number = models.CharField(_("số chứng nhận"), max_length=60)
    issuer = models.CharField(_("tổ chức cấp"), max_length=200)
    scope = models.CharField(_("phạm vi"), max_length=300, blank=True)
    producer = models.ForeignKey(
        Producer, verbose_name=_("chủ thể"), on_delete=models.CASCADE, related_name="certificates"
    )
    growing_area = models.ForeignKey(
        GrowingArea,
        verbose_name=_("vùng trồng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("sản phẩm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"))
    revoked_at = models.DateField(_("thu hồi ngày"), null=True, blank=True)
    document = models.FileField(_("bản scan"), upload_to="certificates/%Y/", blank=True)
    # OCOP certificates only: the star, who issued it, from which dossier.
    star = models.PositiveSmallIntegerField(_("hạng sao OCOP"), null=True, blank=True)
    issuing_level = models.CharField(
        _("cấp công nhận"), max_length=10, blank=True, choices=IssuingLevel.choices
    )
    total_score = models.DecimalField(
        _("tổng điểm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    dossier = models.ForeignKey(
        "economy.OcopDossier",
        verbose_name=_("hồ sơ OCOP"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        ordering = ["-valid_to"]
        indexes = [
            # a product's best valid OCOP star, asked once per product of every market page
            models.Index(fields=["product", "kind", "-star"], name="economy_cert_product_star_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="certificate_valid_range",
            )
        ]

    @property
    def audit_unit(self):
        return self.producer.commune

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        if self.revoked_at and self.revoked_at <= day:
            return False
        return self.valid_from <= day <= self.valid_to


from .linkage import ProductionLinkage  # noqa: E402
from .market import Demand, Offer  # noqa: E402
from .ocop import OcopCriteriaSet, OcopCriterion, OcopDossier, OcopDossierFile, OcopEvaluation  # noqa: E402
from .payments import BankAccount  # noqa: E402
from .photos import ProductPhoto  # noqa: E402

__all__ = [
    "BankAccount",
    "Certificate",
    "CertificateKind",
    "Demand",
    "GrowingArea",
    "IssuingLevel",
    "OcopCriteriaSet",
    "OcopCriterion",
    "OcopDossier",
    "OcopDossierFile",
    "OcopEvaluation",
    "OcopGroup",
    "Offer",
    "Producer",
    "ProducerKind",
    "ProducerMember",
    "Product",
    "ProductPhoto",
    "ProductionLinkage",
]
