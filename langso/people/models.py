from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class User(AbstractUser):
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names first ("Nguyễn Văn Hùng")."""
        return f"{self.last_name} {self.first_name}".strip()


class Role(models.TextChoices):
    COMMUNE_LEADER = "commune_leader", _("Lãnh đạo UBND xã")
    COMMUNE_OFFICIAL = "commune_official", _("Cán bộ, công chức xã")
    HEALTH_WORKER = "health_worker", _("Nhân viên trạm y tế")
    DIGITAL_TEAM_MEMBER = "digital_team_member", _("Thành viên tổ công nghệ số cộng đồng")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ tỉnh")
    DISTRICT_OFFICER = "district_officer", _("Cán bộ huyện (trước 7/2025)")
    OCOP_EVALUATOR = "ocop_evaluator", _("Thành viên hội đồng đánh giá OCOP")
    INSPECTOR = "inspector", _("Cán bộ kiểm tra, giám sát")
    PRODUCER = "producer", _("Chủ thể sản xuất")
    RESIDENT = "resident", _("Người dân")


OFFICIAL_ROLES = frozenset(
    {
        Role.COMMUNE_LEADER,
        Role.COMMUNE_OFFICIAL,
        Role.HEALTH_WORKER,
        Role.PROVINCE_OFFICER,
        Role.DISTRICT_OFFICER,
    }
)
# Roles whose holders may see residents' basic personal data of their unit.
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.COMMUNE_LEADER,
        Role.COMMUNE_OFFICIAL,
        Role.PROVINCE_OFFICER,
        Role.DISTRICT_OFFICER,
    }
)


class RoleAssignment(TimeStampedModel):
    """A role held on an administrative unit: 'commune official of Xã Vô Tranh'.

    The role applies to the unit and every unit below it. A resident's role also names the
    household (and a producer's the producer, in the economy app).
    """

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    household = models.ForeignKey(
        "Household",
        verbose_name=_("hộ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    # "sso:<provider>" when a trusted provider's role map granted it: such a role is revoked
    # at the next login whose claims no longer map to it. Empty: granted by a person.
    granted_by = models.CharField(_("cấp bởi"), max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit.name}"


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Relation(models.TextChoices):
    HEAD = "head", _("Chủ hộ")
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Bố/mẹ")
    GRANDCHILD = "grandchild", _("Cháu")
    SIBLING = "sibling", _("Anh/chị/em")
    OTHER = "other", _("Khác")


class Household(TimeStampedModel):
    """A household (hộ) registered in a commune."""

    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    hamlet = models.ForeignKey(
        "places.Hamlet",
        verbose_name=_("thôn, xóm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    code = models.CharField(_("mã hộ"), max_length=30)
    address_line = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    head = models.ForeignKey(
        "Resident",
        verbose_name=_("chủ hộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["commune", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="unique_household_code_per_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.address_line}" if self.address_line else self.code


class Resident(TimeStampedModel):
    """A person registered in a household (nhân khẩu).

    `citizen_id` is basic personal data under Law 91/2025/QH15: shown masked to anyone
    without the right, and every unmasked read is logged (see people.queries).
    """

    household = models.ForeignKey(
        Household, verbose_name=_("hộ"), on_delete=models.CASCADE, related_name="members"
    )
    commune = models.ForeignKey(
        "places.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="residents"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=4, db_index=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    citizen_id = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    relation_to_head = models.CharField(
        _("quan hệ với chủ hộ"), max_length=12, choices=Relation.choices, default=Relation.OTHER
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident",
    )
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("nhân khẩu")
        verbose_name_plural = _("nhân khẩu")
        ordering = ["household", "id"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        from .citizen_id import validate_citizen_id

        if self.citizen_id:
            validate_citizen_id(self.citizen_id, sex=self.sex, date_of_birth=self.date_of_birth)

    @property
    def masked_citizen_id(self) -> str:
        from .citizen_id import mask_citizen_id

        return mask_citizen_id(self.citizen_id)


class ExternalIdentity(TimeStampedModel):
    """An account of an OpenID Connect provider (VNeID, a provincial SSO) linked to a local
    user: the provider's issuer and subject identify the person for good (docs/sso.md)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    provider = models.CharField(_("nhà cung cấp"), max_length=40)
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("mã người dùng tại nhà cung cấp"), max_length=255)
    last_login_at = models.DateTimeField(_("đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản liên kết (SSO)")
        verbose_name_plural = _("tài khoản liên kết (SSO)")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_external_identity")
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"
