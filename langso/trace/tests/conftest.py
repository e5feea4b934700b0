from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from langso.core import gs1
from langso.economy.models import (
    Certificate,
    CertificateKind,
    GrowingArea,
    Producer,
    ProducerKind,
    ProducerMember,
    Product,
)
from langso.people.models import Role, RoleAssignment, User
from langso.trace.actions import correct_event, create_batch, record_event

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def make_user(username: str, role=None, unit=None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def gtin13(body12: str) -> str:
    return gs1.with_check_digit(body12)


@pytest.fixture
def producer(commune, hamlet):
    return Producer.objects.create(
        kind=ProducerKind.COOPERATIVE,
        name="HTX Chè Vô Tranh",
        commune=commune,
        province_code="19",
        hamlet=hamlet,
        address="Xóm Khe Cốc, Xã Vô Tranh, Thái Nguyên",
        phone="0208 3870 123",
        gln=gtin13("893850300000"),
        gs1_company_prefix="893850300",
        latitude=21.71,
        longitude=105.77,
    )


@pytest.fixture
def producer_user(producer, commune):
    user = make_user("htx.votranh", Role.PRODUCER, commune)
    ProducerMember.objects.create(
        producer=producer,
        user=user,
        name="Hoàng Thị Lan",
        member_role=ProducerMember.MemberRole.MANAGER,
    )
    return user


@pytest.fixture
def inspector(commune):
    return make_user("kiemtra.votranh", Role.INSPECTOR, commune)


@pytest.fixture
def product(producer):
    return Product.objects.create(
        producer=producer,
        name="Chè búp Vô Tranh",
        unit="kg",
        gtin=gtin13("893850300001"),
        price=Decimal("350000"),
    )


@pytest.fixture
def product_without_gtin(producer):
    return Product.objects.create(producer=producer, name="Chè xanh túi lọc", unit="kg")


@pytest.fixture
def area(producer, commune):
    a = GrowingArea.objects.create(
        code="VN-19-168-05641-01-25",
        name="Đồi chè Khe Cốc",
        commune=commune,
        province_code="19",
        crop="Chè Trung du",
        area_ha=Decimal("12.5"),
        latitude=21.712,
        longitude=105.768,
        boundary={
            "type": "Polygon",
            "coordinates": [
                [[105.766, 21.711], [105.770, 21.711], [105.770, 21.714], [105.766, 21.711]]
            ],
        },
    )
    a.producers.add(producer)
    return a


@pytest.fixture
def vietgap(producer, area):
    return Certificate.objects.create(
        kind=CertificateKind.VIETGAP,
        number="VG-19-0042",
        issuer="Trung tâm Chứng nhận Phù hợp",
        producer=producer,
        growing_area=area,
        valid_from=date(2025, 1, 1),
        valid_to=date(2027, 12, 31),
    )


@pytest.fixture
def batch(producer_user, product, area):
    return create_batch(
        actor=producer_user,
        product=product,
        lot="VT2026-01",
        quantity=Decimal("500"),
        growing_area=area,
    )


@pytest.fixture
def fresh_trace_caches(db):
    from django.core.cache import cache

    from langso.trace import pages, queries
    from langso.trace.actions import scans

    cache.clear()
    pages.page_cache().clear()
    pages._WORKER_MEMO.clear()
    pages._SKELETONS.clear()
    pages._SKELETONS_STORED.clear()
    scans._buffer.clear()
    queries._PROVINCES.clear()
    queries._PROVINCE_OPTIONS.clear()


@pytest.fixture
def story(producer_user, batch, vietgap):
    record_event(
        actor=producer_user,
        batch=batch,
        kind="planting",
        event_time=vn(2026, 2, 1),
        details={"variety": "Trung du lá nhỏ"},
    )
    record_event(
        actor=producer_user,
        batch=batch,
        kind="input_application",
        event_time=vn(2026, 3, 1),
        details={
            "input_type": "pesticide",
            "input_product": "Abamectin 3.6EC",
            "dose": "0,5",
            "dose_unit": "l/ha",
            "method": "drone",
            "phi_days": 7,
        },
    )
    record_event(
        actor=producer_user,
        batch=batch,
        kind="harvest",
        event_time=vn(2026, 4, 1),
        quantity=Decimal("480"),
    )
    record_event(
        actor=producer_user,
        batch=batch,
        kind="packing",
        event_time=vn(2026, 4, 2),
        quantity=Decimal("400"),
    )
    ship = record_event(
        actor=producer_user,
        batch=batch,
        kind="shipping",
        event_time=vn(2026, 4, 3),
        quantity=Decimal("300"),
        details={"partner_name": "Siêu thị Hà Nội"},
    )
    correct_event(
        actor=producer_user,
        event=ship,
        note="Nhầm số lượng",
        replacement={
            "kind": "shipping",
            "event_time": vn(2026, 4, 3),
            "quantity": Decimal("200"),
            "details": {"partner_name": "Siêu thị Hà Nội"},
        },
    )
    batch.refresh_from_db()
    return batch
