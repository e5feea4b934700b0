"""JSON API of the economy app, mounted at /api/economy/."""

from datetime import date
from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import django_auth

from langso.core.exceptions import NotFound, ValidationFailed
from langso.core.idempotency import idempotent
from langso.places.queries import commune_by_code, home_commune

from . import actions, vietqr
from .exceptions import NoBankAccount
from .models import Product
from .queries import (
    certificate_status,
    default_bank_account,
    demands_visible_to,
    dossiers_visible_to,
    growing_areas_geojson,
    market_producers,
    market_products,
    ocop_star_subquery,
    producers_visible_to,
    product_certificates,
    products_of,
    products_visible_to,
    traceability_url,
)
from .schemas import (
    CertificateOut,
    DemandIn,
    DemandOut,
    EvaluationOut,
    OcopDossierOut,
    OfferIn,
    OfferOut,
    ProducerIn,
    ProducerOut,
    ProducerPatch,
    ProductIn,
    ProductOut,
    ProductPatch,
    ScoresIn,
    VietQROut,
    VietQRParseIn,
    VietQRReadOut,
)

router = Router(tags=["economy"])


def _base() -> str:
    return settings.LANGSO_PUBLIC_URL.rstrip("/")


def _commune(code: str | None):
    if not code:
        unit = home_commune()
    else:
        unit = commune_by_code(code)
    if unit is None:
        raise NotFound(_("Không tìm thấy xã."))
    return unit


def producer_out(p) -> dict:
    return {
        "id": p.public_id,
        "kind": p.kind,
        "kind_label": str(p.get_kind_display()),
        "name": p.name,
        "commune_code": p.commune.code,
        "address": p.address,
        "phone": p.phone,
        "url": _base() + reverse("economy:producer_detail", args=[p.public_id]),
    }


def cert_out(c) -> dict:
    return {
        "kind": c.kind,
        "number": c.number,
        "issuer": c.issuer,
        "scope": c.scope,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "status": certificate_status(c),
        "star": c.star,
        "issuing_level": c.issuing_level,
    }


def product_out(p, *, detail: bool = False) -> dict:
    out = {
        "id": p.public_id,
        "name": p.name,
        "producer": producer_out(p.producer),
        "ocop_group": p.ocop_group,
        "ocop_subgroup": p.ocop_subgroup,
        "ocop_stars": getattr(p, "ocop_star", None),
        "description": p.description,
        "unit": p.unit,
        "price": p.price,
        "stock": p.stock,
        "gtin": p.gtin,
        "images": [_base() + ph.image.url for ph in p.photos.all()],
        "url": _base() + reverse("economy:product_detail", args=[p.public_id]),
        "traceability_url": traceability_url(p) if detail else None,
        "certificates": [],
    }
    if detail:
        out["certificates"] = [cert_out(c) for c in product_certificates(p)]
    return out


PRODUCTS_PAGE_DEFAULT = 50
PRODUCTS_PAGE_MAX = 200
NEXT_PAGE_HEADER = {
    "Link": {
        "description": '`<…?offset=…>; rel="next"` when there are more products after this page',
        "schema": {"type": "string"},
    }
}


@router.get(
    "/products",
    response=list[ProductOut],
    openapi_extra={"responses": {200: {"description": "OK", "headers": NEXT_PAGE_HEADER}}},
)
def list_products(
    request,
    response: HttpResponse,
    commune: str | None = None,
    q: str = "",
    group: str = "",
    stars: int | None = None,
    certificate: str = "",
    limit: int = Query(
        PRODUCTS_PAGE_DEFAULT,
        description=f"products per page, {PRODUCTS_PAGE_DEFAULT} by default; "
        f"more than {PRODUCTS_PAGE_MAX} gives {PRODUCTS_PAGE_MAX}",
    ),
    offset: int = Query(0, description="products to skip (the `Link` header names the next page)"),
):
    """The commune's listed products (the marketplace), filterable like the catalogue, a page
    at a time: OCOP stars first, then by name, in an order that does not change between
    pages. When more products follow, a `Link: <…>; rel="next"` header gives the next page."""
    qs = market_products(
        commune=_commune(commune), q=q, group=group, stars=stars, certificate=certificate
    )
    limit = max(1, min(limit, PRODUCTS_PAGE_MAX))
    offset = max(0, min(offset, 10**9))  # Django refuses negative slices; a bigint must fit
    rows = list(qs[offset : offset + limit + 1])  # one more tells whether a next page exists
    if len(rows) > limit:
        following = request.GET.copy()
        following["limit"], following["offset"] = str(limit), str(offset + limit)
        response["Link"] = f'<{request.path}?{following.urlencode()}>; rel="next"'
    return [product_out(p) for p in rows[:limit]]


