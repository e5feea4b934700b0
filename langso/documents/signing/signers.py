"""Who signs for a commune: the demo certificate, a PKCS#12 file, or an external signer
(an HSM, a USB token or the Government Cipher Committee's remote signing service).

`identity_for(commune)` returns a `SigningIdentity`: a pyHanko signer plus, when available,
a timestamper. Everything else in the app depends only on that.
"""

import asyncio
import urllib.request
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol, runtime_checkable

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.utils.translation import gettext as _
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.sign import signers
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
        super().__init__(signing_cert=asn1_x509.Certificate.load(raw.signing_certificate()),
                         cert_registry=SimpleCertificateStore.from_certs(chain))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
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
            request = urllib.request.Request(self.url, data=req.dump(),  # noqa: S310
                                             headers=set_tsp_headers({}), method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return response.read()
            except OSError as exc:
                raise TimestampRequestError("Error in communication with the TSA") from exc

        return tsp.TimeStampResp.load(await asyncio.to_thread(post))


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
    signer = signers.SimpleSigner(
        signing_cert=load_cert_from_pemder(str(files.cert)),
        signing_key=load_private_key_from_pemder(str(files.key), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([root]))
    tsa = certificates.ensure_demo_tsa()
    timestamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(tsa.cert)),
        tsa_key=load_private_key_from_pemder(str(tsa.key), passphrase=None),
        certs_to_embed=SimpleCertificateStore.from_certs([root]))
    return SigningIdentity(signer=signer, timestamper=timestamper, mode=conf.DEMO)


def _pkcs12_identity(commune) -> SigningIdentity:
    path = conf.pkcs12_path(commune.code)
    if path is None or not path.exists():
        raise SigningUnavailable(_("Chưa cấu hình chứng thư số cho %(commune)s.")
                                 % {"commune": commune.name})
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=conf.pkcs12_passphrase())
    if signer is None:
        raise SigningUnavailable(_("Không mở được tệp chứng thư số (sai mật khẩu?)."))
    return SigningIdentity(signer=signer, timestamper=_configured_timestamper(),
                           mode=conf.PKCS12)


def _external_identity(commune) -> SigningIdentity:
    dotted = conf.external_signer_path()
    if not dotted:
        raise SigningUnavailable(_("Chưa cấu hình thiết bị ký số."))
    module_name, _dot, attr = dotted.rpartition(".")
    factory = getattr(import_module(module_name), attr)
    raw = factory(commune)
    if not isinstance(raw, RawSigner):
        raise SigningUnavailable(_("Thiết bị ký số không đúng giao diện."))
    return SigningIdentity(signer=_RawSignerAdapter(raw), timestamper=_configured_timestamper(),
                           mode=conf.EXTERNAL)


def _configured_timestamper() -> TimeStamper | None:
    url = conf.tsa_url()
    return UrllibTimeStamper(url) if url else None


def identity_for(commune) -> SigningIdentity:
    mode = conf.signing_mode()
    builders = {conf.DEMO: _demo_identity, conf.PKCS12: _pkcs12_identity,
                conf.EXTERNAL: _external_identity}
    if mode not in builders:
        raise SigningUnavailable(_("Chế độ ký số không hợp lệ: %(mode)s.") % {"mode": mode})
    return builders[mode](commune)


def trust_roots() -> list[x509.Certificate]:
    """The configured roots (LANGSO_TRUST_ROOTS); the demo root when none is configured in
    demo mode."""
    paths = conf.trust_root_paths()
    if not paths and conf.signing_mode() == conf.DEMO:
        paths = [certificates.ensure_demo_root().cert]
    return certificates.load_pem_certificates(paths)


def trust_roots_asn1() -> list[asn1_x509.Certificate]:
    return [translate_pyca_cryptography_cert_to_asn1(c) for c in trust_roots()]
