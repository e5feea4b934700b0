"""Checks a PDF's signatures with pyHanko against the configured trust roots and reduces
the result to one stable code per file and per signature:

    valid             every signature intact, covering its revision, no forbidden change
                      afterwards, signer chaining to a configured root
    tampered          some signed bytes changed, or the file was modified after signing in a
                      way that signing does not allow
    untrusted_signer  intact, but the signer does not chain to a configured root (or the
                      certificate is expired, revoked or unfit for signing)
    unsigned          a PDF without any signature
    not_a_pdf         not a PDF, or unreadable

The precedence for a file with several signatures is the order above (worst wins).
"""

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from enum import Enum
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .. import conf
from . import certificates
from .signers import trust_roots_asn1

logger = logging.getLogger(__name__)

VALID = "valid"
TAMPERED = "tampered"
UNTRUSTED_SIGNER = "untrusted_signer"
UNSIGNED = "unsigned"
NOT_A_PDF = "not_a_pdf"
CODES = (VALID, TAMPERED, UNTRUSTED_SIGNER, UNSIGNED, NOT_A_PDF)
_SEVERITY = {VALID: 0, UNTRUSTED_SIGNER: 1, TAMPERED: 2}

#: Changes after signing that do not alter what was signed: added validation data and
#: document timestamps, further signatures and form fields.
ALLOWED_LATER_CHANGES = (
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
)


@dataclass
class SignatureReport:
    field_name: str
    code: str
    intact: bool
    cryptographically_valid: bool
    trusted: bool
    coverage: str  # entire_file | entire_revision | partial
    changed_after_signing: bool
    modification_level: str  # none | lta_updates | form_filling | annotations | other
    signer_common_name: str = ""
    signer_organisation: str = ""
    signer_serial: str = ""
    issuer_common_name: str = ""
    certificate_valid_from: dt.datetime | None = None
    certificate_valid_until: dt.datetime | None = None
    trust_path: list[str] = field(default_factory=list)  # root first
    signing_time: dt.datetime | None = None  # claimed by the signer (/M)
    timestamp: dt.datetime | None = None  # from a trusted timestamp token
    timestamp_trusted: bool = False
    problem: str = ""  # short machine hint: revoked, expired, no_path, malformed, ...


@dataclass
class VerificationReport:
    code: str
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def signature(self) -> SignatureReport | None:
        return self.signatures[0] if self.signatures else None

    def as_dict(self) -> dict:
        return asdict(self)


def _crls() -> list[bytes]:
    paths = list(conf.crl_paths())
    if conf.signing_mode() == conf.DEMO and certificates.crl_file().exists():
        paths.append(certificates.crl_file())
    out = []
    for path in paths:
        data = path.read_bytes()
        if data.lstrip().startswith(b"-----"):
            data = x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
        out.append(data)
    return out


def validation_context() -> ValidationContext:
    """Trust roots and revocation data as configured. Revocation is 'soft-fail': a
    certificate listed on a known CRL is refused; a certificate whose status cannot be
    found (no CRL, no network) is accepted."""
    return ValidationContext(
        trust_roots=trust_roots_asn1(),
        crls=_crls(),
        allow_fetching=conf.fetch_revocation(),
        revocation_mode="soft-fail",
    )


def _name_part(cert, key: str) -> str:
    value = cert.subject.native.get(key, "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _coverage_name(coverage) -> str:
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "entire_file"
    if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        return "entire_revision"
    return "partial"


def _report_signature(embedded) -> SignatureReport:
    try:
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=validation_context(),
            ts_validation_context=validation_context(),
        )
    except Exception as exc:  # a malformed CMS or broken structure is a broken signature
        logger.info("signature %s unreadable: %s", embedded.field_name, exc)
        return SignatureReport(
            field_name=embedded.field_name,
            code=TAMPERED,
            intact=False,
            cryptographically_valid=False,
            trusted=False,
            coverage="partial",
            changed_after_signing=True,
            modification_level="other",
            problem="malformed",
        )
    level = status.modification_level
    level_name = level.name.lower() if level is not None else "other"
    # Validation data and document timestamps added after signing (PAdES B-LT, B-LTA)
    # leave what was signed as it was: only later changes beyond those count as changes.
    changed = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and level not in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    )
    cert = status.signing_cert
    tampered = (
        not status.intact
        or not status.valid
        or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
        or (changed and (level not in ALLOWED_LATER_CHANGES or status.docmdp_ok is False))
    )
    problem = ""
    if tampered:
        problem = (
            "digest_mismatch"
            if not status.intact
            else ("bad_signature" if not status.valid else "modified_after_signing")
        )
    elif not status.trusted:
        if status.revoked:
            problem = "revoked"
        elif status.validation_path is None:
            problem = "no_trust_path"
        else:
            indic = status.trust_problem_indic  # an AdES enum member, or None
            problem = indic.name.lower() if isinstance(indic, Enum) else "untrusted"
    path = []
    if status.validation_path is not None:
        path = [
            _name_part(c, "common_name")
            for c in status.validation_path.iter_certs(include_root=True)
        ]
    ts = status.timestamp_validity
    code = TAMPERED if tampered else (VALID if status.bottom_line else UNTRUSTED_SIGNER)
    return SignatureReport(
        field_name=embedded.field_name,
        code=code,
        intact=status.intact,
        cryptographically_valid=status.valid,
        trusted=status.trusted,
        coverage=_coverage_name(status.coverage),
        changed_after_signing=changed,
        modification_level=(
            level_name if status.coverage != SignatureCoverageLevel.ENTIRE_FILE else "none"
        ),
        signer_common_name=_name_part(cert, "common_name"),
        signer_organisation=_name_part(cert, "organization_name"),
        signer_serial=format(cert.serial_number, "x"),
        issuer_common_name=cert.issuer.native.get("common_name", ""),
        certificate_valid_from=cert.not_valid_before,
        certificate_valid_until=cert.not_valid_after,
        trust_path=path,
        signing_time=status.signer_reported_dt,
        timestamp=ts.timestamp if ts is not None else None,
        timestamp_trusted=bool(ts is not None and ts.trusted),
        problem=problem,
    )


def verify_pdf(data: bytes) -> VerificationReport:
    """Verify every signature of the PDF in `data`."""
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        return VerificationReport(code=NOT_A_PDF)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            return VerificationReport(code=NOT_A_PDF)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:  # anyone's upload: any parser failure means "unreadable"
        logger.info("unreadable PDF: %s", exc)
        return VerificationReport(code=NOT_A_PDF)
    if not embedded:
        return VerificationReport(code=UNSIGNED)
    reports = [_report_signature(sig) for sig in embedded]
    worst = max(reports, key=lambda r: _SEVERITY[r.code])
    return VerificationReport(code=worst.code, signatures=reports)
