"""PDFs for the signature tests: unsigned, signed by a stranger CA, modified after signing."""

from io import BytesIO

from cryptography.hazmat.primitives import serialization
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from langso.documents.rendering import DocumentLayout, render_document
from langso.documents.signing import certificates
from langso.documents.signing.pades import sign_pdf
from langso.documents.signing.signers import SigningIdentity


def plain_pdf(text: str = "Thông báo lịch họp thôn") -> bytes:
    import datetime as dt

    return render_document(
        DocumentLayout(
            agency_parent="ỦY BAN NHÂN DÂN",
            agency="XÃ VÔ TRANH",
            place="Vô Tranh",
            issued_on=dt.date(2026, 3, 2),
            reference="5/TB-UBND",
            kind="announcement",
            title=text,
            paragraphs=[text],
        )
    )


def stranger_identity():
    """A commune certificate from a self-made CA nobody configured as a trust root;
    returns (identity, root certificate PEM)."""
    root = certificates.build_root("Stranger Root CA")
    cert, key = certificates.build_commune_certificate(root, commune_name="Xã Vô Tranh")
    signer = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [translate_pyca_cryptography_cert_to_asn1(root[0])]
        ),
    )
    identity = SigningIdentity(signer=signer, timestamper=None, mode="test")
    return identity, root[0].public_bytes(serialization.Encoding.PEM)


def sign_with(identity: SigningIdentity, data: bytes | None = None) -> bytes:
    return sign_pdf(data or plain_pdf(), identity, reason="test").data


def append_content_update(signed: bytes) -> bytes:
    """An incremental update that paints new text on page 1 (what a forger would do)."""
    writer = IncrementalPdfFileWriter(BytesIO(signed), strict=False)
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (FAKE) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_signed_byte(signed: bytes) -> bytes:
    """Change one byte of page content, inside the signed /ByteRange."""
    data = bytearray(signed)
    at = data.index(b"stream", 100) + 20  # inside the first content stream
    data[at] ^= 0x01
    return bytes(data)
