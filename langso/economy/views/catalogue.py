import csv

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from langso.core.exports import safe_row

from .. import market_cache
from ..forms import MarketFilterForm
from ..ocop_rules import subgroup_name
from ..permissions import can_edit_producer
from ..queries import (
    certificate_status,
    current_ocop_certificate,
    default_bank_account,
    market_listing,
    market_products,
    product_certificates,
    today,
    traceability_url,
)
from ._common import get_product, market_commune


@require_GET
def market(request):
    """The commune's market. The listing under the search form is the same for everyone, so
    it is rendered once and kept until something in the market changes (market_cache.py)."""
    commune = market_commune(request)
    form = MarketFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    asked = {
        "q": filters.get("q", ""),
        "group": filters.get("group", ""),
        "stars": filters.get("stars"),
        "certificate": filters.get("certificate", ""),
    }
    asked_page = request.GET.get("page", "")
    page = int(asked_page) if asked_page.isdigit() else 1  # one cache entry for "", "x", "1"
    on = today()
    # the page links keep the filters that were understood, so the cached listing names no
    # parameter that is not in its key
    kept = {"commune": request.GET.get("commune", "").strip(), **asked}
    query = urlencode([(name, value) for name, value in kept.items() if value])

    def render_listing() -> str:
        listing = market_listing(commune=commune, page=page, on=on, **asked)
        return render_to_string("economy/_market_listing.html", {"page": listing, "query": query})

    listing_html = market_cache.cached(
        ("listing", get_language(), on.isoformat(), commune.pk, query, page),
        render_listing,
    )
    return render(
        request,
        "economy/market.html",
        {"commune": commune, "form": form, "listing": listing_html},
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
