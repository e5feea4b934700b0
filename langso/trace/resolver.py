"""The scan route as a GS1-conformant resolver for the platform's keys.

A printed code (`/01/<GTIN-14>/10/<lot>[/21/<serial>]`, or `/t/<product id>/10/<lot>` for a
product without GTIN) answers:
- a person (no `linkType`, no linkset in `Accept`): the scan page (views.py, front.py);
- `?linkType=linkset` or `?linkType=all`, or `Accept: application/linkset+json`: the batch's
  links as an RFC 9264 linkset in JSON, keyed by GS1 Web Vocabulary link types:
  `gs1:defaultLink` and `gs1:traceability` (the scan page), `gs1:pip` (the product's page in
  the commune market, else the scan page), `gs1:epcis` (the EPCIS query of the lot's
  events), `gs1:certificationInfo` (each certificate valid on the harvest day) and
  `gs1:paymentLink` (the producer's VietQR page), when they exist;
- `?linkType=<a link type>` (`gs1:epcis`, or the full IRI): 307 to that link, or to the
  default link when the batch has none of that type.
Every answer carries `Link: <…?linkType=linkset>; rel="linkset"` and `Vary: Accept`.
Compressed Digital Links (compression.py) are answered with a 307 to the uncompressed URI,
which the page cache and the front then serve.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .identifiers import batch_class_uri, digital_link_path, public_base

LINKSET_TYPE = "application/linkset+json"
GS1_VOC = "https://gs1.org/voc/"
_VOC_ALIASES = ("https://gs1.org/voc/", "https://www.gs1.org/voc/", "https://ref.gs1.org/voc/")
#: the resolver standard's context that turns a linkset into JSON-LD
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"
LINKSET = "linkset"


def requested(query, accept: str) -> str | None:
    """What the request asks for: None (the page), LINKSET, or a link type's full IRI."""
    link_type = (query.get("linkType") or "").strip()
    if link_type in ("all", "linkset"):
        return LINKSET
    if link_type.startswith("gs1:"):
        return GS1_VOC + link_type[4:]
    for alias in _VOC_ALIASES:
        if link_type.startswith(alias):
            return GS1_VOC + link_type[len(alias) :]
    if link_type:
        return link_type
    if LINKSET_TYPE in (accept or ""):
        return LINKSET
    return None


def link_header(path: str) -> str:
    """The Link header of every resolver answer for `path` (a Digital Link path)."""
    return f'<{path}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"'


def path_of(*, gtin: str, pid: str, lot: str, serial: str = "") -> str:
    return digital_link_path(gtin=gtin, product_public_id=pid, lot=lot, serial=serial)


def _link(href: str, title: str, media_type: str = "text/html") -> dict:
    return {"href": href, "title": title, "type": media_type, "hreflang": [get_language()]}


def _page_url(batch, serial: str = "") -> str:
    return public_base() + digital_link_path(
        gtin=batch.gtin,
        product_public_id=str(batch.product.public_id),
        lot=batch.lot,
        serial=serial,
    )


def links(batch, *, serial: str = "") -> dict[str, list[dict]]:
    """The batch's links by link type IRI (the order they are listed in)."""
    from .queries import batch_public_facts

    base, page = public_base(), _page_url(batch, serial)
    facts = batch_public_facts(batch)
    product, producer = facts["product"], facts["producer"]
    story = _("Nguồn gốc %(product)s, lô %(lot)s") % {"product": product.name, "lot": batch.lot}
    out: dict[str, list[dict]] = {
        GS1_VOC + "defaultLink": [_link(page, story)],
        GS1_VOC + "traceability": [_link(page, story)],
    }
    market = facts.get("market_url")
    about = _("Thông tin sản phẩm %(name)s") % {"name": product.name}
    out[GS1_VOC + "pip"] = [_link(base + market if market else page, about)]
    query = urlencode({"MATCH_epcClass": batch_class_uri(batch)}, quote_via=quote)
    title = _("Sự kiện EPCIS 2.0 của lô %(lot)s") % {"lot": batch.lot}
    out[GS1_VOC + "epcis"] = [
        _link(f"{base}{reverse('api:events')}?{query}", title, "application/ld+json")
    ]
    certificates = [
        _link(
            f"{page}#chung-nhan",
            _("%(kind)s số %(number)s, hiệu lực %(start)s–%(end)s")
            % {
                "kind": c.get_kind_display(),
                "number": c.number,
                "start": c.valid_from.strftime("%d/%m/%Y"),
                "end": c.valid_to.strftime("%d/%m/%Y"),
            },
        )
        for c in facts["certificates"]
    ]
    if certificates:
        out[GS1_VOC + "certificationInfo"] = certificates
    if facts.get("vietqr_url"):
        pay = _("Thanh toán cho %(name)s bằng VietQR") % {"name": producer.name}
        out[GS1_VOC + "paymentLink"] = [_link(base + facts["vietqr_url"], pay)]
    return out


def linkset(batch, *, serial: str = "") -> dict:
    """The RFC 9264 JSON linkset of a batch (or of one unit of it)."""
    entry: dict = {
        "anchor": _page_url(batch, serial),
        "description": _("%(product)s – lô %(lot)s")
        % {"product": batch.product.name, "lot": batch.lot},
    }
    entry.update(links(batch, serial=serial))
    return {"linkset": [entry]}


def answer(
    request, wanted: str, *, gtin: str, pid: str, lot: str, serial: str = ""
) -> HttpResponse:
    """The linkset, or a 307 to the requested link type (else to the default link)."""
    from .queries import get_public_batch

    batch = get_public_batch(gtin=gtin, product_public_id=pid, lot=lot)
    if batch is None:
        raise Http404(_("Không tìm thấy lô sản phẩm này."))
    path = path_of(gtin=gtin, pid=pid, lot=lot, serial=serial)
    if wanted == LINKSET:
        response: HttpResponse = JsonResponse(
            linkset(batch, serial=serial), json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Type"] = LINKSET_TYPE
        response["Link"] = (
            f"{link_header(path)}, <{LINKSET_CONTEXT}>; "
            'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
        )
    else:
        available = links(batch, serial=serial)
        target = (available.get(wanted) or available[GS1_VOC + "defaultLink"])[0]
        response = HttpResponse(status=307)
        response["Location"] = target["href"]
        response["Link"] = link_header(path)
    response["Vary"] = "Accept"
    response["Cache-Control"] = "public, max-age=60"
    return response
