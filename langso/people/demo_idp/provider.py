"""The protocol side of the demo's test identity provider (see the package docstring).

Every check a relying party relies on is done here, explicitly: the client and its exact
redirect URI, `response_type=code`, the `openid` scope, a PKCE S256 challenge, one use of a
code within five minutes, the same client and redirect URI at the token endpoint, the code
verifier, the client secret (compared in constant time).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from langso.core.oidc import (
    DEMO_CLIENTS,
    demo_client_secret,
    demo_idp_issuer,
    demo_provider_configs,
)

CODE_SECONDS = 300
TOKEN_SECONDS = 600
ID_TOKEN_SECONDS = 300
CACHE_PREFIX = "demo-idp:"
LOOPBACK = ("127.0.0.1", "localhost")


class AuthorizeError(Exception):
    """A refused authorization request. `redirectable`: the client and redirect URI were
    valid, so the error goes back to the client (OAuth 2.0 §4.1.2.1); otherwise the page
    shows it and sends nobody anywhere."""

    def __init__(self, error: str, description: str, *, redirectable: bool = False):
        super().__init__(description)
        self.error, self.description, self.redirectable = error, description, redirectable


class TokenError(Exception):
    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass(frozen=True)
class Client:
    name: str  # the provider name on the Làng Số side: vneid, sso-tinh
    kind: str  # resident or official: which demo identities it offers
    label: str
    client_id: str

    def redirect_uris(self) -> set[str]:
        """Làng Số's callback on the public URL; on a loopback address also under the other
        loopback name, so that a demo opened as localhost works as well as 127.0.0.1."""
        public = urlsplit(settings.LANGSO_PUBLIC_URL)
        hosts = {public.netloc}
        if public.hostname in LOOPBACK:
            port = f":{public.port}" if public.port else ""
            hosts |= {name + port for name in LOOPBACK}
        path = f"/dang-nhap/sso/{self.name}/callback/"
        return {f"{public.scheme}://{host}{path}" for host in hosts}

    def post_logout_uris(self) -> set[str]:
        return {uri.split("/dang-nhap/")[0] + "/" for uri in self.redirect_uris()}


def clients() -> dict[str, Client]:
    """The registered clients, by client_id (the two demo providers of langso.core.oidc)."""
    return {
        config["client_id"]: Client(name, DEMO_CLIENTS[name], config["label"], config["client_id"])
        for name, config in demo_provider_configs().items()
    }


def check_client_secret(client: Client, secret: str) -> bool:
    return hmac.compare_digest(demo_client_secret(client.name), secret or "")


# -- signing key: one RSA key per demo installation, kept beside the demo's database so that
#    id_tokens stay verifiable across restarts (Làng Số caches the JWKS for an hour).

_key_lock = threading.Lock()
_keys: dict[str, object] = {}


def _key_file() -> Path:
    configured = getattr(settings, "LANGSO_DEMO_IDP_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "demo-idp-key.json"


def signing_key():
    from joserfc.jwk import RSAKey

    path = _key_file()
    with _key_lock:
        key = _keys.get(str(path))
        if key is None:
            if path.exists():
                key = RSAKey.import_key(json.loads(path.read_text()))
            else:
                kid = "demo-" + secrets.token_hex(4)
                key = RSAKey.generate_key(
                    2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"}, private=True
                )
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(key.as_dict(private=True)))
                path.chmod(0o600)
            _keys[str(path)] = key
    return key


def jwks() -> dict:
    return {"keys": [signing_key().as_dict(private=False)]}


def discovery() -> dict:
    issuer = demo_idp_issuer()
    return {
        "issuer": issuer,
        "authorization_endpoint": issuer + "/authorize/",
        "token_endpoint": issuer + "/token/",
        "userinfo_endpoint": issuer + "/userinfo/",
        "jwks_uri": issuer + "/jwks/",
        "end_session_endpoint": issuer + "/logout/",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "sub",
            "name",
            "given_name",
            "family_name",
            "preferred_username",
            "email",
            "email_verified",
            "citizen_id",
        ],
    }


# -- authorization


@dataclass(frozen=True)
class AuthRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    nonce: str
    code_challenge: str

    def as_fields(self) -> dict[str, str]:
        return {
            **asdict(self),
            "response_type": "code",
            "code_challenge_method": "S256",
        }


def parse_authorize(params) -> tuple[Client, AuthRequest]:
    client = clients().get(params.get("client_id", ""))
    if client is None:
        raise AuthorizeError("invalid_client", "Ứng dụng yêu cầu đăng nhập chưa được đăng ký.")
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in client.redirect_uris():
        raise AuthorizeError("invalid_request", "Địa chỉ quay về (redirect_uri) không hợp lệ.")
    if params.get("response_type") != "code":
        raise AuthorizeError(
            "unsupported_response_type", "Chỉ hỗ trợ luồng mã xác thực.", redirectable=True
        )
    scope = params.get("scope", "")
    if "openid" not in scope.split():
        raise AuthorizeError("invalid_scope", "Thiếu phạm vi openid.", redirectable=True)
    challenge = params.get("code_challenge", "")
    if params.get("code_challenge_method") != "S256" or not (43 <= len(challenge) <= 128):
        raise AuthorizeError(
            "invalid_request", "Bắt buộc PKCE với phương thức S256.", redirectable=True
        )
    return client, AuthRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        state=params.get("state", ""),
        nonce=params.get("nonce", ""),
        code_challenge=challenge,
    )


def issue_code(request: AuthRequest, claims: dict) -> str:
    code = secrets.token_urlsafe(32)
    cache.set(
        CACHE_PREFIX + "code:" + code,
        {"request": asdict(request), "claims": claims, "auth_time": int(time.time())},
        CODE_SECONDS,
    )
    return code


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _half_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def exchange_code(*, client: Client, code: str, redirect_uri: str, code_verifier: str) -> dict:
    """The token response for a code, which can be used once."""
    from joserfc import jwt

    key = CACHE_PREFIX + "code:" + (code or "")
    grant = cache.get(key)
    cache.delete(key)
    if grant is None:
        raise TokenError("invalid_grant", "code is unknown, used or expired")
    request = grant["request"]
    if request["client_id"] != client.client_id or request["redirect_uri"] != redirect_uri:
        raise TokenError("invalid_grant", "code was issued to another client or redirect_uri")
    if not code_verifier or not hmac.compare_digest(
        _s256(code_verifier), request["code_challenge"]
    ):
        raise TokenError("invalid_grant", "code_verifier does not match the code_challenge")
    access_token = secrets.token_urlsafe(32)
    claims = grant["claims"]
    cache.set(CACHE_PREFIX + "token:" + access_token, claims, TOKEN_SECONDS)
    now = int(time.time())
    id_claims = {
        **claims,
        "iss": demo_idp_issuer(),
        "aud": client.client_id,
        "azp": client.client_id,
        "iat": now,
        "exp": now + ID_TOKEN_SECONDS,
        "auth_time": grant["auth_time"],
        "at_hash": _half_hash(access_token),
    }
    if request["nonce"]:
        id_claims["nonce"] = request["nonce"]
    signer = signing_key()
    id_token = jwt.encode({"alg": "RS256", "kid": signer.kid, "typ": "JWT"}, id_claims, signer)
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": TOKEN_SECONDS,
        "scope": request["scope"],
        "id_token": id_token,
    }


def userinfo(access_token: str) -> dict | None:
    return cache.get(CACHE_PREFIX + "token:" + (access_token or ""))
