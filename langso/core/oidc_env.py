"""Reading the single sign-on providers from the environment, for config/settings (no Django
imports here: settings load it before the apps).

    LANGSO_OIDC_PROVIDERS=vneid,sso-tinh
    LANGSO_OIDC_VNEID_DISCOVERY_URL=https://.../.well-known/openid-configuration
    LANGSO_OIDC_VNEID_CLIENT_ID=...   LANGSO_OIDC_VNEID_CLIENT_SECRET=...
    LANGSO_OIDC_SSO_TINH_KIND=official   LANGSO_OIDC_SSO_TINH_ROLE_MAP={"...": {...}}

Every key is listed in docs/sso.md; the values are checked by langso.core.oidc.Provider.
"""

import json
from collections.abc import Mapping
from typing import Any

KEYS = (
    "label",
    "kind",
    "discovery_url",
    "issuer",
    "client_id",
    "client_secret",
    "scopes",
    "citizen_id_claim",
    "username_claim",
    "match_field",
    "province_code",
    "role_claim",
    "role_map",
)


def providers_from_env(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """`LANGSO_OIDC_<NAME>_<KEY>` variables of each provider named in LANGSO_OIDC_PROVIDERS
    (NAME upper-cased, '-' as '_'; ROLE_MAP is JSON), as the settings dict."""
    result: dict[str, dict[str, Any]] = {}
    names = [n.strip() for n in environ.get("LANGSO_OIDC_PROVIDERS", "").split(",") if n.strip()]
    for name in names:
        prefix = "LANGSO_OIDC_" + name.upper().replace("-", "_") + "_"
        config: dict[str, Any] = {"label": name}
        for key in KEYS:
            value = environ.get(prefix + key.upper())
            if value is not None:
                config[key] = json.loads(value) if key == "role_map" else value
        result[name] = config
    return result
