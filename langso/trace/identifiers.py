"""GS1 keys and GS1 Digital Link URIs for batches.

- GTIN: normalised to 14 digits, check digit verified (`langso.core.gs1`).
- QR URI: `https://<LANGSO_PUBLIC_URL host>/01/<GTIN14>/10/<lot>[/21/<serial>]`, qualifiers in
  the order 22, 10, 21 only, lot and serial percent-encoded.
- A product without GTIN uses the same shape under `/t/<product public_id>/10/<lot>`: the
  product's UUID stands where the GTIN would, so the URI is stable, never a database id, and
  moves to `/01/...` (the old one keeps resolving) once the producer gets a GS1 prefix.
- In EPCIS documents the batch's class is the canonical Digital Link
  `https://id.gs1.org/01/<GTIN14>/10/<lot>` (or the `/t/` URI above on our own host).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings

from langso.core import gs1

CANONICAL_HOST = "https://id.gs1.org"
#: GS1 AI encodable character set 82 (lots and serials, AI 10 / AI 21)
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$")
#: characters left as they are in a Digital Link path segment (RFC 3986 unreserved)
_SAFE = "-._~"


def is_valid_lot(value: str) -> bool:
    return bool(_CSET82.match(value or ""))


def public_base() -> str:
    """Scheme and host of LANGSO_PUBLIC_URL (https in production; http only for a local demo,
    so that a phone on the same network can open the printed code)."""
    parts = urlsplit(settings.LANGSO_PUBLIC_URL)
    return f"{parts.scheme or 'https'}://{parts.netloc or 'localhost'}"


def _enc(value: str) -> str:
    return quote(value, safe=_SAFE)


def digital_link_path(
    *, gtin: str = "", product_public_id: str = "", lot: str, serial: str = "", cpv: str = ""
) -> str:
    """The path part, qualifiers in the only allowed order (22, 10, 21)."""
    if gtin:
        path = f"/01/{gs1.normalize_gtin(gtin)}"
    else:
        path = f"/t/{product_public_id}"
    return path + qualifiers_path(lot=lot, serial=serial, cpv=cpv)


def qualifiers_path(*, lot: str, serial: str = "", cpv: str = "") -> str:
    """The qualifiers' part of digital_link_path, after the GTIN or product id."""
    path = f"/22/{_enc(cpv)}" if cpv else ""
    path += f"/10/{_enc(lot)}"
    if serial:
        path += f"/21/{_enc(serial)}"
    return path


def batch_path(batch, serial: str = "") -> str:
    return digital_link_path(
        gtin=batch.gtin,
        product_public_id=str(batch.product.public_id),
        lot=batch.lot,
        serial=serial,
    )


def batch_qr_uri(batch, serial: str = "") -> str:
    """What is printed in the QR code: our own resolver host (LANGSO_PUBLIC_URL)."""
    return public_base() + batch_path(batch, serial)


def batch_class_uri(batch) -> str:
    """The EPC class of the lot in EPCIS documents."""
    if batch.gtin:
        return CANONICAL_HOST + batch_path(batch)
    return public_base() + batch_path(batch)


@dataclass(frozen=True)
class ParsedLink:
    gtin: str = ""
    product_public_id: str = ""
    lot: str = ""
    serial: str = ""


_DL = re.compile(
    r"^/(?:(?P<ai>01)/(?P<gtin>\d{8,14})|t/(?P<pid>[0-9a-fA-F-]{36}))"
    r"(?:/22/(?P<cpv>[^/]+))?/10/(?P<lot>[^/]+)(?:/21/(?P<serial>[^/]+))?/?$"
)


def parse_class_uri(uri: str) -> ParsedLink | None:
    """Any Digital Link (any host) or our /t/ URI -> its keys; None if it is not one."""
    try:
        path = urlsplit(uri).path
    except ValueError:
        return None
    m = _DL.match(path)
    if not m:
        return None
    gtin = ""
    if m["gtin"]:
        try:
            gtin = gs1.normalize_gtin(m["gtin"])
        except ValueError:
            return None
    return ParsedLink(
        gtin=gtin,
        product_public_id=(m["pid"] or "").lower(),
        lot=unquote(m["lot"]),
        serial=unquote(m["serial"] or ""),
    )


def gln_uri(gln: str, company_prefix: str = "") -> str:
    """A GLN as EPCIS location/party id: SGLN URN when the company prefix is known (needed to
    split the key), else the GS1 Digital Link form."""
    if company_prefix and gln.startswith(company_prefix) and len(gln) == 13:
        ref = gln[len(company_prefix) : 12]
        return f"urn:epc:id:sgln:{company_prefix}.{ref}.0"
    return f"{CANONICAL_HOST}/414/{gln}"


def pgln_uri(gln: str, company_prefix: str = "") -> str:
    if company_prefix and gln.startswith(company_prefix) and len(gln) == 13:
        return f"urn:epc:id:pgln:{company_prefix}.{gln[len(company_prefix) : 12]}"
    return f"{CANONICAL_HOST}/417/{gln}"


def producer_party_uri(producer) -> str:
    if producer.gln:
        return pgln_uri(producer.gln, producer.gs1_company_prefix)
    return f"{public_base()}/t/party/{producer.public_id}"


def producer_location_uri(producer) -> str:
    if producer.gln:
        return gln_uri(producer.gln, producer.gs1_company_prefix)
    return f"{public_base()}/t/place/{producer.public_id}"


def growing_area_uri(area) -> str:
    return f"{public_base()}/t/area/{area.public_id}"


def partner_uri(name: str, gln: str = "") -> str:
    if gln:
        return pgln_uri(gln)
    from langso.core.text import fold

    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "unknown"
    return f"urn:langso:party:{slug}"
