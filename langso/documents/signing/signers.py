"""Who signs for a commune: the demo certificate, a PKCS#12 file, or an external signer
(an HSM, a USB token or the Government Cipher Committee's remote signing service).

`identity_for(commune)` returns a `SigningIdentity`: a pyHanko signer plus, when available,
a timestamper. Everything else in the app depends only on that.
"""

import asyncio
import threading
import urllib.request
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Protocol, runtime_checkable

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.utils.translation import gettext as _
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.sign import general, signers
from pyhanko.sign.general import get_pyca_cryptography_hash, simple_cms_attribute
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .. import conf
from ..exceptions import SigningUnavailable
from . import certificates


@runtime_checkable
class RawSigner(Protocol):
    """What an external signing device must offer. `sign` receives the DER-encoded CMS
    signed attributes and returns the raw signature (PKCS#1 v1.5 for RSA, DER ECDSA) made
    with `digest_algorithm` (e.g. "sha256"). Certificates are DER bytes."""

    def signing_certificate(self) -> bytes: ...

    def chain(self) -> list[bytes]: ...

    def sign(self, data: bytes, digest_algorithm: str) -> bytes: ...


class _RawSignerAdapter(signers.Signer):
    """Lets pyHanko drive any `RawSigner`."""

    def __init__(self, raw: RawSigner) -> None:
        self._raw = raw
        chain = [asn1_x509.Certificate.load(der) for der in raw.chain()]
        super().__init__(
            signing_cert=asn1_x509.Certificate.load(raw.signing_certificate()),
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:  # pyHanko only needs the length to reserve space
            return bytes(512)
        return await asyncio.to_thread(self._raw.sign, data, digest_algorithm)


class UrllibTimeStamper(TimeStamper):
    """RFC 3161 client over the standard library (pyHanko's own needs `requests`)."""

    def __init__(self, url: str, timeout: int = 10) -> None:
        self.url = url
        self.timeout = timeout
        super().__init__()

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        def post() -> bytes:
            request = urllib.request.Request(  # noqa: S310
                self.url,
                data=req.dump(),
                headers=set_tsp_headers({}),
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return response.read()
            except OSError as exc:
                raise TimestampRequestError("Error in communication with the TSA") from exc

        return tsp.TimeStampResp.load(await asyncio.to_thread(post))


class KeyInMemorySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses the private key on every signature (and cryptography
    validates an RSA key on each load, ~60 ms). This keeps the parsed key."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pyca_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        name = mechanism["algorithm"].native
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        key = self._pyca_key
        if name in ("rsassa_pkcs1v15", "sha256_rsa", "sha384_rsa", "sha512_rsa") and isinstance(
            key, RSAPrivateKey
        ):
            return key.sign(data, PKCS1v15(), hash_algo)
        if name in ("ecdsa", "sha256_ecdsa", "sha384_ecdsa", "sha512_ecdsa") and isinstance(
            key, EllipticCurvePrivateKey
        ):
            return key.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


class LocalTimeStamper(DummyTimeStamper):
    """The demo's own RFC 3161 timestamp authority, in process: its certificate is issued by
    the demo root for time-stamping only. (pyHanko's class re-parses the key per token; this
    keeps the parsed key.)"""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        key = serialization.load_der_private_key(self.tsa_key.dump(), password=None)
        if not isinstance(key, RSAPrivateKey):  # the demo PKI makes RSA keys only
            raise TypeError("The demo time-stamping key must be an RSA key.")
        self._pyca_key = key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt):
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute(
                    "signing_certificate", general.as_signing_certificate(self.tsa_cert)
                ),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._pyca_key.sign(
            signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm)
        )
        return signature, signed_attrs


@dataclass
class SigningIdentity:
    signer: signers.Signer
    timestamper: TimeStamper | None
    mode: str

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self.signer.signing_cert

    @property
    def subject_name(self) -> str:
        return self.certificate.subject.native.get("common_name", "")

    @property
    def serial_hex(self) -> str:
        return format(self.certificate.serial_number, "x")


