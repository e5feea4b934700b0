"""The demo identities the test provider offers, one per path of the account mapping.

A real VNeID or provincial SSO has its own directory; this one is read from the demo's
register so that its identities meet real residents and officials on the Làng Số side:

- residents (the "VNeID (thử nghiệm)" client): a registered resident who has an account; a
  registered resident without one (the first login creates it, with the resident role); a
  citizen who is not in the commune's register (a new account without any role);
- officials (the "SSO tỉnh (thử nghiệm)" client): the officials holding roles (matched by
  username), and one the province's SSO knows but Làng Số does not (refused).

Subjects are stable per person (`demo-citizen-<CCCD>`, `demo-official-<username>`), so a
second login follows the link written at the first.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import OFFICIAL_ROLES, Resident, RoleAssignment

UNREGISTERED_NAME = "Đặng Thu Trang"
UNKNOWN_OFFICIAL = "canbo.chuadangky"
MAX_OFFICIALS = 6


@dataclass(frozen=True)
class DemoIdentity:
    key: str
    name: str
    detail: str  # shown on the provider's page
    outcome: str  # what happens at Làng Số, shown on the provider's page
    claims: dict = field(default_factory=dict)


def _names(full_name: str) -> dict:
    family, _, given = full_name.rpartition(" ")
    return {"name": full_name, "family_name": family, "given_name": given}


def _citizen(key: str, full_name: str, citizen_id: str, outcome: str) -> DemoIdentity:
    return DemoIdentity(
        key=key,
        name=full_name,
        detail=_("CCCD %(id)s") % {"id": citizen_id},
        outcome=outcome,
        claims={
            "sub": f"demo-citizen-{citizen_id}",
            "citizen_id": citizen_id,
            **_names(full_name),
        },
    )


def _unregistered_citizen_id() -> str:
    """A well-formed CCCD (Thái Nguyên, woman born 1995) that nobody in the register has."""
    taken = set(
        Resident.objects.filter(citizen_id__startswith="019195").values_list(
            "citizen_id", flat=True
        )
    )
    return next(f"019195{n:06d}" for n in range(100, 10**6) if f"019195{n:06d}" not in taken)


def resident_identities() -> list[DemoIdentity]:
    adults = Resident.objects.exclude(citizen_id__isnull=True).exclude(citizen_id="")
    out = []
    with_account = (
        adults.filter(user__isnull=False, user__is_staff=False, user__is_superuser=False)
        .select_related("user", "household")
        .order_by("household__code", "pk")
        .first()
    )
    if with_account is not None and with_account.user is not None:
        out.append(
            _citizen(
                "resident-account",
                with_account.full_name,
                with_account.citizen_id or "",
                _("Người dân đã có tài khoản Làng Số (%(user)s): đăng nhập vào tài khoản đó.")
                % {"user": with_account.user.get_username()},
            )
        )
    without_account = adults.filter(user__isnull=True).order_by("household__code", "pk").first()
    if without_account is not None:
        out.append(
            _citizen(
                "resident-registered",
                without_account.full_name,
                without_account.citizen_id or "",
                _(
                    "Có trong sổ hộ khẩu của xã, chưa có tài khoản: lần đăng nhập đầu tiên tạo "
                    "tài khoản người dân gắn với hộ của mình."
                ),
            )
        )
    out.append(
        _citizen(
            "citizen-unregistered",
            UNREGISTERED_NAME,
            _unregistered_citizen_id(),
            _("Không có trong sổ của xã: tạo tài khoản mới chưa có vai trò nào."),
        )
    )
    return out


def official_identities() -> list[DemoIdentity]:
    assignments = (
        RoleAssignment.objects.filter(
            role__in=OFFICIAL_ROLES, user__is_active=True, user__is_superuser=False
        )
        .select_related("user", "unit")
        .order_by("user__username")
    )
    seen: dict[str, DemoIdentity] = {}
    for a in assignments:
        user = a.user
        if user.username in seen or len(seen) >= MAX_OFFICIALS:
            continue
        full_name = user.get_full_name() or user.username
        seen[user.username] = DemoIdentity(
            key=f"official-{user.username}",
            name=full_name,
            detail=f"{user.username} · {a.get_role_display()}, {a.unit.name}",
            outcome=_("Cán bộ đã đăng ký trên Làng Số: đăng nhập với đúng vai trò của mình."),
            claims={
                "sub": f"demo-official-{user.username}",
                "preferred_username": user.username,
                "email": user.email,
                "email_verified": bool(user.email),
                **_names(full_name),
            },
        )
    unknown = DemoIdentity(
        key="official-unknown",
        name="Lý Văn Tâm",
        detail=UNKNOWN_OFFICIAL,
        outcome=_("Tỉnh biết người này nhưng Làng Số chưa cấp quyền: bị từ chối."),
        claims={
            "sub": f"demo-official-{UNKNOWN_OFFICIAL}",
            "preferred_username": UNKNOWN_OFFICIAL,
            **_names("Lý Văn Tâm"),
        },
    )
    return [*seen.values(), unknown]


def identities_for(kind: str) -> list[DemoIdentity]:
    return resident_identities() if kind == "resident" else official_identities()
