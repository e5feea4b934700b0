import datetime as dt
from uuid import UUID

from ninja import Schema

from langso.core.schemas import InputSchema


class DocumentIn(InputSchema):
    commune_code: str = ""  # may be left out by an official of one commune
    title: str
    paragraphs: list[str]
    kind: str = "result"
    reference: str = ""
    recipient: str = ""
    sign: bool = True


class DocumentOut(Schema):
    public_id: UUID
    commune_code: str
    commune_name: str
    title: str
    kind: str
    reference: str
    recipient: str
    source: str
    sha256: str
    size: int
    signed: bool
    signed_at: dt.datetime | None
    signer_name: str
    signer_serial: str
    signature_level: str
    created_at: dt.datetime
    download_url: str


class RegisteredOut(Schema):
    public_id: UUID
    reference: str
    commune_code: str
    commune_name: str
    issued_at: dt.datetime


class SignatureOut(Schema):
    field_name: str
    code: str
    detail: str
    problem: str
    intact: bool
    cryptographically_valid: bool
    trusted: bool
    coverage: str
    changed_after_signing: bool
    modification_level: str
    signer_common_name: str
    signer_organisation: str
    signer_serial: str
    issuer_common_name: str
    certificate_valid_from: dt.datetime | None
    certificate_valid_until: dt.datetime | None
    trust_path: list[str]
    signing_time: dt.datetime | None
    timestamp: dt.datetime | None
    timestamp_trusted: bool


class VerificationOut(Schema):
    code: str  # valid | tampered | untrusted_signer | unsigned | not_a_pdf
    detail: str
    registered: RegisteredOut | None = None
    signatures: list[SignatureOut]


class LookupOut(Schema):
    found: bool
    reference: str = ""
    kind: str = ""
    commune_code: str = ""
    commune_name: str = ""
    issued_at: dt.datetime | None = None
    signed: bool = False
    signed_at: dt.datetime | None = None
    signature_level: str = ""
