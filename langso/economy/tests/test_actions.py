import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.models import AuditEvent
from langso.economy import actions
from langso.economy.models import Certificate, ProducerKind, Product


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def test_manager_edits_own_product_and_the_change_is_audited(manager, tea):
    actions.update_product(actor=manager, product=tea, price=Decimal(150000))
    tea.refresh_from_db()
    assert tea.price == 150000
    assert AuditEvent.objects.filter(object_type="economy.Product", actor=manager).exists()


def test_manager_cannot_edit_another_producers_product(manager, other_coop):
    other = Product.objects.create(producer=other_coop, name="Chè Phú Đô")
    with pytest.raises(Exception) as exc:
        actions.update_product(actor=manager, product=other, price=Decimal(1))
    assert exc.value.code == "economy.not_producer_manager"
    assert "HTX Chè Phú Đô" in exc.value.message


def test_commune_official_edits_their_communes_products_only(official, tea, far_product):
    actions.update_product(actor=official, product=tea, name="Chè búp đặc biệt")
    with pytest.raises(Exception) as exc:
        actions.update_product(actor=official, product=far_product, name="x")
    assert exc.value.http_status == 403


def test_resident_cannot_edit_a_product(resident_user, tea):
    with pytest.raises(Exception) as exc:
        actions.update_product(actor=resident_user, product=tea, name="x")
    assert exc.value.code == "economy.not_producer_manager"


def test_gtin_is_validated_and_normalised_to_fourteen_digits(manager, coop):
    product = actions.create_product(
        actor=manager, producer=coop, name="Chè xanh", gtin="8934563138165", ocop_group="food"
    )
    assert product.gtin == "08934563138165"
    with pytest.raises(Exception) as exc:
        actions.create_product(actor=manager, producer=coop, name="Chè xanh", gtin="8934563138166")
    assert exc.value.code == "economy.invalid_gtin"
    assert exc.value.message == "Số kiểm tra của mã GTIN không đúng."


def test_subgroup_must_belong_to_the_group(manager, coop):
    with pytest.raises(Exception) as exc:
        actions.create_product(
            actor=manager,
            producer=coop,
            name="Chè",
            ocop_group="handicraft",
            ocop_subgroup="food.tea",
        )
    assert exc.value.code == "core.validation_failed"


def test_photo_is_checked_by_content_not_by_name(manager, tea, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    photo = actions.add_product_photo(
        actor=manager,
        product=tea,
        upload=SimpleUploadedFile("anh.jpg", png_bytes(), content_type="image/jpeg"),
    )
    assert photo.image.name.endswith(".png")
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00not an image", content_type="image/png")
    with pytest.raises(Exception) as exc:
        actions.add_product_photo(actor=manager, product=tea, upload=fake)
    assert exc.value.code == "core.upload_wrong_type"
    assert "Tệp virus.png không đúng định dạng" in exc.value.message
    assert tea.photos.count() == 1


def test_official_registers_producer_with_a_manager(official, commune, buyer):
    producer = actions.create_producer(
        actor=official,
        commune=commune,
        kind=ProducerKind.HOUSEHOLD_BUSINESS,
        name="Hộ kinh doanh Lê Văn Tâm",
        manager=buyer,
    )
    assert producer.search_key == "ho kinh doanh le van tam"
    actions.update_producer(actor=buyer, producer=producer, phone="0912000111")


def test_a_producer_gln_needs_thirteen_digits_and_a_valid_check_digit(official, commune, coop):
    with pytest.raises(ValidationFailed) as refused:
        actions.create_producer(
            actor=official, commune=commune, kind="cooperative", name="X", gln="8938503168004"
        )
    assert refused.value.code == "economy.invalid_gln"
    actions.update_producer(actor=official, producer=coop, gln="893 850316800 7")
    coop.refresh_from_db()
    assert coop.gln == "8938503168007"


def test_producer_manager_cannot_register_producers(manager, commune):
    with pytest.raises(Exception) as exc:
        actions.create_producer(actor=manager, commune=commune, kind="cooperative", name="X")
    assert exc.value.http_status == 403


def test_other_communes_official_cannot_register_here(other_official, commune):
    with pytest.raises(PermissionDenied):
        actions.create_producer(actor=other_official, commune=commune, kind="cooperative", name="X")


def test_growing_area_keeps_its_code_and_polygon(manager, coop):
    polygon = {
        "type": "Polygon",
        "coordinates": [[[105.77, 21.70], [105.775, 21.70], [105.775, 21.705], [105.77, 21.70]]],
    }
    area = actions.create_growing_area(
        actor=manager,
        producer=coop,
        name="Đồi chè Khe Cốc",
        crop="Chè",
        code="VN-19-168-05641-01-22",
        area_ha=Decimal("5.2"),
        boundary=polygon,
    )
    assert area.code == "VN-19-168-05641-01-22"
    assert area.boundary["type"] == "Polygon"
    assert list(area.producers.all()) == [coop]


@pytest.mark.parametrize(
    "geometry,fragment",
    [
        ({"type": "Point", "coordinates": [21.7, 105.77]}, "ngoài lãnh thổ"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[105.77, 21.70], [105.78, 21.70], [105.78, 21.71]]],
            },
            "ít nhất 4 điểm",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[105.77, 21.70], [105.78, 21.70], [105.78, 21.71], [105.77, 21.71]]
                ],
            },
            "khép kín",
        ),
        ({"type": "LineString", "coordinates": []}, "Point, Polygon"),
    ],
)
def test_bad_geometry_is_refused_with_a_clear_message(manager, coop, geometry, fragment):
    with pytest.raises(Exception) as exc:
        actions.create_growing_area(
            actor=manager, producer=coop, name="X", crop="Chè", boundary=geometry
        )
    assert exc.value.code == "economy.invalid_geometry"
    assert fragment in exc.value.message