def _product(request, public_id: UUID) -> Product:
    qs = products_visible_to(request.user).annotate(ocop_star=ocop_star_subquery())
    return get_object_or_404(qs.prefetch_related("photos"), public_id=public_id)


@router.get("/products/{public_id}", response=ProductOut)
def get_product(request, public_id: UUID):
    return product_out(_product(request, public_id), detail=True)


@router.post("/products", response={201: ProductOut}, auth=django_auth)
def create_product(request, payload: ProductIn):
    data = payload.dict()
    producer = get_object_or_404(producers_visible_to(request.user), public_id=data.pop("producer"))
    product = actions.create_product(actor=request.user, producer=producer, **data)
    return Status(201, product_out(_product(request, product.public_id), detail=True))


@router.patch("/products/{public_id}", response=ProductOut, auth=django_auth)
def update_product(request, public_id: UUID, payload: ProductPatch):
    product = _product(request, public_id)
    changes = payload.dict(exclude_unset=True)
    actions.update_product(actor=request.user, product=product, **changes)
    return product_out(_product(request, public_id), detail=True)


@router.get("/producers", response=list[ProducerOut])
def list_producers(request, commune: str | None = None, q: str = "", kind: str = ""):
    return [producer_out(p) for p in market_producers(commune=_commune(commune), q=q, kind=kind)]


@router.get("/producers/{public_id}", response=ProducerOut)
def get_producer(request, public_id: UUID):
    return producer_out(get_object_or_404(producers_visible_to(request.user), public_id=public_id))


@router.post("/producers", response={201: ProducerOut}, auth=django_auth)
def create_producer(request, payload: ProducerIn):
    """A commune official registers a producer of their commune."""
    data = payload.dict()
    commune = _commune(data.pop("commune"))
    producer = actions.create_producer(actor=request.user, commune=commune, **data)
    return Status(201, producer_out(producer))


@router.patch("/producers/{public_id}", response=ProducerOut, auth=django_auth)
def update_producer(request, public_id: UUID, payload: ProducerPatch):
    """The producer's manager or the commune edits the producer."""
    producer = get_object_or_404(producers_visible_to(request.user), public_id=public_id)
    producer = actions.update_producer(
        actor=request.user, producer=producer, **payload.dict(exclude_unset=True)
    )
    return producer_out(producer)


@router.get("/producers/{public_id}/vietqr", response=VietQROut)
def producer_vietqr(
    request, public_id: UUID, amount: int | None = None, purpose: str = "", bill: str = ""
):
    """The producer's VietQR payload: static, or dynamic with `amount` (đồng) and purpose."""
    producer = get_object_or_404(producers_visible_to(request.user), public_id=public_id)
    account = default_bank_account(producer)
    if account is None:
        raise NoBankAccount(_("Chủ thể chưa khai báo tài khoản nhận thanh toán."))
    payload = actions.payment_payload(
        account=account, amount=amount, purpose=purpose, bill_number=bill
    )
    return _qr_out(payload)


def _qr_out(payload: str) -> dict:
    parsed = vietqr.parse_payload(payload)
    return {
        "payload": payload,
        "dynamic": parsed.is_dynamic,
        "bank_bin": parsed.bank_bin,
        "account": parsed.account,
        "amount": parsed.amount,
        "purpose": parsed.purpose,
        "bill_number": parsed.bill_number,
    }


@router.post("/vietqr/parse", response=VietQRReadOut)
def parse_vietqr(request, payload: VietQRParseIn):
    """Read a QR payment string back (VietQR, VNPAY-QR or another EMVCo scheme, named in
    `scheme`), with every field read. Anything unreadable gives 422 with a code such as
    economy.vietqr_bad_crc or economy.vietqr_malformed and a message naming the field."""
    try:
        read = vietqr.read_payload(payload.payload)
    except vietqr.VietQRError as exc:
        raise ValidationFailed(exc.message, code=f"economy.vietqr_{exc.code}") from exc
    return {
        "payload": payload.payload.strip(),
        "dynamic": read.is_dynamic,
        "bank_bin": read.bank_bin,
        "account": read.account,
        "amount": read.amount,
        "purpose": read.additional.get("purpose", ""),
        "bill_number": read.additional.get("bill_number", ""),
        "scheme": read.scheme,
        "wallet": read.wallet,
        "service": read.service,
        "point_of_initiation": read.point_of_initiation,
        "merchant_id": read.merchant_id,
        **{
            name: read.field(name)
            for name in (
                "currency",
                "country",
                "merchant_name",
                "merchant_city",
                "postal_code",
                "merchant_category",
                "tip_indicator",
                "tip_fixed",
                "tip_percentage",
            )
        },
        "additional_data": read.additional,
        "language": read.language,
        "merchant_accounts": [
            {"tag": a.tag, "guid": a.guid, "scheme": a.scheme, "fields": a.fields}
            for a in read.merchant_accounts
        ],
        "other_fields": read.other_fields,
        "crc": read.crc,
    }


