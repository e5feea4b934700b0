"""OpenID Connect relying party: the protocol half of single sign-on (docs/sso.md).

Authorization code flow with PKCE (S256) against each provider configured in
`settings.LANGSO_OIDC_PROVIDERS` (VNeID for residents, a provincial SSO for officials...).
This module knows nothing of residents or roles: it returns verified claims, and
`langso.people.sso` maps them onto accounts. Authlib does the HTTP and the JOSE work; the
checks are spelled out here so that none of them depends on a library default:

- state: the callback's `state` must name a flow this browser session started;
- PKCE: the code verifier never leaves the server before the token request;
- id_token: signature by a key of the provider's JWKS, algorithm RS256 only, `iss` equal to
  the configured issuer, `aud` containing our client id, `azp` if present equal to it,
  `exp`/`iat` with two minutes of clock leeway, `nonce` equal to the one sent;
- userinfo: its `sub` must equal the id_token's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext as _

from .exceptions import DomainError

KINDS = ("resident", "official")
ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 120
HTTP_TIMEOUT_SECONDS = 10
METADATA_MAX_AGE_SECONDS = 3600


class SsoError(DomainError):
    """Single sign-on failed; nobody was signed in. `code` says why (stable, for logs)."""

    code = "core.sso_failed"
    http_status = 403


class SsoUnavailable(SsoError):
    """The provider could not be reached (network, timeout, 5xx): not the visitor's fault,
    so 503 with Retry-After, not 403."""

    code = "core.sso_provider_unreachable"
    http_status = 503
    retry_after = 30


def _is_transport_error(exc: Exception) -> bool:
    import requests

    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return True
    response = getattr(exc, "response", None)
    return response is not None and getattr(response, "status_code", 0) >= 500


@dataclass(frozen=True)
class Provider:
    """One configured OpenID Connect provider (see docs/sso.md for every key)."""

    name: str
    label: str
    kind: str
    discovery_url: str
    client_id: str
    client_secret: str
    issuer: str = ""
    scopes: str = "openid profile"
    citizen_id_claim: str = "citizen_id"
    username_claim: str = "preferred_username"
    match_field: str = "username"
    province_code: str = ""
    role_claim: str = "groups"
    role_map: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def trusted_for_roles(self) -> bool:
        return bool(self.role_map) and bool(self.province_code)

    @classmethod
    def from_config(cls, name: str, config: Mapping[str, Any]) -> Provider:
        missing = [k for k in ("discovery_url", "client_id", "client_secret") if not config.get(k)]
        if missing:
            raise ImproperlyConfigured(
                f"OIDC provider {name!r}: missing {', '.join(missing)} (see docs/sso.md)."
            )
        kind = config.get("kind", "resident")
        if kind not in KINDS:
            raise ImproperlyConfigured(f"OIDC provider {name!r}: kind must be one of {KINDS}.")
        if config.get("match_field", "username") not in ("username", "email"):
            raise ImproperlyConfigured(
                f"OIDC provider {name!r}: match_field must be 'username' or 'email'."
            )
        if config.get("role_map") and not config.get("province_code"):
            raise ImproperlyConfigured(
                f"OIDC provider {name!r}: a role_map needs the province_code it may grant on."
            )
        known = set(cls.__dataclass_fields__) - {"name"}
        return cls(name=name, **{k: v for k, v in config.items() if k in known})


def providers() -> dict[str, Provider]:
    """The configured providers, in settings order; in the demo, then the demo's own test
    providers (unless a configured provider has the same name)."""
    configured = dict(getattr(settings, "LANGSO_OIDC_PROVIDERS", {}) or {})
    if demo_idp_enabled():
        for name, config in demo_provider_configs().items():
            configured.setdefault(name, config)
    return {name: Provider.from_config(name, config) for name, config in configured.items()}


# -- The demo's test identity provider (langso.people.demo_idp, served under /demo-idp/ by
#    the demo process itself when the settings say LANGSO_DEMO_IDP = True; production sets
#    it False). Its two clients are described here, once, for both sides: Làng Số signs in
#    through them like through any provider, and the test provider registers them.

DEMO_IDP_PATH = "/demo-idp"
DEMO_CLIENTS = {"vneid": "resident", "sso-tinh": "official"}


def demo_idp_enabled() -> bool:
    return bool(getattr(settings, "LANGSO_DEMO_IDP", False))


def demo_idp_issuer() -> str:
    """The test provider's issuer: this very server, at LANGSO_PUBLIC_URL/demo-idp."""
    return settings.LANGSO_PUBLIC_URL.rstrip("/") + DEMO_IDP_PATH


