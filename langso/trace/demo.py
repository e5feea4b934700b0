"""Demo: Vô Tranh tea batches from the start of the picking season to the shop shelf.

Uses the tea producer, products and growing area of the economy demo when they exist;
otherwise creates a minimal tea cooperative so the traceability demo stands on its own."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from langso.core import gs1
from langso.economy.models import (
    Certificate,
    CertificateKind,
    GrowingArea,
    Producer,
    ProducerKind,
    Product,
)
from langso.people.models import User

from .actions import correct_event, create_batch, mark_labelled, record_event
from .identifiers import batch_qr_uri
from .models import Batch, ScanCount

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PRODUCER_NAME = "HTX Chè an toàn Vô Tranh"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def _gtin(body12: str) -> str:
    return gs1.with_check_digit(body12)


def _tea_setup(commune, province):
    """(producer, fresh-leaf product, dried-tea product, growing area)."""
    producer = (
        Producer.objects.filter(commune=commune)
        .filter(Q(name__icontains="chè") | Q(products__name__icontains="chè"))
        .order_by("pk")
        .first()
    )
    if producer is None:
        producer = Producer.objects.create(
            kind=ProducerKind.COOPERATIVE,
            name=PRODUCER_NAME,
            commune=commune,
            province_code=province.code,
            address="Xóm Khe Cốc, Xã Vô Tranh, tỉnh Thái Nguyên",
            phone="0208 3870 168",
            gln=_gtin("893850316800"),
            gs1_company_prefix="893850316",
            latitude=21.7102,
            longitude=105.7688,
            search_key="htx che an toan vo tranh",
        )
    products = list(producer.products.filter(name__icontains="chè").order_by("pk"))
    dried = (
        products[0]
        if products
        else Product.objects.create(
            producer=producer,
            name="Chè móc câu Vô Tranh",
            unit="kg",
            ocop_group="beverage",
            gtin=_gtin("893850316801"),
            price=Decimal("400000"),
            search_key="che moc cau vo tranh",
        )
    )
    fresh = (
        products[1]
        if len(products) > 1
        else Product.objects.create(
            producer=producer,
            name="Chè búp tươi Vô Tranh",
            unit="kg",
            is_listed=False,
            gtin=_gtin("893850316802"),
            search_key="che bup tuoi vo tranh",
        )
    )
    area = (
        producer.growing_areas.order_by("pk").first()
        or GrowingArea.objects.filter(commune=commune, crop__icontains="chè").order_by("pk").first()
    )
    if area is None:
        area = GrowingArea.objects.create(
            code="VN-19-168-05641-01-22",
            name="Vùng chè Khe Cốc",
            commune=commune,
            province_code=province.code,
            crop="Chè Trung du",
            area_ha=Decimal("35.0"),
            latitude=21.7121,
            longitude=105.7662,
            boundary={
                "type": "Polygon",
                "coordinates": [
                    [
                        [105.7630, 21.7100],
                        [105.7695, 21.7098],
                        [105.7701, 21.7142],
                        [105.7642, 21.7150],
                        [105.7630, 21.7100],
                    ]
                ],
            },
        )
    area.producers.add(producer)
    if not producer.certificates.exists():
        Certificate.objects.create(
            kind=CertificateKind.VIETGAP,
            number="VietGAP-TT-19-0168",
            producer=producer,
            issuer="Trung tâm Kiểm nghiệm và Chứng nhận chất lượng nông lâm thủy sản",
            scope="Chè búp tươi",
            growing_area=area,
            valid_from=date.today() - timedelta(400),
            valid_to=date.today() + timedelta(700),
        )
    return producer, fresh, dried, area


def load_demo(*, commune, province, seed: int, stdout) -> None:
    rng = random.Random(seed)
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    _producer, fresh, dried, area = _tea_setup(commune, province)
    today = timezone.localdate()
    shops = [
        "Cửa hàng Đặc sản Thái Nguyên",
        "Siêu thị Nông sản sạch Hà Nội",
        "Cửa hàng Chè Đu, Phú Lương",
    ]
    made: list[Batch] = []
    for n in range(3):
        start = today - timedelta(days=75 - n * 12)
        harvest_day = start + timedelta(days=40)
        season = f"{harvest_day:%y%m}"
        leaves = create_batch(
            actor=actor,
            product=fresh,
            lot=f"BT{season}-{n + 1:02d}",
            quantity=Decimal(600 + rng.randrange(0, 200, 10)),
            unit="kg",
            growing_area=area,
        )
        record_event(
            actor=actor,
            batch=leaves,
            kind="planting",
            event_time=_at(start, 7),
            details={"variety": "Chè Trung du lá nhỏ", "note": "Đốn phớt, bắt đầu lứa hái mới"},
        )
        record_event(
            actor=actor,
            batch=leaves,
            kind="input_application",
            event_time=_at(start + timedelta(days=5), 7, 30),
            details={
                "input_type": "fertiliser",
                "input_product": "Phân hữu cơ vi sinh",
                "dose": "1.500",
                "dose_unit": "kg/ha",
                "method": "manual",
            },
        )
        record_event(
            actor=actor,
            batch=leaves,
            kind="input_application",
            event_time=_at(start + timedelta(days=22), 6, 0),
            details={
                "input_type": "pesticide",
                "input_product": "Abamectin 3.6EC",
                "active_ingredient": "Abamectin",
                "dose": "0,4",
                "dose_unit": "lít/ha",
                "method": "drone",
                "phi_days": 7,
                "note": "Phun bằng drone của tổ dịch vụ HTX",
            },
        )
        record_event(
            actor=actor,
            batch=leaves,
            kind="harvest",
            event_time=_at(harvest_day, 6),
            quantity=leaves.quantity,
        )
        record_event(
            actor=actor,
            batch=leaves,
            kind="inspection",
            event_time=_at(harvest_day, 14),
            details={
                "laboratory": "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng Thái Nguyên",
                "report_number": f"KN-{season}-{n}",
                "results": [
                    {
                        "name": "Dư lượng Abamectin",
                        "value": "< 0,01",
                        "unit": "mg/kg",
                        "limit": "0,05",
                        "passed": True,
                    },
                    {
                        "name": "Chì (Pb)",
                        "value": "0,12",
                        "unit": "mg/kg",
                        "limit": "2,0",
                        "passed": True,
                    },
                ],
            },
        )
        out_qty = (leaves.quantity / Decimal("4.5")).quantize(Decimal("1"))
        tea = create_batch(
            actor=actor,
            product=dried,
            lot=f"MC{season}-{n + 1:02d}",
            quantity=out_qty,
            unit="kg",
            growing_area=area,
            expires_on=harvest_day + timedelta(days=540),
        )
        record_event(
            actor=actor,
            batch=tea,
            kind="processing",
            event_time=_at(harvest_day + timedelta(days=1), 8),
            quantity=out_qty,
            inputs=[(leaves, leaves.quantity)],
            details={"note": "Sao, vò, sấy theo cách truyền thống"},
        )
        packed = (out_qty * Decimal("0.9")).quantize(Decimal("1"))
        record_event(
            actor=actor,
            batch=tea,
            kind="packing",
            event_time=_at(harvest_day + timedelta(days=3), 9),
            quantity=packed,
            details={"note": "Túi 200 g hút chân không"},
        )
        shop = shops[n % len(shops)]
        ship_day = harvest_day + timedelta(days=8)
        ship = record_event(
            actor=actor,
            batch=tea,
            kind="shipping",
            event_time=_at(ship_day, 8),
            quantity=packed,
            details={"partner_name": shop, "invoice": f"HD{season}{n:02d}"},
        )
        if n == 0:  # a typo corrected: the timeline shows both
            correct_event(
                actor=actor,
                event=ship,
                note="Ghi nhầm số lượng xuất",
                replacement={
                    "kind": "shipping",
                    "event_time": _at(ship_day, 8),
                    "quantity": packed - 10,
                    "details": {"partner_name": shop},
                },
            )
        record_event(
            actor=actor,
            batch=tea,
            kind="receiving",
            event_time=_at(ship_day + timedelta(days=1), 10),
            quantity=packed - (10 if n == 0 else 0),
            details={"partner_name": shop},
        )
        if ship_day + timedelta(days=3) < today:
            record_event(
                actor=actor,
                batch=tea,
                kind="retail_selling",
                event_time=_at(ship_day + timedelta(days=3), 16),
                details={"partner_name": shop},
            )
        mark_labelled(actor=actor, batch=tea)
        for back in range(10):
            ScanCount.objects.create(
                batch=tea,
                day=today - timedelta(days=back),
                province_code=rng.choice(["", "", "19", "01", "79"]),
                count=rng.randint(1, 30),
            )
        made.append(tea)
    for tea in made:
        stdout.write(f"  Lô {tea.lot}: {batch_qr_uri(tea)}")
    stdout.write("  Tem in: /t/lo/<lô>/tem.pdf (đăng nhập admin); danh sách lô: /t/lo/")