def test_certificate_dates_must_be_ordered_and_ocop_needs_a_dossier(manager, coop):
    with pytest.raises(Exception) as exc:
        actions.add_certificate(
            actor=manager,
            producer=coop,
            kind="vietgap",
            number="1",
            issuer="X",
            valid_from=date(2025, 1, 2),
            valid_to=date(2025, 1, 1),
        )
    assert exc.value.code == "core.validation_failed"
    with pytest.raises(ValidationFailed, match="hồ sơ đánh giá OCOP"):
        actions.add_certificate(
            actor=manager,
            producer=coop,
            kind="ocop",
            number="1",
            issuer="X",
            valid_from=date(2025, 1, 1),
            valid_to=date(2026, 1, 1),
        )


def test_only_the_commune_revokes_a_certificate(manager, official, coop):
    cert = actions.add_certificate(
        actor=manager,
        producer=coop,
        kind="vietgap",
        number="VG-1",
        issuer="Trung tâm chứng nhận",
        valid_from=date(2025, 1, 1),
        valid_to=date(2027, 1, 1),
    )
    with pytest.raises(Exception) as exc:
        actions.revoke_certificate(
            actor=manager, certificate=cert, on=date(2025, 6, 1), reason="Vi phạm"
        )
    assert exc.value.http_status == 403
    actions.revoke_certificate(
        actor=official, certificate=cert, on=date(2025, 6, 1), reason="Vi phạm quy trình"
    )
    assert Certificate.objects.get(pk=cert.pk).revoked_reason == "Vi phạm quy trình"


def test_bank_account_needs_a_napas_bank_and_name_is_stored_ascii(manager, coop):
    account = actions.add_bank_account(
        actor=manager,
        producer=coop,
        bank_bin="970405",
        account_number="3300 2050 12345",
        account_name="HTX Chè Tức Tranh",
    )
    assert (account.account_number, account.account_name) == ("3300205012345", "HTX CHE TUC TRANH")
    with pytest.raises(Exception) as exc:
        actions.add_bank_account(
            actor=manager, producer=coop, bank_bin="123456", account_number="1", account_name="A"
        )
    assert exc.value.code == "economy.invalid_bank_account"


def test_dynamic_payment_payload_for_an_account(manager, coop):
    from langso.economy.vietqr import parse_payload

    account = actions.add_bank_account(
        actor=manager,
        producer=coop,
        bank_bin="970403",
        account_number="0011012345678",
        account_name="HTX",
    )
    payload = actions.payment_payload(
        account=account, amount=180000, bill_number="NPS6869", purpose="thanh toán đơn hàng"
    )
    assert payload.endswith("63042E2E")
    assert parse_payload(payload).amount == 180000
    with pytest.raises(Exception) as exc:
        actions.payment_payload(account=account, amount=-5)
    assert exc.value.code == "economy.invalid_payment"


def test_buyer_posts_demand_and_producer_offers(buyer, manager, coop, commune, tea):
    demand = actions.post_demand(
        actor=buyer,
        commune=commune,
        title="Chè búp khô loại 1",
        quantity=Decimal(500),
        unit="kg",
        buyer_name="Công ty Trà Việt",
        needed_by=date(2025, 12, 1),
        price=Decimal(300000),
    )
    offer = actions.make_offer(
        actor=manager,
        demand=demand,
        producer=coop,
        product=tea,
        quantity=Decimal(200),
        price=Decimal(320000),
    )
    assert demand.offers.get() == offer
    actions.close_demand(actor=buyer, demand=demand)
    with pytest.raises(Exception) as exc:
        actions.make_offer(actor=manager, demand=demand, producer=coop, quantity=Decimal(1))
    assert exc.value.code == "economy.demand_closed"


def test_a_user_cannot_offer_for_a_producer_they_do_not_manage(buyer, coop, commune):
    demand = actions.post_demand(
        actor=buyer, commune=commune, title="Chè", quantity=Decimal(1), unit="kg", buyer_name="A"
    )
    with pytest.raises(Exception) as exc:
        actions.make_offer(actor=buyer, demand=demand, producer=coop, quantity=Decimal(1))
    assert exc.value.code == "economy.not_producer_manager"


def test_linkage_is_recorded_by_the_buyer(manager, coop, other_coop):
    linkage = actions.create_linkage(
        actor=manager,
        buyer=coop,
        suppliers=[other_coop],
        name="Liên kết chè Phú Đô",
        started_on=date(2024, 1, 1),
        uses_digital_technology=True,
        digital_technology="Nhật ký canh tác điện tử",
    )
    assert list(linkage.suppliers.all()) == [other_coop]