def demo_client_secret(name: str) -> str:
    """Derived from SECRET_KEY: nothing to configure, and no secret written in the code."""
    import hashlib
    import hmac

    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"langso-demo-idp:{name}".encode(), hashlib.sha256).hexdigest()[:40]


def demo_provider_configs() -> dict[str, dict[str, Any]]:
    issuer = demo_idp_issuer()
    labels = {"vneid": _("VNeID (thử nghiệm)"), "sso-tinh": _("SSO tỉnh (thử nghiệm)")}
    return {
        name: {
            "label": str(labels[name]),
            "kind": kind,
            "discovery_url": issuer + "/.well-known/openid-configuration",
            "issuer": issuer,
            "client_id": f"langso-demo-{name}",
            "client_secret": demo_client_secret(name),
            "scopes": "openid profile",
        }
        for name, kind in DEMO_CLIENTS.items()
    }


def get_provider(name: str) -> Provider | None:
    return providers().get(name)


# -- Authlib clients, one per provider configuration, keeping the discovery document and
#    JWKS for an hour.

_clients: dict[str, Any] = {}


def _client(provider: Provider):
    from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App

    key = json.dumps(provider.__dict__, sort_keys=True, default=dict)
    client = _clients.get(key)
    loaded_at = client.server_metadata.get("_loaded_at", 0) if client else 0
    if client is None or time.time() - loaded_at > METADATA_MAX_AGE_SECONDS:
        client = DjangoOAuth2App(
            DjangoIntegration(f"oidc_{provider.name}"),
            name=provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic",
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
        )
        _clients[key] = client
    return client


def _metadata(provider: Provider) -> dict[str, Any]:
    client = _client(provider)
    try:
        metadata = client.load_server_metadata()
    except Exception as exc:  # network, HTTP status or JSON: the provider is unreachable
        _clients.clear()
        raise SsoUnavailable(
            _("Không kết nối được với %(provider)s. Vui lòng thử lại sau.")
            % {"provider": provider.label}
        ) from exc
    expected = provider.issuer or metadata.get("issuer", "")
    if not expected or metadata.get("issuer") != expected:
        raise SsoError(
            _("Cấu hình đăng nhập %(provider)s không khớp nhà cung cấp (issuer).")
            % {"provider": provider.label},
            code="core.sso_issuer_mismatch",
        )
    return metadata


def issuer_of(provider: Provider) -> str:
    return provider.issuer or _metadata(provider)["issuer"]


def start_login(
    request: HttpRequest, provider: Provider, redirect_uri: str
) -> HttpResponseRedirect:
    """Redirect the browser to the provider's authorization endpoint. Authlib keeps the
    state, nonce and PKCE verifier in the session under the state value."""
    _metadata(provider)
    return _client(provider).authorize_redirect(request, redirect_uri)


@dataclass(frozen=True)
class Login:
    issuer: str
    subject: str
    claims: dict[str, Any]
    id_token: str


