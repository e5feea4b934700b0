"""Single sign-on, the account half: which local user a verified OpenID Connect login is.

`langso.core.oidc` verifies the protocol and hands over the claims; `sign_in_external`
decides the account, writes the link and the audit log (docs/sso.md, ADR 0008):

- a known (issuer, subject) signs in its linked user;
- residents (a provider of kind "resident", VNeID) are matched by the citizen ID claim to a
  registered Resident: the resident's account, or a new one holding the resident role on the
  household's commune; with no registered resident, a new account without any role;
- officials (kind "official", provincial SSO) are matched to an existing local account by
  username or e-mail; no account is ever created and no role ever granted from claims, unless
  the provider is trusted with a role map (claim group -> role on a unit code), and then only
  on units of its configured province;
- admin accounts (staff or superuser) never sign in through a resident provider, and
  superusers through none.
"""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.models import AuditAction
from langso.core.oidc import Login, Provider, SsoError
from langso.places.models import AdminUnit, Structure

from .actions import assign_role, revoke_role
from .citizen_id import validate_citizen_id
from .models import ExternalIdentity, Resident, Role, RoleAssignment, User
from .permissions import forget_scope, is_official

# Roles a trusted provider's role map may grant: never resident or producer (they name a
# household or a producer, which a claim cannot).
MAPPABLE_ROLES = frozenset(Role) - {Role.RESIDENT, Role.PRODUCER}


def sign_in_external(*, provider: Provider, login: Login) -> User:
    """The user `login` signs in as, linked and audited; or SsoError (also audited).

    A trusted provider's mapped roles are brought in line with the claims first, and that
    stays done even when the login is then refused (an official whose last mapped role was
    withdrawn loses it, and is refused)."""
    try:
        for attempt in (1, 2):
            try:
                identity, how = _link(provider, login)
                break
            except IntegrityError:
                # The same person's first login ran twice at once (a double click, two
                # tabs): the other one created the link or account; the retry finds it.
                if attempt == 2:
                    raise
        user = identity.user
        if provider.kind == "official" and not is_official(user):
            raise SsoError(
                _("Tài khoản %(name)s không còn vai trò cán bộ trên Làng Số.")
                % {"name": user.get_username()},
                code="people.sso_not_official",
            )
    except SsoError as exc:
        record_sso_refusal(provider=provider, code=exc.code, subject=login.subject)
        raise
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at", "updated_at"])
    audit.record(
        actor=user,
        action=AuditAction.LOGIN,
        target=identity,
        fields={"provider": provider.name, "method": "oidc", "account": how},
    )
    return user


def record_sso_refusal(*, provider: Provider, code: str, subject: str = "") -> None:
    audit.record(
        actor=None,
        action=AuditAction.REFUSED,
        object_type="people.ExternalIdentity",
        object_repr=f"{provider.name}: {subject}"[:200],
        fields={"provider": provider.name, "method": "oidc", "reason": code},
        purpose=_("Đăng nhập một lần (SSO)"),
    )


def _find_identity(login: Login) -> ExternalIdentity | None:
    return (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=login.issuer, subject=login.subject)
        .first()
    )


@transaction.atomic
def _link(provider: Provider, login: Login) -> tuple[ExternalIdentity, str]:
    identity = _find_identity(login)
    if identity is not None:
        user, how = identity.user, "linked"
        _check_can_sign_in(provider, user)
    elif provider.kind == "resident":
        user, how = _resident_account(provider, login)
    else:
        user, how = _official_account(provider, login)
    if identity is None:
        identity = ExternalIdentity.objects.create(
            user=user, provider=provider.name, issuer=login.issuer, subject=login.subject
        )
    if provider.kind == "official" and provider.trusted_for_roles:
        _sync_mapped_roles(provider, user, login.claims)
    return identity, how


def _check_can_sign_in(provider: Provider, user: User) -> None:
    if not user.is_active:
        raise SsoError(
            _("Tài khoản %(name)s đã bị khoá.") % {"name": user.get_username()},
            code="people.sso_inactive_account",
        )
    if user.is_superuser or (provider.kind == "resident" and user.is_staff):
        raise SsoError(
            _("Tài khoản quản trị chỉ đăng nhập bằng mật khẩu tại Làng Số."),
            code="people.sso_privileged_account",
        )


