import io
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse
from PIL import Image

from langso.core.exceptions import ValidationFailed
from langso.core.tests.upload_files import png_bomb
from langso.economy import actions
from langso.economy.models import BankAccount, Certificate, Demand, Producer

from .conftest import FILED_2025, full_scores


@pytest.fixture
def account(coop):
    return BankAccount.objects.create(
        producer=coop, bank_bin="970403", account_number="0011012345678", account_name="HTX CHE"
    )


def test_market_url_takes_no_arguments_and_lists_the_communes_products(client, tea, far_product):
    response = client.get(reverse("economy:market"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chè búp Tức Tranh" in text
    assert "Rau cải Ba Đình" not in text


def test_market_search_works_without_diacritics(client, tea, other_coop):
    from langso.economy.models import Product

    Product.objects.create(producer=other_coop, name="Mật ong", search_key="mat ong")
    text = client.get(reverse("economy:market"), {"q": "che bup"}).content.decode()
    assert "Chè búp Tức Tranh" in text and "Mật ong" not in text


def test_market_query_count_does_not_grow_with_products(
    client, coop, django_assert_max_num_queries
):
    from langso.economy.models import Product

    for i in range(15):
        Product.objects.create(producer=coop, name=f"Chè {i}", search_key=f"che {i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("economy:market")).status_code == 200


def test_the_market_reads_its_listing_once_until_something_changes(
    client, tea, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("economy:market"))
    with CaptureQueriesContext(connection) as second:
        assert "Chè búp Tức Tranh" in client.get(reverse("economy:market")).content.decode()
    assert any("economy_product" in q["sql"] for q in first.captured_queries)
    assert not any("economy_product" in q["sql"] for q in second.captured_queries)


def _new_price(manager, tea, coop):
    actions.update_product(actor=manager, product=tea, price=Decimal(150000))
    return "150.000 đ", "120.000 đ"


def _unlisted(manager, tea, coop):
    actions.update_product(actor=manager, product=tea, is_listed=False)
    return "Không tìm thấy sản phẩm phù hợp.", "Chè búp Tức Tranh"


def _new_product(manager, tea, coop):
    actions.create_product(actor=manager, producer=coop, name="Mật ong rừng", price=90000)
    return "Mật ong rừng", None


def _renamed_producer(manager, tea, coop):
    actions.update_producer(actor=manager, producer=coop, name="HTX Chè Vô Tranh")
    return "HTX Chè Vô Tranh", "HTX Chè Tức Tranh"


def _new_photo(manager, tea, coop):
    from .test_actions import png_bytes

    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    photo = actions.add_product_photo(actor=manager, product=tea, upload=upload)
    return photo.image.url, None


@pytest.mark.parametrize(
    "change", [_new_price, _unlisted, _new_product, _renamed_producer, _new_photo]
)
def test_the_market_shows_a_change_at_the_next_request_never_the_cached_page(
    client, tea, coop, manager, change, django_capture_on_commit_callbacks
):
    assert "120.000 đ" in client.get(reverse("economy:market")).content.decode()  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        shown, gone = change(manager, tea, coop)
    page = client.get(reverse("economy:market")).content.decode()
    assert shown in page
    assert gone is None or gone not in page


def test_the_market_filter_by_certificate_sees_a_certificate_added_after_it_was_cached(
    client, tea, coop, manager, django_capture_on_commit_callbacks
):
    url = reverse("economy:market")
    assert "Chè búp Tức Tranh" not in client.get(url, {"certificate": "vietgap"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_certificate(
            actor=manager,
            producer=coop,
            kind="vietgap",
            number="VG-1",
            issuer="Trung tâm",
            valid_from=date(2020, 1, 1),
            valid_to=date(2099, 1, 1),
        )
    assert "Chè búp Tức Tranh" in client.get(url, {"certificate": "vietgap"}).content.decode()


def test_a_change_that_was_rolled_back_leaves_the_cached_market_as_it_was(client, tea, manager):
    """The version moves when the write commits; a failed write changes nothing to see."""
    from langso.economy.market_cache import market_version

    client.get(reverse("economy:market"))
    before = market_version()
    with pytest.raises(ValidationFailed):
        actions.update_product(actor=manager, product=tea, price=Decimal(-1))
    assert market_version() == before


def test_the_market_still_lists_its_products_when_the_cache_is_unreachable(
    client, tea, monkeypatch
):
    from langso.economy import market_cache

    class Down:
        def __getattr__(self, name):
            def refuse(*args, **kwargs):
                raise ConnectionError("redis is down")

            return refuse

    monkeypatch.setattr(market_cache, "cache", Down())
    response = client.get("/economy/")
    assert response.status_code == 200
    assert tea.name in response.content.decode()
    market_cache.bump_market_version()  # logged, not raised


def test_the_market_pages_keep_the_filters_and_drop_unknown_parameters(client, coop, monkeypatch):
    from langso.economy import queries
    from langso.economy.models import Product

    monkeypatch.setattr(queries, "MARKET_PAGE_SIZE", 2)
    for name in ("Chè A", "Chè B", "Chè C"):
        Product.objects.create(producer=coop, name=name, search_key=name.lower())
    first = client.get(reverse("economy:market"), {"q": "chè", "utm": "<x>"}).content.decode()
    assert 'href="?q=ch%C3%A8&amp;page=2"' in first and "utm=%3Cx%3E&amp;page" not in first
    second = client.get(reverse("economy:market"), {"q": "chè", "page": 2}).content.decode()
    assert "Chè C" in second and "Chè A" not in second


def test_product_page_shows_stars_valid_certificates_qr_and_product_link(client, tea, account):
    Certificate.objects.create(
        producer=tea.producer,
        product=tea,
        kind="ocop",
        star=4,
        issuing_level="province",
        number="OCOP-19-2025-0001",
        issuer="UBND tỉnh",
        valid_from=date(2025, 1, 1),
        valid_to=date(2099, 1, 1),
    )
    Certificate.objects.create(
        producer=tea.producer,
        kind="vietgap",
        number="VG-OLD",
        issuer="X",
        valid_from=date(2019, 1, 1),
        valid_to=date(2020, 1, 1),
    )
    text = client.get(reverse("economy:product_detail", args=[tea.public_id])).content.decode()
    assert "OCOP 4★" in text
    assert "OCOP-19-2025-0001" in text
    assert "VG-OLD" not in text  # an expired certificate never shows as valid
    assert reverse("economy:producer_qr_image", args=[tea.producer.public_id, "svg"]) in text
    assert f"/economy/products/{tea.public_id}/" in text


def test_unlisted_product_is_hidden_from_the_public_but_not_its_manager(client, tea, manager):
    tea.is_listed = False
    tea.save()
    url = reverse("economy:product_detail", args=[tea.public_id])
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_qr_page_static_and_dynamic(client, coop, account):
    url = reverse("economy:producer_qr", args=[coop.public_id])
    text = client.get(url).content.decode()
    assert "010211" in text  # static
    text = client.get(
        url, {"amount": "180000", "purpose": "thanh toán đơn hàng", "bill": "NPS6869"}
    ).content.decode()
    assert "63042E2E" in text


def test_qr_images_are_png_and_svg(client, coop, account):
    png = client.get(reverse("economy:producer_qr_image", args=[coop.public_id, "png"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(
        reverse("economy:producer_qr_image", args=[coop.public_id, "svg"]), {"amount": "50000"}
    )
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_qr_image_without_account_is_404(client, coop):
    assert (
        client.get(reverse("economy:producer_qr_image", args=[coop.public_id, "png"])).status_code
        == 404
    )


def test_manager_edits_own_product_page(client, manager, tea):
    client.force_login(manager)
    url = reverse("economy:product_edit", args=[tea.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Chè búp",
            "unit": "kg",
            "price": "99000",
            "gtin": "8934563138166",
            "ocop_group": "food",
        },
    )
    assert response.status_code == 200
    assert "Số kiểm tra của mã GTIN không đúng." in response.content.decode()
    response = client.post(
        url,
        {
            "name": "Chè búp",
            "unit": "kg",
            "price": "99000",
            "gtin": "8934563138165",
            "ocop_group": "food",
            "is_listed": "on",
        },
    )
    assert response.status_code == 302
    tea.refresh_from_db()
    assert (tea.price, tea.gtin) == (99000, "08934563138165")


@pytest.mark.parametrize("who", ["resident_user", "other_official", "buyer"])
def test_others_cannot_edit_a_product(client, request, tea, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("economy:product_edit", args=[tea.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "unit": "kg"}).status_code == 403


def test_anonymous_edit_redirects_to_login(client, tea):
    response = client.get(reverse("economy:product_edit", args=[tea.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_official_edits_producer_of_their_commune_not_others(client, official, coop, far_coop):
    client.force_login(official)
    assert client.get(reverse("economy:producer_edit", args=[coop.public_id])).status_code == 200
    assert (
        client.get(reverse("economy:producer_edit", args=[far_coop.public_id])).status_code == 403
    )


def test_official_registers_a_producer_page(client, official, commune):
    client.force_login(official)
    response = client.post(
        reverse("economy:producer_new"),
        {"kind": "household_business", "name": "Hộ kinh doanh Chè Hoa"},
    )
    assert response.status_code == 302
    assert Producer.objects.filter(name="Hộ kinh doanh Chè Hoa", commune=commune).exists()


def test_resident_cannot_register_a_producer(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("economy:producer_new")).status_code == 403


def test_photo_upload_checks_content(client, manager, tea, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    url = reverse("economy:photo_add", args=[tea.public_id])
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, format="JPEG")
    buf.name = "a.jpg"
    buf.seek(0)
    assert client.post(url, {"image": buf}).status_code == 302
    fake = io.BytesIO(b"<html>not an image</html>")
    fake.name = "b.jpg"
    response = client.post(url, {"image": fake}, follow=True)
    assert "Tệp b.jpg không đúng định dạng: chỉ nhận ảnh JPEG" in response.content.decode()
    bomb = io.BytesIO(png_bomb())
    bomb.name = "c.png"
    response = client.post(url, {"image": bomb}, follow=True)
    assert "Ảnh c.png có kích thước quá lớn; tối đa 40 triệu điểm ảnh." in (
        response.content.decode()
    )
    assert tea.photos.count() == 1


def test_an_ocop_dossier_with_a_fake_attachment_keeps_the_form_and_stores_nothing(
    client, criteria, manager, tea
):
    from langso.economy.models import OcopDossier, OcopDossierFile

    client.force_login(manager)
    fake = io.BytesIO(b"MZ\x90\x00 an executable")
    fake.name = "ho-so.pdf"
    response = client.post(
        reverse("economy:dossier_new", args=[tea.public_id]),
        {
            "filed_on": "2025-09-01",
            "note": "Hồ sơ chè búp năm 2025",
            "file": fake,
            "file_title": "Bản thuyết minh",
        },
    )
    body = response.content.decode()
    assert "Tệp ho-so.pdf không đúng định dạng: chỉ nhận PDF, ảnh JPEG, ảnh PNG" in body
    assert "Hồ sơ chè búp năm 2025" in body and 'value="Bản thuyết minh"' in body
    assert not OcopDossier.objects.exists() and not OcopDossierFile.objects.exists()


def test_a_certificate_scan_is_checked_by_content(manager, coop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from langso.core.uploads import UploadWrongType

    fake = SimpleUploadedFile("vietgap.pdf", b"<html>not a scan</html>")
    with pytest.raises(UploadWrongType):
        actions.add_certificate(
            actor=manager,
            producer=coop,
            kind="vietgap",
            number="VG-10",
            issuer="Chi cục",
            valid_from=date(2025, 1, 1),
            valid_to=date(2027, 12, 31),
            document=fake,
        )
    assert not Certificate.objects.exists()


def test_producer_detail_shows_members_only_to_editors(client, manager, coop, buyer):
    from langso.economy.models import ProducerMember

    ProducerMember.objects.create(producer=coop, name="Bà Nguyễn Thị Xuân")
    url = reverse("economy:producer_detail", args=[coop.public_id])
    assert "Bà Nguyễn Thị Xuân" not in client.get(url).content.decode()
    client.force_login(manager)
    assert "Bà Nguyễn Thị Xuân" in client.get(url).content.decode()


def test_add_bank_account_page(client, manager, coop):
    client.force_login(manager)
    client.post(
        reverse("economy:account_add", args=[coop.public_id]),
        {
            "bank_bin": "970405",
            "account_number": "123456789",
            "account_name": "Chè",
            "channel": "QRIBFTTA",
        },
    )
    assert coop.bank_accounts.get().account_number == "123456789"


def test_area_and_certificate_and_linkage_pages(client, manager, coop, other_coop):
    client.force_login(manager)
    response = client.post(
        reverse("economy:area_new", args=[coop.public_id]),
        {
            "name": "Đồi 1",
            "crop": "Chè",
            "code": "VN-19-168-05641-01-22",
            "latitude": "21.70",
            "longitude": "105.77",
        },
    )
    assert response.status_code == 302
    area = coop.growing_areas.get()
    response = client.post(
        reverse("economy:certificate_new", args=[coop.public_id]),
        {
            "kind": "vietgap",
            "number": "VG-9",
            "issuer": "X",
            "valid_from": "2025-01-01",
            "valid_to": "2027-12-31",
            "growing_area": str(area.pk),
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("economy:linkage_new", args=[coop.public_id]),
        {
            "name": "Liên kết",
            "suppliers": [str(other_coop.pk)],
            "started_on": "2024-01-01",
            "uses_digital_technology": "on",
            "growing_area": str(area.pk),
        },
    )
    assert response.status_code == 302
    for name in ("area_list", "certificate_list", "linkage_list"):
        text = client.get(reverse(f"economy:{name}")).content.decode()
        assert "VN-19-168-05641-01-22" in text or "VG-9" in text or "Liên kết" in text
    geo = client.get(reverse("economy:area_geojson")).json()
    assert geo["features"][0]["properties"]["certificates"] == ["vietgap"]


def test_feed_csv_has_marketplace_columns(client, tea):
    response = client.get(reverse("economy:feed_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig").splitlines()
    assert text[0].split(",")[:6] == ["sku", "name", "description", "price", "stock", "unit"]
    assert "Chè búp Tức Tranh" in text[1] and "120000" in text[1]


def test_demand_needs_login_and_offer_needs_a_managed_producer(client, buyer, manager, coop):
    assert client.get(reverse("economy:demand_new")).status_code == 302
    client.force_login(buyer)
    response = client.post(
        reverse("economy:demand_new"),
        {"title": "Chè búp khô", "buyer_name": "Công ty A", "quantity": "100", "unit": "kg"},
    )
    demand = Demand.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("economy:demand_detail", args=[demand.public_id]))
    assert "Gửi chào hàng" not in detail.content.decode()  # the buyer manages no producer
    client.force_login(manager)
    client.post(
        reverse("economy:offer_new", args=[demand.public_id]),
        {"producer": str(coop.pk), "quantity": "40", "price": "300000"},
    )
    assert demand.offers.get().producer == coop
    assert "Chè búp khô" in client.get(reverse("economy:demand_list")).content.decode()


def test_ocop_flow_through_the_pages(client, criteria, manager, tea, evaluator, official):
    client.force_login(manager)
    response = client.post(
        reverse("economy:dossier_new", args=[tea.public_id]),
        {"filed_on": "2025-09-01", "self-s_A1": "7"},
    )
    assert response.status_code == 302
    dossier = tea.ocop_dossiers.get()
    assert dossier.self_total == 7
    # the producer sees the dossier but cannot score it
    page = client.get(reverse("economy:dossier_detail", args=[dossier.public_id]))
    assert page.status_code == 200 and "Lưu phiếu chấm" not in page.content.decode()
    assert "Tiếp nhận và chuyển" not in page.content.decode()
    client.force_login(official)
    page = client.get(reverse("economy:dossier_detail", args=[dossier.public_id]))
    assert "Tiếp nhận và chuyển" in page.content.decode()
    client.post(reverse("economy:dossier_accept", args=[dossier.public_id]))
    client.force_login(evaluator)
    scores = {f"s_{k}": v for k, v in full_scores(dossier.criteria_set, Decimal(72)).items()}
    assert (
        client.post(reverse("economy:dossier_score", args=[dossier.public_id]), scores).status_code
        == 302
    )
    client.post(
        reverse("economy:dossier_decide", args=[dossier.public_id]), {"decided_on": "2025-10-01"}
    )
    dossier.refresh_from_db()
    assert dossier.result_star == 4
    assert "4★" in client.get(reverse("economy:dossier_list")).content.decode()
    client.force_login(official)  # the commune reads but does not score under 2025 rules
    response = client.post(reverse("economy:dossier_score", args=[dossier.public_id]), scores)
    assert response.status_code == 403


def test_dossier_of_another_province_is_not_found(client, criteria, manager, tea, other_evaluator):
    dossier = actions.file_dossier(actor=manager, product=tea, filed_on=FILED_2025)
    client.force_login(other_evaluator)
    assert (
        client.get(reverse("economy:dossier_detail", args=[dossier.public_id])).status_code == 404
    )


def test_official_revokes_a_certificate_and_it_stops_showing_as_valid(
    client, official, tea, manager
):
    cert = Certificate.objects.create(
        producer=tea.producer,
        product=tea,
        kind="vietgap",
        number="VG-77",
        issuer="X",
        valid_from=date(2025, 1, 1),
        valid_to=date(2099, 1, 1),
    )
    product_url = reverse("economy:product_detail", args=[tea.public_id])
    assert "VG-77" in client.get(product_url).content.decode()
    revoke = reverse("economy:certificate_revoke", args=[cert.pk])
    client.force_login(manager)
    assert client.post(revoke, {"reason": "x"}).status_code == 403
    client.force_login(official)
    assert "Thu hồi" in client.get(reverse("economy:certificate_list")).content.decode()
    client.post(revoke, {"reason": "Không duy trì quy trình VietGAP"})
    cert.refresh_from_db()
    assert cert.revoked_reason == "Không duy trì quy trình VietGAP"
    # the list shows the flag (and consumes the success message)
    assert "Đã thu hồi" in client.get(reverse("economy:certificate_list")).content.decode()
    assert "VG-77" not in client.get(product_url).content.decode()


def test_a_growing_area_boundary_comes_from_a_geojson_file_and_a_certificate_takes_its_scan(
    client, manager, coop, settings, tmp_path
):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    ring = [[105.77, 21.70], [105.78, 21.70], [105.78, 21.71], [105.77, 21.70]]
    plot = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}
    drawn = {"type": "FeatureCollection", "features": [plot, plot]}
    url = reverse("economy:area_new", args=[coop.public_id])
    assert "tệp .geojson" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Đồi 2",
            "crop": "Chè",
            "boundary_file": SimpleUploadedFile(
                "doi2.geojson", json.dumps(drawn).encode(), content_type="application/geo+json"
            ),
        },
    )
    assert response.status_code == 302
    area = coop.growing_areas.get(name="Đồi 2")
    assert area.boundary == {"type": "MultiPolygon", "coordinates": [[ring], [ring]]}

    bad = client.post(
        url,
        {"name": "Đồi 3", "crop": "Chè", "boundary_file": SimpleUploadedFile("x.geojson", b"{")},
    )
    assert "Tệp không phải GeoJSON hợp lệ." in bad.content.decode()
    assert not coop.growing_areas.filter(name="Đồi 3").exists()

    scan = SimpleUploadedFile("vietgap.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        reverse("economy:certificate_new", args=[coop.public_id]),
        {
            "kind": "vietgap",
            "number": "VG-10",
            "issuer": "Trung tâm chứng nhận",
            "valid_from": "2025-01-01",
            "valid_to": "2027-12-31",
            "growing_area": str(area.pk),
            "document": scan,
        },
    )
    assert response.status_code == 302
    cert = coop.certificates.get(number="VG-10")
    assert cert.document.name.endswith(".pdf")
    page = client.get(reverse("economy:certificate_list"), {"commune": coop.commune.code})
    assert cert.document.url in page.content.decode()
