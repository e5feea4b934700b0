import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from langso.core.exports import safe_row

from ..forms import MarketFilterForm
from ..models import ProducerKind
from ..ocop_rules import subgroup_name
from ..permissions import can_edit_producer
from ..queries import (
    certificate_status,
    current_ocop_certificate,
    default_bank_account,
    market_producers,
    market_products,
    product_certificates,
    traceability_url,
)
from ._common import get_product, market_commune


@require_GET
def market(request):
    commune = market_commune(request)
    form = MarketFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    products = market_products(
        commune=commune,
        q=filters.get("q", ""),
        group=filters.get("group", ""),
        stars=filters.get("stars"),
        certificate=filters.get("certificate", ""),
    )
    page = Paginator(products, 24).get_page(request.GET.get("page"))
    producers = market_producers(commune=commune, q=filters.get("q", ""))[:50]
    return render(
        request,
        "economy/market.html",
        {
            "commune": commune,
            "form": form,
            "page": page,
            "producers": producers,
            "kinds": ProducerKind.choices,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def product_detail(request, public_id):
    product = get_product(request, public_id)
    producer = product.producer
    certificates = list(product_certificates(product))
    ocop = current_ocop_certificate(product)
    account = default_bank_account(producer)
    return render(
        request,
        "economy/product_detail.html",
        {
            "product": product,
            "producer": producer,
            "photos": product.photos.all(),
            "certificates": [(c, certificate_status(c)) for c in certificates],
            "ocop": ocop,
            "account": account,
            "subgroup": subgroup_name(product.ocop_subgroup),
            "trace_url": traceability_url(product),
            "can_edit": can_edit_producer(request.user, producer),
        },
    )


FEED_COLUMNS = [
    "sku",
    "name",
    "description",
    "price",
    "stock",
    "unit",
    "category",
    "image_1",
    "image_2",
    "image_3",
    "brand",
    "gtin",
    "ocop_stars",
    "url",
]


@require_GET
def feed_csv(request):
    """Products in the column layout of marketplaces' bulk-upload sheets (one row a product,
    up to three image URLs). UTF-8 with BOM so that spreadsheet programs read Vietnamese."""
    commune = market_commune(request)
    base = settings.LANGSO_PUBLIC_URL.rstrip("/")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="san-pham.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(safe_row(FEED_COLUMNS, empty=""))
    for row in feed_rows(commune, base):
        writer.writerow(safe_row((row[c] for c in FEED_COLUMNS), empty=""))
    return response


def feed_rows(commune, base: str):
    for product in market_products(commune=commune):
        images = [f"{base}{p.image.url}" for p in product.photos.all()[:3]]
        images += [""] * (3 - len(images))
        yield {
            "sku": product.gtin or product.public_id.hex[:12].upper(),
            "name": product.name,
            "description": product.description,
            "price": "" if product.price is None else str(product.price),
            "stock": "" if product.stock is None else product.stock,
            "unit": product.unit,
            "category": product.get_ocop_group_display() if product.ocop_group else "",
            "image_1": images[0],
            "image_2": images[1],
            "image_3": images[2],
            "brand": product.producer.name,
            "gtin": product.gtin,
            "ocop_stars": product.ocop_star or "",
            "url": base + reverse("economy:product_detail", args=[product.public_id]),
        }