@router.get("/growing-areas.geojson")
def growing_areas(request, commune: str | None = None):
    return growing_areas_geojson(_commune(commune))


@router.get("/certificates", response=list[CertificateOut])
def list_certificates(
    request, commune: str | None = None, on: date | None = None, valid_only: bool = True
):
    from .queries import certificates_visible_to, valid_certificates

    unit = _commune(commune)
    qs = certificates_visible_to(request.user).filter(producer__commune=unit)
    if valid_only:
        qs = valid_certificates(on, qs)
    return [cert_out(c) for c in qs]


@router.get("/demands", response=list[DemandOut])
def list_demands(request, commune: str | None = None):
    qs = demands_visible_to(request.user).filter(commune=_commune(commune))
    return [
        {
            "id": d.public_id,
            "title": d.title,
            "buyer_name": d.buyer_name,
            "ocop_group": d.ocop_group,
            "quantity": d.quantity,
            "unit": d.unit,
            "needed_by": d.needed_by,
            "price": d.price,
            "status": d.status,
            "offers": d.offer_count,
        }
        for d in qs
    ]


@router.post("/demands", response={201: DemandOut}, auth=django_auth)
@idempotent("economy.demand")
def post_demand(request, payload: DemandIn):
    data = payload.dict()
    commune = _commune(data.pop("commune"))
    d = actions.post_demand(actor=request.user, commune=commune, **data)
    return Status(
        201,
        {
            "id": d.public_id,
            "title": d.title,
            "buyer_name": d.buyer_name,
            "ocop_group": d.ocop_group,
            "quantity": d.quantity,
            "unit": d.unit,
            "needed_by": d.needed_by,
            "price": d.price,
            "status": d.status,
            "offers": 0,
        },
    )


@router.post("/demands/{public_id}/offers", response={201: OfferOut}, auth=django_auth)
@idempotent("economy.offer")
def make_offer(request, public_id: UUID, payload: OfferIn):
    demand = get_object_or_404(demands_visible_to(request.user), public_id=public_id)
    producer = get_object_or_404(producers_visible_to(request.user), public_id=payload.producer)
    product = (
        get_object_or_404(products_of(producer), public_id=payload.product)
        if payload.product
        else None
    )
    offer = actions.make_offer(
        actor=request.user,
        demand=demand,
        producer=producer,
        product=product,
        quantity=payload.quantity,
        price=payload.price,
        message=payload.message,
    )
    return Status(
        201,
        {
            "id": offer.pk,
            "producer": producer.name,
            "quantity": offer.quantity,
            "price": offer.price,
        },
    )


def dossier_out(d) -> dict:
    return {
        "id": d.public_id,
        "product": d.product.name,
        "producer": d.producer.name,
        "filed_on": d.filed_on,
        "status": d.status,
        "current_level": d.current_level,
        "decision": d.criteria_set.decision,
        "self_total": d.self_total,
        "result_total": d.result_total,
        "result_star": d.result_star,
    }


@router.get("/ocop/dossiers", response=list[OcopDossierOut], auth=django_auth)
def list_dossiers(request):
    return [dossier_out(d) for d in dossiers_visible_to(request.user)[:500]]


@router.post("/ocop/dossiers/{public_id}/accept", response=OcopDossierOut, auth=django_auth)
def accept_dossier(request, public_id: UUID):
    """The commune sends a received dossier on to the rating level (rules since July 2025)."""
    dossier = get_object_or_404(dossiers_visible_to(request.user), public_id=public_id)
    return dossier_out(actions.accept_dossier(actor=request.user, dossier=dossier))


@router.post("/ocop/dossiers/{public_id}/scores", response=EvaluationOut, auth=django_auth)
def score_dossier(request, public_id: UUID, payload: ScoresIn):
    dossier = get_object_or_404(dossiers_visible_to(request.user), public_id=public_id)
    e = actions.score_dossier(
        actor=request.user, dossier=dossier, scores=payload.scores, comment=payload.comment
    )
    return {
        "total": e.total,
        "star": e.star,
        "part_a": e.part_a,
        "part_b": e.part_b,
        "part_c": e.part_c,
        "level": e.level,
    }
