"""Settings of the documents app, read from Django settings first, then the environment.

LANGSO_SIGNING_MODE        "demo" (default), "pkcs12" or "external"
LANGSO_SIGNING_DIR         where the demo CA and demo commune keys live (VAR_DIR/signing)
LANGSO_SIGNING_PKCS12      path of the commune's PKCS#12 file; "{code}" is replaced by the
                           commune code, so one deployment can serve several communes
LANGSO_SIGNING_PASSPHRASE  passphrase of that file
LANGSO_EXTERNAL_SIGNER     dotted path of a factory `f(commune) -> RawSigner` (HSM, the
                           Government Cipher Committee's signing service, ...)
LANGSO_TSA_URL             RFC 3161 timestamp authority; the demo uses a local one
LANGSO_SIGNATURE_LTA       "1" adds a document timestamp (PAdES B-LTA) with the demo's
                           local timestamp authority too; on by default with LANGSO_TSA_URL
LANGSO_TRUST_ROOTS         PEM files of the trusted roots, separated by ","; defaults to the
                           demo root in demo mode
LANGSO_CRL_FILES           CRLs (PEM or DER) the verifier uses offline, separated by ",";
                           in demo mode the demo root's CRL is added when it exists
LANGSO_SIGNATURE_FETCH_REVOCATION  "1" lets the verifier fetch CRLs/OCSP over the network
                           (off by default: the demo and tests run offline)
LANGSO_VERIFY_PER_MINUTE   public verifications allowed per minute and address (30)
LANGSO_DOCUMENT_MAX_BYTES  largest PDF accepted for signing or verification (20 MB)
"""

import os
from pathlib import Path

from django.conf import settings

DEMO, PKCS12, EXTERNAL = "demo", "pkcs12", "external"


def _get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value) if value is not None else default


def signing_mode() -> str:
    mode = _get("LANGSO_SIGNING_MODE").strip().lower()
    if mode:
        return mode
    if _get("LANGSO_SIGNING_PKCS12"):
        return PKCS12
    if _get("LANGSO_EXTERNAL_SIGNER"):
        return EXTERNAL
    return DEMO


def signing_dir() -> Path:
    value = _get("LANGSO_SIGNING_DIR")
    return Path(value) if value else Path(settings.VAR_DIR) / "signing"


def pkcs12_path(commune_code: str) -> Path | None:
    value = _get("LANGSO_SIGNING_PKCS12")
    return Path(value.replace("{code}", commune_code)) if value else None


def pkcs12_passphrase() -> bytes | None:
    value = _get("LANGSO_SIGNING_PASSPHRASE")
    return value.encode() if value else None


def external_signer_path() -> str:
    return _get("LANGSO_EXTERNAL_SIGNER")


def tsa_url() -> str:
    return _get("LANGSO_TSA_URL")


def pades_lta() -> bool:
    """B-LTA (a document timestamp over the validation data) where a TSA is configured."""
    value = _get("LANGSO_SIGNATURE_LTA").strip().lower()
    if value:
        return value in ("1", "true", "yes")
    return bool(tsa_url())


def trust_root_paths() -> list[Path]:
    value = getattr(settings, "LANGSO_TRUST_ROOTS", None)
    if value is None:
        value = os.environ.get("LANGSO_TRUST_ROOTS", "")
    if isinstance(value, str):
        value = [p for p in value.split(",") if p.strip()]
    return [Path(str(p).strip()) for p in value]


def max_document_bytes() -> int:
    return int(_get("LANGSO_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))


def fetch_revocation() -> bool:
    return _get("LANGSO_SIGNATURE_FETCH_REVOCATION", "0").strip().lower() in ("1", "true", "yes")


def verify_per_minute() -> int:
    return int(_get("LANGSO_VERIFY_PER_MINUTE", "30"))


def crl_paths() -> list[Path]:
    value = getattr(settings, "LANGSO_CRL_FILES", None)
    if value is None:
        value = os.environ.get("LANGSO_CRL_FILES", "")
    if isinstance(value, str):
        value = [p for p in value.split(",") if p.strip()]
    return [Path(str(p).strip()) for p in value]
