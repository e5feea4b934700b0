"""What the resident pages owe a cheap phone on a slow network (issue 17), in the markup.

.ci/phones.sh measures the pages with Lighthouse and axe-core in Chromium; these tests pin
the fixes it led to, so that a template edit cannot quietly undo one: an icon at the site's
root, a product photo whose box is known before it arrives (no layout shift), Leaflet loaded
without holding up the map page's first paint.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_is_served_at_the_site_root_without_reaching_django(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO header


def test_every_page_of_the_layout_names_its_icons(client, commune):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert re.search(r'<link rel="icon" href="/static/langso/favicon[.\w]*svg"', page)


def test_product_photo_box_is_sized_before_the_photo_arrives(client, commune, settings, tmp_path):
    from langso.economy.models import Producer, ProducerKind, Product, ProductPhoto

    settings.MEDIA_ROOT = tmp_path
    producer = Producer.objects.create(
        kind=ProducerKind.COOPERATIVE,
        name="HTX Chè Tức Tranh",
        commune=commune,
        province_code=commune.province_code,
    )
    product = Product.objects.create(producer=producer, name="Chè búp", unit="kg")
    for caption in ("Búp chè", "Hộp chè"):
        png = io.BytesIO()
        Image.new("RGB", (30, 20), "green").save(png, "PNG")
        ProductPhoto.objects.create(
            product=product,
            caption=caption,
            image=SimpleUploadedFile("p.png", png.getvalue(), content_type="image/png"),
        )

    page = client.get(reverse("economy:product_detail", args=[product.public_id])).content.decode()

    photos = re.findall(r'<img [^>]*class="photo"[^>]*>', page)
    assert len(photos) == 2
    for img in photos:
        assert 'width="320"' in img and 'height="240"' in img
    # the first photo is the page's largest paint: fetched at once, not lazily
    assert 'loading="lazy"' not in photos[0] and 'fetchpriority="high"' in photos[0]
    assert 'loading="lazy"' in photos[1]


def test_map_page_paints_before_leaflet_arrives(client, commune):
    page = client.get(reverse("society:map")).content.decode()

    scripts = re.findall(r"<script [^>]*src=[^>]*>", page)
    assert any("vendor/leaflet/leaflet" in s for s in scripts)
    assert scripts and all(" defer" in s for s in scripts), scripts
