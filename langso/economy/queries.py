"""Reads of the economy app: one `*_visible_to(user)` per object type, the certificate
validity rule used everywhere, map layers and the figures for monitoring."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.core.figures import Figure, FigureDefinition
from langso.core.text import fold
from langso.people.permissions import unit_scope_q

from .models import (
    BankAccount,
    Certificate,
    CertificateKind,
    Demand,
    GrowingArea,
    OcopDossier,
    Producer,
    ProducerKind,
    Product,
    ProductionLinkage,
)
from .ocop_rules import EXPIRY_WARNING_DAYS
from .permissions import COMMUNE_EDIT_ROLES, OCOP_READ_ROLES, managed_producer_ids


def today() -> date:
    return timezone.localdate()


# --- certificates: the one validity rule --------------------------------------------------


def valid_certificates(on: date | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Certificates valid on `on` (default today): within their dates and not revoked by
    then. Every page, API and figure that says "valid" goes through here."""
    on = on or today()
    qs = Certificate.objects.all() if queryset is None else queryset
    return qs.filter(valid_from__lte=on, valid_to__gte=on).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=on)
    )


def certificate_status(certificate: Certificate, on: date | None = None) -> str:
    """ "revoked", "expired", "not_yet", "expiring" (within 90 days) or "valid"."""
    on = on or today()
    if certificate.revoked_at and certificate.revoked_at <= on:
        return "revoked"
    if certificate.valid_to < on:
        return "expired"
    if certificate.valid_from > on:
        return "not_yet"
    if certificate.valid_to <= on + timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "valid"


def expiring_ocop_certificates(
    *, on: date | None = None, days: int = EXPIRY_WARNING_DAYS, queryset: QuerySet | None = None
) -> QuerySet:
    on = on or today()
    return (
        valid_certificates(on, queryset)
        .filter(kind=CertificateKind.OCOP, valid_to__lte=on + timedelta(days=days))
        .select_related("product", "producer")
        .order_by("valid_to")
    )


def certificates_visible_to(user) -> QuerySet:
    """Certificates are public (a buyer checks them); all rows, newest first."""
    return Certificate.objects.select_related("producer", "product", "growing_area")


def ocop_star_subquery(on: date | None = None):
    certs = valid_certificates(on).filter(kind=CertificateKind.OCOP, product=OuterRef("pk"))
    return Subquery(certs.order_by("-star").values("star")[:1], output_field=IntegerField())


# --- producers and products --------------------------------------------------------------


def producers_visible_to(user) -> QuerySet:
    """Producers' business data is public; personal data is not kept on them."""
    return Producer.objects.select_related("commune", "hamlet")