def _demo_identity(commune) -> SigningIdentity:
    files = certificates.ensure_demo_commune_certificate(commune)
    root = load_cert_from_pemder(str(certificates.ensure_demo_root().cert))
    signer = KeyInMemorySigner(
        signing_cert=load_cert_from_pemder(str(files.cert)),
        signing_key=load_private_key_from_pemder(str(files.key), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([root]),
    )
    tsa = certificates.ensure_demo_tsa()
    timestamper = LocalTimeStamper(
        tsa_cert=load_cert_from_pemder(str(tsa.cert)),
        tsa_key=load_private_key_from_pemder(str(tsa.key), passphrase=None),
        certs_to_embed=SimpleCertificateStore.from_certs([root]),
    )
    return SigningIdentity(signer=signer, timestamper=timestamper, mode=conf.DEMO)


def _pkcs12_identity(commune) -> SigningIdentity:
    path = conf.pkcs12_path(commune.code)
    if path is None or not path.exists():
        raise SigningUnavailable(
            _("Chưa cấu hình chứng thư số cho %(commune)s.") % {"commune": commune.name}
        )
    loaded = signers.SimpleSigner.load_pkcs12(str(path), passphrase=conf.pkcs12_passphrase())
    if loaded is None:
        raise SigningUnavailable(_("Không mở được tệp chứng thư số (sai mật khẩu?)."))
    signer = KeyInMemorySigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )
    return SigningIdentity(signer=signer, timestamper=_configured_timestamper(), mode=conf.PKCS12)


def _external_identity(commune) -> SigningIdentity:
    dotted = conf.external_signer_path()
    if not dotted:
        raise SigningUnavailable(_("Chưa cấu hình thiết bị ký số."))
    module_name, _dot, attr = dotted.rpartition(".")
    factory = getattr(import_module(module_name), attr)
    raw = factory(commune)
    if not isinstance(raw, RawSigner):
        raise SigningUnavailable(_("Thiết bị ký số không đúng giao diện."))
    return SigningIdentity(
        signer=_RawSignerAdapter(raw), timestamper=_configured_timestamper(), mode=conf.EXTERNAL
    )


def _configured_timestamper() -> TimeStamper | None:
    url = conf.tsa_url()
    return UrllibTimeStamper(url) if url else None


_CACHE: dict[tuple, SigningIdentity] = {}
_CACHE_LOCK = threading.Lock()


def _cache_key(mode: str, commune) -> tuple | None:
    """Identities from files are reused while the files are unchanged."""
    path: Path | None
    if mode == conf.DEMO:
        path = certificates.commune_files(commune.code).cert
    elif mode == conf.PKCS12:
        path = conf.pkcs12_path(commune.code)
    else:
        return None  # an external signer decides for itself
    if path is None:
        return None
    try:
        return (mode, str(path), path.stat().st_mtime_ns, conf.pkcs12_passphrase())
    except (OSError, AttributeError):
        return None


def identity_for(commune) -> SigningIdentity:
    mode = conf.signing_mode()
    builders = {
        conf.DEMO: _demo_identity,
        conf.PKCS12: _pkcs12_identity,
        conf.EXTERNAL: _external_identity,
    }
    if mode not in builders:
        raise SigningUnavailable(_("Chế độ ký số không hợp lệ: %(mode)s.") % {"mode": mode})
    key = _cache_key(mode, commune)
    if key is not None and key in _CACHE:
        return _CACHE[key]
    identity = builders[mode](commune)
    key = key or _cache_key(mode, commune)  # the demo files exist now
    if key is not None:
        with _CACHE_LOCK:
            _CACHE[key] = identity
    return identity


def trust_roots() -> list[x509.Certificate]:
    """The configured roots (LANGSO_TRUST_ROOTS); the demo root when none is configured in
    demo mode."""
    paths = conf.trust_root_paths()
    if not paths and conf.signing_mode() == conf.DEMO:
        paths = [certificates.ensure_demo_root().cert]
    return certificates.load_pem_certificates(paths)


def trust_roots_asn1() -> list[asn1_x509.Certificate]:
    return [translate_pyca_cryptography_cert_to_asn1(c) for c in trust_roots()]
