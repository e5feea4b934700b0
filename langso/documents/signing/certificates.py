"""The demo public-key infrastructure: a self-made root CA, a local timestamp authority and
one signing certificate per commune, created with `cryptography` under LANGSO_SIGNING_DIR.

Production never uses this: it loads the commune's official-use certificate (issued under
the Government Cipher Committee's root) from a PKCS#12 file or an external signer.
Creation is idempotent: existing files are reused, so the demo and tests stay fast.
"""

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .. import conf

DEMO_ROOT_NAME = "Làng Số Demo Root CA"
DEMO_TSA_NAME = "Làng Số Demo Timestamp Authority"
ROOT_YEARS, TSA_YEARS, COMMUNE_YEARS = 20, 10, 5


@dataclass(frozen=True)
class KeyPairFiles:
    cert: Path
    key: Path

    def exists(self) -> bool:
        return self.cert.exists() and self.key.exists()


def root_files(base: Path | None = None) -> KeyPairFiles:
    base = base or conf.signing_dir()
    return KeyPairFiles(base / "ca" / "root.pem", base / "ca" / "root-key.pem")


def tsa_files(base: Path | None = None) -> KeyPairFiles:
    base = base or conf.signing_dir()
    return KeyPairFiles(base / "ca" / "tsa.pem", base / "ca" / "tsa-key.pem")


def commune_files(commune_code: str, base: Path | None = None) -> KeyPairFiles:
    base = base or conf.signing_dir()
    folder = base / "communes" / commune_code
    return KeyPairFiles(folder / "cert.pem", folder / "key.pem")


def _write_atomic(path: Path, data: bytes, *, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600 if private else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _save(files: KeyPairFiles, cert: x509.Certificate, key: rsa.RSAPrivateKey) -> None:
    _write_atomic(
        files.key,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        private=True,
    )
    _write_atomic(files.cert, cert.public_bytes(serialization.Encoding.PEM), private=False)


def load_pair(files: KeyPairFiles) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    key = serialization.load_pem_private_key(files.key.read_bytes(), password=None)
    return cert, key  # type: ignore[return-value]


def _name(
    common_name: str, organisation: str, *, locality: str = "", province: str = ""
) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        parts.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    if locality:
        parts.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality))
    parts += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    return x509.Name(parts)


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key, not_after: dt.datetime, now: dt.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def build_root(
    common_name: str = DEMO_ROOT_NAME, *, now: dt.datetime | None = None
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A self-signed root CA (also used by tests to make an 'unknown' CA)."""
    now = now or dt.datetime.now(dt.UTC)
    key = _new_key()
    name = _name(common_name, "Làng Số (demo)")
    cert = (
        _builder(name, name, key.public_key(), now + dt.timedelta(days=365 * ROOT_YEARS), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return cert, key


def demo_crl_url() -> str:
    from django.conf import settings

    return settings.LANGSO_PUBLIC_URL.rstrip("/") + "/documents/demo-ca.crl"


def _issue(
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey],
    subject: x509.Name,
    years: int,
    *,
    timestamping: bool = False,
    crl_url: str = "",
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    issuer_cert, issuer_key = issuer
    now = dt.datetime.now(dt.UTC)
    key = _new_key()
    not_after = min(now + dt.timedelta(days=365 * years), issuer_cert.not_valid_after_utc)
    builder = (
        _builder(subject, issuer_cert.subject, key.public_key(), not_after, now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not timestamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if crl_url:
        # Declaring where the CRL lives makes verifiers check it (pyHanko checks revocation
        # of an end-entity certificate only when the certificate declares a source).
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(issuer_key, hashes.SHA256()), key


def build_commune_certificate(
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey],
    *,
    commune_name: str,
    province_name: str = "",
    crl_url: str = "",
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """An organisation certificate for the commune People's Committee (the agency seal)."""
    agency = f"Ủy ban nhân dân {commune_name}"
    return _issue(
        issuer,
        _name(agency, agency, locality=commune_name, province=province_name),
        COMMUNE_YEARS,
        crl_url=crl_url,
    )


def ensure_demo_root(base: Path | None = None) -> KeyPairFiles:
    files = root_files(base)
    if not files.exists():
        _save(files, *build_root())
        ensure_demo_crl(base)
    return files


def ensure_demo_tsa(base: Path | None = None) -> KeyPairFiles:
    files = tsa_files(base)
    if not files.exists():
        root = load_pair(ensure_demo_root(base))
        _save(
            files,
            *_issue(
                root,
                _name(DEMO_TSA_NAME, "Làng Số (demo)"),
                TSA_YEARS,
                timestamping=True,
                crl_url=demo_crl_url(),
            ),
        )
    return files


def ensure_demo_commune_certificate(commune, base: Path | None = None) -> KeyPairFiles:
    """Create (once) the demo root and the commune's certificate; return its files."""
    files = commune_files(commune.code, base)
    if not files.exists():
        root = load_pair(ensure_demo_root(base))
        province = commune.parent.name if commune.parent_id else ""
        _save(
            files,
            *build_commune_certificate(
                root, commune_name=commune.name, province_name=province, crl_url=demo_crl_url()
            ),
        )
    return files


def load_pem_certificates(paths) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    for path in paths:
        certs.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    return certs


def crl_file(base: Path | None = None) -> Path:
    return (base or conf.signing_dir()) / "ca" / "root.crl"


CRL_VALIDITY = dt.timedelta(days=30)
CRL_RENEW_BEFORE = dt.timedelta(days=7)


def _write_crl(base: Path | None, revoked: list, number: int) -> x509.CertificateRevocationList:
    root_cert, root_key = load_pair(root_files(base))
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root_cert.subject)
        .last_update(now - dt.timedelta(minutes=1))
        .next_update(now + CRL_VALIDITY)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    for entry in revoked:
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(root_key, hashes.SHA256())
    _write_atomic(crl_file(base), crl.public_bytes(serialization.Encoding.PEM), private=False)
    return crl


def _crl_number(crl: x509.CertificateRevocationList) -> int:
    try:
        return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        return 0


def ensure_demo_crl(base: Path | None = None) -> x509.CertificateRevocationList | None:
    """The demo root's CRL, which every demo certificate names: an empty list signed by the
    root until the first revocation, re-signed (same entries, next number) a week before it
    would expire, so that a verifier fetching it always gets a current one. None when there
    is no demo root."""
    if not root_files(base).exists():
        return None
    path = crl_file(base)
    current = x509.load_pem_x509_crl(path.read_bytes()) if path.exists() else None
    if current is not None:
        next_update = current.next_update_utc
        if next_update and next_update - dt.datetime.now(dt.UTC) > CRL_RENEW_BEFORE:
            return current
    revoked = list(current) if current is not None else []
    number = _crl_number(current) + 1 if current is not None else 1
    return _write_crl(base, revoked, number)


def revoke_demo_commune_certificate(commune, base: Path | None = None) -> int:
    """Put the commune's demo certificate on the demo root's CRL and remove its files, so
    that the next signature gets a fresh certificate. Returns the revoked serial."""
    files = commune_files(commune.code, base)
    cert, _key = load_pair(files)
    ensure_demo_root(base)
    current = ensure_demo_crl(base)
    revoked = list(current) if current is not None else []
    revoked.append(
        x509.RevokedCertificateBuilder()
        .serial_number(cert.serial_number)
        .revocation_date(dt.datetime.now(dt.UTC))
        .build()
    )
    _write_crl(base, revoked, (_crl_number(current) if current is not None else 0) + 1)
    files.cert.unlink()
    files.key.unlink()
    return cert.serial_number