def finish_login(request: HttpRequest, provider: Provider) -> Login:
    """Check the callback, exchange the code, verify the id_token, fetch userinfo."""
    client = _client(provider)
    if request.GET.get("error"):
        raise SsoError(
            _("%(provider)s đã từ chối đăng nhập (%(error)s).")
            % {"provider": provider.label, "error": request.GET["error"][:60]},
            code="core.sso_provider_refused",
        )
    state = request.GET.get("state", "")
    state_data = client.framework.get_state_data(request.session, state) if state else None
    if not state_data or not state_data.get("nonce") or not state_data.get("code_verifier"):
        raise SsoError(
            _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."),
            code="core.sso_state_mismatch",
        )
    client.framework.clear_state_data(request.session, state)
    code = request.GET.get("code", "")
    if not code:
        raise SsoError(
            _("Thiếu mã xác thực từ %(provider)s.") % {"provider": provider.label},
            code="core.sso_missing_code",
        )
    metadata = _metadata(provider)
    try:
        token = client.fetch_access_token(
            redirect_uri=state_data["redirect_uri"],
            code=code,
            code_verifier=state_data["code_verifier"],
        )
    except Exception as exc:  # OAuthError (invalid_grant...) or transport errors
        if _is_transport_error(exc):
            raise SsoUnavailable(
                _("Không kết nối được với %(provider)s. Vui lòng thử lại sau.")
                % {"provider": provider.label}
            ) from exc
        raise SsoError(
            _("%(provider)s không cấp mã truy cập. Vui lòng đăng nhập lại.")
            % {"provider": provider.label},
            code="core.sso_token_refused",
        ) from exc
    if "id_token" not in token:
        raise SsoError(
            _("%(provider)s không trả về id_token.") % {"provider": provider.label},
            code="core.sso_missing_id_token",
        )
    claims = verify_id_token(
        provider,
        token["id_token"],
        nonce=state_data["nonce"],
        access_token=token.get("access_token"),
    )
    if metadata.get("userinfo_endpoint") and token.get("access_token"):
        try:
            response = client.get(metadata["userinfo_endpoint"], token=token)
            response.raise_for_status()
            userinfo = response.json()
        except Exception as exc:
            if _is_transport_error(exc):
                raise SsoUnavailable(
                    _("Không kết nối được với %(provider)s. Vui lòng thử lại sau.")
                    % {"provider": provider.label}
                ) from exc
            raise SsoError(
                _("Không lấy được thông tin người dùng từ %(provider)s.")
                % {"provider": provider.label},
                code="core.sso_userinfo_failed",
            ) from exc
        if userinfo.get("sub") != claims["sub"]:
            raise SsoError(
                _("Thông tin người dùng từ %(provider)s không khớp id_token.")
                % {"provider": provider.label},
                code="core.sso_userinfo_mismatch",
            )
        claims = {**userinfo, **claims}
    return Login(
        issuer=claims["iss"], subject=str(claims["sub"]), claims=claims, id_token=token["id_token"]
    )


def verify_id_token(
    provider: Provider,
    id_token: str,
    *,
    nonce: str,
    access_token: str | None = None,
    now: int | None = None,
) -> dict[str, Any]:
    """The id_token's claims after every check of OpenID Connect Core 3.1.3.7, or SsoError."""
    from authlib.oidc.core import CodeIDToken
    from joserfc import jwt
    from joserfc.errors import InvalidKeyIdError, JoseError
    from joserfc.jwk import KeySet
    from joserfc.jws import JWSRegistry

    client = _client(provider)
    issuer = issuer_of(provider)
    registry = JWSRegistry(algorithms=ALGORITHMS)
    try:
        try:
            decoded = jwt.decode(
                id_token, KeySet.import_key_set(client.fetch_jwk_set()), registry=registry
            )
        except InvalidKeyIdError:  # the provider rotated its keys
            decoded = jwt.decode(
                id_token, KeySet.import_key_set(client.fetch_jwk_set(force=True)), registry=registry
            )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": issuer},
                "aud": {"essential": True, "values": [provider.client_id]},
                "sub": {"essential": True},
            },
            {
                "nonce": nonce,
                "client_id": provider.client_id,
                **({"access_token": access_token} if access_token else {}),
            },
        )
        claims.validate(now=now, leeway=LEEWAY_SECONDS)
        if not nonce or claims.get("nonce") != nonce:  # never accept an empty nonce
            raise JoseError("nonce")
    except (JoseError, ValueError) as exc:
        raise SsoError(
            _("Mã định danh (id_token) từ %(provider)s không hợp lệ.")
            % {"provider": provider.label},
            code="core.sso_invalid_id_token",
            reason=str(exc)[:100] or type(exc).__name__,
        ) from exc
    return dict(claims)


def logout_url(provider: Provider, *, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end_session_endpoint URL (RP-initiated logout), if it has one."""
    try:
        metadata = _metadata(provider)
    except SsoError:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    from authlib.common.urls import add_params_to_uri

    return add_params_to_uri(
        metadata["end_session_endpoint"],
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": provider.client_id,
        },
    )