def producers_editable_by(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Producer.objects.none()
    return Producer.objects.filter(
        Q(pk__in=managed_producer_ids(user)) | unit_scope_q(user, "commune", COMMUNE_EDIT_ROLES)
    ).select_related("commune")


def products_visible_to(user) -> QuerySet:
    """Listed products for everyone; unlisted ones too for those who may edit them."""
    editable = producers_editable_by(user).values("pk")
    return Product.objects.filter(Q(is_listed=True) | Q(producer__in=editable)).select_related(
        "producer", "producer__commune"
    )


def products_editable_by(user) -> QuerySet:
    return Product.objects.filter(producer__in=producers_editable_by(user).values("pk"))


def market_products(
    *,
    commune=None,
    q: str = "",
    group: str = "",
    stars: int | None = None,
    certificate: str = "",
    user=None,
    on: date | None = None,
) -> QuerySet:
    on = on or today()
    qs = (
        Product.objects.filter(is_listed=True)
        .select_related("producer", "producer__commune")
        .annotate(ocop_star=ocop_star_subquery(on))
        .prefetch_related("photos")
    )
    if commune is not None:
        qs = qs.filter(Q(producer__commune=commune) | Q(producer__commune__parent=commune))
    for word in fold(q).split():
        qs = qs.filter(Q(search_key__contains=word) | Q(producer__search_key__contains=word))
    if group:
        qs = qs.filter(ocop_group=group)
    if stars:
        qs = qs.filter(ocop_star__gte=stars)
    if certificate:
        holders = valid_certificates(on).filter(kind=certificate)
        qs = qs.filter(
            Q(pk__in=holders.filter(product__isnull=False).values("product"))
            | Q(producer__in=holders.values("producer"))
        )
    # pk last: products of the same stars and name keep one order from page to page
    return qs.order_by(F("ocop_star").desc(nulls_last=True), "name", "pk")


MARKET_PAGE_SIZE = 24
MARKET_PRODUCERS = 50


@dataclass(frozen=True)
class MarketListing:
    """One page of the market as the page shows it."""

    products: list[Product]
    count: int
    number: int
    num_pages: int
    producers: list[Producer]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def market_listing(
    *,
    commune,
    q: str = "",
    group: str = "",
    stars: int | None = None,
    certificate: str = "",
    page=None,
    on: date | None = None,
) -> MarketListing:
    """A page of the commune's market (24 products) with its producers (up to 50)."""
    products = market_products(
        commune=commune, q=q, group=group, stars=stars, certificate=certificate, on=on
    )
    found = Paginator(products, MARKET_PAGE_SIZE).get_page(page)
    return MarketListing(
        products=list(found.object_list),
        count=found.paginator.count,
        number=found.number,
        num_pages=found.paginator.num_pages,
        producers=list(market_producers(commune=commune, q=q)[:MARKET_PRODUCERS]),
    )


def market_producers(*, commune=None, q: str = "", kind: str = "") -> QuerySet:
    qs = Producer.objects.select_related("commune").annotate(
        product_count=Count("products", filter=Q(products__is_listed=True))
    )
    if commune is not None:
        qs = qs.filter(Q(commune=commune) | Q(commune__parent=commune))
    for word in fold(q).split():
        qs = qs.filter(search_key__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def producers_of(commune) -> QuerySet[Producer]:
    """The producers registered in `commune` itself (public directory)."""
    return Producer.objects.filter(commune=commune).select_related("commune")


def products_of(producer: Producer) -> QuerySet[Product]:
    return Product.objects.filter(producer=producer)


def producers_by_ids(ids) -> list[Producer]:
    """Producers chosen in a form (its field already limits the choices)."""
    return list(Producer.objects.filter(pk__in=ids))


def growing_areas_of_producers(producers) -> QuerySet[GrowingArea]:
    """Growing areas of the producers in `producers` (a queryset of producer ids), once each."""
    return GrowingArea.objects.filter(producers__in=producers).distinct()


def product_certificates(product: Product, on: date | None = None) -> QuerySet:
    """Valid certificates that vouch for a product: its own and its producer's general ones
    (those not tied to another product)."""
    return (
        valid_certificates(on)
        .filter(Q(product=product) | Q(producer=product.producer_id, product__isnull=True))
        .select_related("growing_area")
        .order_by("kind", "-valid_to")
    )


def current_ocop_certificate(product: Product, on: date | None = None) -> Certificate | None:
    return (
        valid_certificates(on)
        .filter(kind=CertificateKind.OCOP, product=product)
        .order_by("-star", "-valid_to")
        .first()
    )


# Traceability extends economy (its batches are of economy's products), so economy does not
# import it: the trace app registers here, when it starts (TraceConfig.ready), how to find
# the scan page of a product. Without it (an installation without trace), there is none.
_traceability_providers: list[Callable[[Product], str | None]] = []


def register_traceability(provider: Callable[[Product], str | None]) -> None:
    """Let `provider(product)` answer `traceability_url` (called once by the trace app)."""
    if provider not in _traceability_providers:
        _traceability_providers.append(provider)


def traceability_url(product: Product) -> str | None:
    """The consumer-facing traceability page of a product, or None when no registered
    provider knows one (no batch yet, or no trace app)."""
    for provider in _traceability_providers:
        url = provider(product)
        if url:
            return url
    return None


def default_bank_account(producer: Producer) -> BankAccount | None:
    return producer.bank_accounts.order_by("-is_default", "pk").first()


# --- growing areas -----------------------------------------------------------------------


def growing_areas_visible_to(user) -> QuerySet:
    return GrowingArea.objects.select_related("commune").prefetch_related("producers")


def growing_areas_geojson(commune, on: date | None = None) -> dict:
    """A GeoJSON FeatureCollection of the commune's growing areas for map layers: polygon when
    known, else point. Properties carry code, crop, size and valid certificate kinds."""
    on = on or today()
    areas = (
        GrowingArea.objects.filter(Q(commune=commune) | Q(commune__parent=commune))
        .prefetch_related("producers")
        .order_by("name")
    )
    valid: dict[int | None, set[str]] = {}
    for cert in (
        valid_certificates(on).filter(growing_area__in=areas).only("growing_area_id", "kind")
    ):
        valid.setdefault(cert.growing_area_id, set()).add(cert.kind)
    features = []
    for area in areas:
        geometry = None
        if area.boundary:
            geometry = (
                area.boundary.get("geometry", area.boundary)
                if area.boundary.get("type") == "Feature"
                else area.boundary
            )
        elif area.latitude is not None and area.longitude is not None:
            geometry = {"type": "Point", "coordinates": [area.longitude, area.latitude]}
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": str(area.public_id),
                "geometry": geometry,
                "properties": {
                    "name": area.name,
                    "code": area.code,
                    "crop": area.crop,
                    "area_ha": float(area.area_ha) if area.area_ha is not None else None,
                    "producers": [p.name for p in area.producers.all()],
                    "certificates": sorted(valid.get(area.pk, ())),
                    "layer": "economy.growing_areas",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- linkages, OCOP dossiers, market demands ------------------------------------------------


def linkages_visible_to(user) -> QuerySet:
    return ProductionLinkage.objects.select_related(
        "buyer", "growing_area", "product", "commune"
    ).prefetch_related("suppliers")


def dossiers_visible_to(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return OcopDossier.objects.none()
    return OcopDossier.objects.filter(
        Q(producer__in=managed_producer_ids(user)) | unit_scope_q(user, "commune", OCOP_READ_ROLES)
    ).select_related("product", "producer", "commune", "criteria_set")


def demands_visible_to(user) -> QuerySet:
    """Open demands are public; a buyer also sees their own closed ones."""
    own = Q(buyer=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return (
        Demand.objects.filter(Q(status=Demand.Status.OPEN) | own)
        .select_related("commune", "buyer")
        .annotate(offer_count=Count("offers"))
    )


# --- figures for monitoring --------------------------------------------------------------

FIGURE_DEFINITIONS: dict[str, FigureDefinition] = {
    d.code: d
    for d in [
        FigureDefinition(
            "economy.cooperatives",
            str(_("Số hợp tác xã")),
            "count",
            str(_("Hợp tác xã đăng ký tại xã.")),
        ),
        FigureDefinition(
            "economy.has_cooperative",
            str(_("Xã có hợp tác xã")),
            "rate",
            str(_("1/1 khi xã có ít nhất một hợp tác xã, 0/1 nếu không.")),
        ),
        FigureDefinition(
            "economy.ocop_3star",
            str(_("Sản phẩm OCOP 3 sao")),
            "count",
            str(_("Chứng nhận OCOP 3 sao còn hiệu lực cuối kỳ.")),
        ),
        FigureDefinition(
            "economy.ocop_4star",
            str(_("Sản phẩm OCOP 4 sao")),
            "count",
            str(_("Chứng nhận OCOP 4 sao còn hiệu lực cuối kỳ.")),
        ),
        FigureDefinition(
            "economy.ocop_5star",
            str(_("Sản phẩm OCOP 5 sao")),
            "count",
            str(_("Chứng nhận OCOP 5 sao còn hiệu lực cuối kỳ.")),
        ),
        FigureDefinition(
            "economy.valid_certificates",
            str(_("Chứng nhận còn hiệu lực")),
            "count",
            str(_("VietGAP, hữu cơ, OCOP... còn hiệu lực cuối kỳ.")),
        ),
        FigureDefinition(
            "economy.linkage_models",
            str(_("Mô hình liên kết sản xuất")),
            "count",
            str(_("Mô hình liên kết đang hoạt động cuối kỳ.")),
        ),
        FigureDefinition(
            "economy.linkage_digital_rate",
            str(_("Tỷ lệ mô hình liên kết ứng dụng công nghệ số")),
            "rate",
            str(_("Mô hình có ứng dụng công nghệ số / tổng số mô hình.")),
        ),
        FigureDefinition(
            "economy.household_business_qr_rate",
            str(_("Tỷ lệ hộ kinh doanh, HTX có mã QR thanh toán")),
            "rate",
            str(_("Hộ kinh doanh và hợp tác xã có tài khoản VietQR / tổng số.")),
        ),
    ]
}


def monitoring_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    """Figures as at `period_end` for each commune id (a commune and the units below it)."""
    ids = list(unit_ids)
    out: dict[int, dict[str, Figure]] = {uid: {} for uid in ids}

    def per_unit(qs, field: str = "commune") -> dict[int, int]:
        counts: dict[int, int] = {}
        rows = (
            qs.filter(**{f"{field}__in": ids}).values(field).annotate(n=Count("pk", distinct=True))
        )
        for row in rows:
            counts[row[field]] = counts.get(row[field], 0) + row["n"]
        return counts

    coops = per_unit(
        Producer.objects.filter(kind=ProducerKind.COOPERATIVE, created_at__date__lte=period_end)
    )
    valid = valid_certificates(period_end)
    all_valid = per_unit(valid, "producer__commune")
    stars = {
        s: per_unit(valid.filter(kind=CertificateKind.OCOP, star=s), "producer__commune")
        for s in (3, 4, 5)
    }
    active = ProductionLinkage.objects.filter(started_on__lte=period_end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period_end)
    )
    linkages = per_unit(active)
    digital = per_unit(active.filter(uses_digital_technology=True))
    sellers = Producer.objects.filter(
        kind__in=[ProducerKind.HOUSEHOLD_BUSINESS, ProducerKind.COOPERATIVE],
        created_at__date__lte=period_end,
    )
    seller_all = per_unit(sellers)
    seller_qr = per_unit(sellers.filter(bank_accounts__isnull=False))
    for uid in ids:
        figures = out[uid]
        figures["economy.cooperatives"] = Figure(coops.get(uid, 0))
        figures["economy.has_cooperative"] = Figure(1 if coops.get(uid) else 0, 1)
        for s in (3, 4, 5):
            figures[f"economy.ocop_{s}star"] = Figure(stars[s].get(uid, 0))
        figures["economy.valid_certificates"] = Figure(all_valid.get(uid, 0))
        figures["economy.linkage_models"] = Figure(linkages.get(uid, 0))
        figures["economy.linkage_digital_rate"] = Figure(digital.get(uid, 0), linkages.get(uid, 0))
        figures["economy.household_business_qr_rate"] = Figure(
            seller_qr.get(uid, 0), seller_all.get(uid, 0)
        )
    return out


def certificates_expiring_for(user, *, on: date | None = None) -> QuerySet:
    """OCOP certificates within 90 days of expiry that the user manages or oversees."""
    scope = Q(producer__in=managed_producer_ids(user)) | unit_scope_q(
        user, "producer__commune", OCOP_READ_ROLES
    )
    return expiring_ocop_certificates(on=on).filter(scope)
