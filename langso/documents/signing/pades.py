"""PAdES signing with pyHanko.

Levels (ETSI EN 319 142): B-B (signature only), B-T (with a signature timestamp), B-LT
(B-T plus a DSS holding the certificates and the revocation data, CRLs or OCSP responses,
needed to validate it later without the network), B-LTA (B-LT plus a document timestamp
over all of it, which can be renewed). With a validation context, the revocation data it
holds or fetches is embedded after the signature; B-LTA is made where a timestamp
authority is configured (LANGSO_TSA_URL) or LANGSO_SIGNATURE_LTA is set. The level
recorded is the one the file really reaches (a DSS without revocation data is not B-LT).
"""

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.errors import (
    InvalidCertificateError,
    PathBuildingError,
    PathValidationError,
    ValidationError,
)

from ..exceptions import NotAPdf, SigningUnavailable
from .signers import SigningIdentity

FIELD_PREFIX = "LangSoSignature"


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    signed_at: dt.datetime
    level: str  # "B-B", "B-T", "B-LT" or "B-LTA"


def _next_field_name(writer: IncrementalPdfFileWriter) -> str:
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
    n = 1
    while f"{FIELD_PREFIX}{n}" in existing:
        n += 1
    return f"{FIELD_PREFIX}{n}"


def _media_box(writer: IncrementalPdfFileWriter, page: int) -> list[float]:
    node = writer.find_page_for_modification(page)[0].get_object()
    while node is not None:  # /MediaBox may be inherited from the page tree
        if "/MediaBox" in node:
            return [float(v) for v in node["/MediaBox"]]
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return [0.0, 0.0, 595.0, 842.0]


def _stamp_box(
    writer: IncrementalPdfFileWriter, page: int, size: tuple[float, float]
) -> tuple[float, float, float, float]:
    """Bottom-right corner of `page`, inside a 15 mm margin."""
    media = _media_box(writer, page)
    margin = 42.5
    x2, y1 = media[2] - margin, media[1] + margin
    return (x2 - size[0], y1, x2, y1 + size[1])


def sign_pdf(
    data: bytes,
    identity: SigningIdentity,
    *,
    reason: str = "",
    location: str = "",
    stamp: tuple[tuple[float, float], StaticStampStyle] | None = None,
    page: int = 0,
    field_box: tuple[float, float, float, float] | None = None,
    validation_context=None,
    lta: bool = False,
) -> SignedPdf:
    """Sign `data` as an incremental update.

    - `stamp` ((width, height), style): a visible stamp in the bottom-right corner of
      `page` (-1: the last page), for PDFs made elsewhere;
    - `field_box`: the field covers that box of `page` with an empty appearance, for
      rendered documents whose page content already shows the seal image;
    - neither: an invisible signature field.

    With `validation_context`, pyHanko checks the signer's (and the TSA's) certificate
    against it before signing (Circular 15/2025: check the certificate before signing);
    a certificate that is expired, revoked or outside the trust roots is refused."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise NotAPdf(_("Không đọc được tệp PDF.")) from exc
    if page < 0:
        page = int(writer.root["/Pages"]["/Count"]) + page
    field_name = _next_field_name(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        validation_context=validation_context,
        embed_validation_info=validation_context is not None,
        use_pades_lta=lta and identity.timestamper is not None,
    )
    box, stamp_style = None, None
    if stamp is not None:
        box, stamp_style = _stamp_box(writer, page, stamp[0]), stamp[1]
    elif field_box is not None:
        box, stamp_style = field_box, StaticStampStyle(border_width=0)
    # pyHanko annotates `box` as ints, but a PDF rectangle takes any number and it writes
    # the floats as they are.
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box)  # type: ignore[arg-type]
    signed_at = timezone.now()
    pdf_signer = signers.PdfSigner(
        meta,
        signer=identity.signer,
        timestamper=identity.timestamper,
        new_field_spec=spec,
        stamp_style=stamp_style,
    )
    try:
        out = pdf_signer.sign_pdf(writer)
    except (
        SigningError,
        PathBuildingError,
        PathValidationError,
        InvalidCertificateError,
        ValidationError,
    ) as exc:
        raise SigningUnavailable(
            _(
                "Chứng thư số của xã không dùng được để ký (hết hạn, bị "
                "thu hồi hoặc không thuộc chứng thư gốc được tin cậy)."
            )
        ) from exc
    data = out.getvalue()
    return SignedPdf(data=data, signed_at=signed_at, level=reached_level(data, identity))


def reached_level(data: bytes, identity: SigningIdentity) -> str:
    if identity.timestamper is None:
        return "B-B"
    reader = PdfFileReader(BytesIO(data), strict=False)
    dss = reader.root.get("/DSS")
    has_revocation = dss is not None and any(key in dss.get_object() for key in ("/CRLs", "/OCSPs"))
    if not has_revocation:
        return "B-T"
    return "B-LTA" if reader.embedded_timestamp_signatures else "B-LT"