def _username_for(provider: Provider, login: Login) -> str:
    digest = hashlib.sha256(f"{login.issuer}|{login.subject}".encode()).hexdigest()[:12]
    return f"{provider.name}.{digest}"


def _new_account(provider: Provider, login: Login, **extra: Any) -> User:
    claims = login.claims
    user = User(
        username=_username_for(provider, login),
        first_name=str(claims.get("given_name", ""))[:150],
        last_name=str(claims.get("family_name", ""))[:150],
        **extra,
    )
    user.set_unusable_password()
    user.save()
    audit.record_change(
        actor=None,
        action=AuditAction.CREATE,
        target=user,
        changed=["username", "first_name", "last_name"],
    )
    return user


def _resident_account(provider: Provider, login: Login) -> tuple[User, str]:
    citizen_id = str(login.claims.get(provider.citizen_id_claim) or "")
    try:
        validate_citizen_id(citizen_id)
    except ValidationError as exc:
        raise SsoError(
            _("%(provider)s không cung cấp số CCCD hợp lệ.") % {"provider": provider.label},
            code="people.sso_invalid_citizen_id",
        ) from exc
    resident = (
        Resident.objects.select_for_update(of=("self",))
        .select_related("household", "commune", "user")
        .filter(citizen_id=citizen_id)
        .first()
    )
    if resident is not None and resident.user is not None:
        _check_can_sign_in(provider, resident.user)
        return resident.user, "resident"
    user = _new_account(provider, login)
    if resident is None:
        return user, "new"
    resident.user = user
    resident.save(update_fields=["user", "updated_at"])
    assign_role(
        actor=None,
        user=user,
        role=Role.RESIDENT,
        unit=resident.commune,
        household=resident.household,
    )
    return user, "resident_new"


def _official_account(provider: Provider, login: Login) -> tuple[User, str]:
    value = str(login.claims.get(provider.username_claim) or "").strip()
    if provider.match_field == "email" and login.claims.get("email_verified") is False:
        value = ""
    users = User.objects.none()
    if value and provider.match_field == "email":
        users = User.objects.filter(email__iexact=value)
    elif value:
        users = User.objects.filter(username=value)
    matches = list(users[:2])
    if len(matches) == 1:
        _check_can_sign_in(provider, matches[0])
        return matches[0], "official"
    if len(matches) == 0 and provider.trusted_for_roles and _mapped_roles(provider, login.claims):
        return _new_account(
            provider, login, email=str(login.claims.get("email", ""))[:254]
        ), "official_new"
    raise SsoError(
        _(
            "Tài khoản %(who)s chưa được đăng ký là cán bộ trên Làng Số. Vui lòng liên hệ quản "
            "trị viên của xã hoặc tỉnh để được cấp quyền."
        )
        % {"who": value or login.subject},
        code="people.sso_unknown_official",
    )


def _mapped_roles(provider: Provider, claims: dict[str, Any]) -> list[tuple[str, AdminUnit]]:
    """(role, unit) pairs the provider's role map grants for the claim's groups, on units of
    the provider's province only."""
    groups = claims.get(provider.role_claim) or []
    if isinstance(groups, str):
        groups = groups.split()
    granted = []
    for group in groups:
        rule = provider.role_map.get(str(group))
        if not rule or rule.get("role") not in MAPPABLE_ROLES:
            continue
        unit = AdminUnit.objects.filter(
            structure=Structure.Y2025,
            code=rule.get("unit", ""),
            province_code=provider.province_code,
        ).first()
        if unit is not None:
            granted.append((rule["role"], unit))
    return granted


def _sync_mapped_roles(provider: Provider, user: User, claims: dict[str, Any]) -> None:
    """Grant what the claims map to now; revoke what this provider granted before and the
    claims no longer map to. Roles a person granted are never touched."""
    source = f"sso:{provider.name}"
    wanted = {(role, unit.pk): unit for role, unit in _mapped_roles(provider, claims)}
    for held in RoleAssignment.objects.filter(user=user, granted_by=source).select_related("unit"):
        if (held.role, held.unit_id) not in wanted:
            revoke_role(actor=None, assignment=held)
    for (role, _unit_id), unit in wanted.items():
        assign_role(actor=None, user=user, role=role, unit=unit, granted_by=source)
    forget_scope(user)  # a revocation above forgot another copy of the user
