"""Data for the end-to-end journeys, built with the apps' own actions (not the whole demo,
to stay fast). The journeys use `live_server`, so every test here runs in a real transaction
that is committed and flushed afterwards."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def a_pdf(text: str) -> bytes:
    """A small real PDF, as a resident's scanned form would be."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture(scope="session")
def e2e_signing_dir(tmp_path_factory):
    """One demo PKI per test session (RSA keys take time to make)."""
    return tmp_path_factory.mktemp("e2e-signing")


@pytest.fixture
def demo_signing(settings, e2e_signing_dir):
    settings.LANGSO_SIGNING_MODE = "demo"
    settings.LANGSO_SIGNING_DIR = str(e2e_signing_dir)
    settings.LANGSO_TRUST_ROOTS = []
    return e2e_signing_dir


@pytest.fixture
def marital(commune):
    """Xác nhận tình trạng hôn nhân (3 working days, fully online) from the seed catalogue."""
    from langso.procedures.actions import load_catalogue
    from langso.procedures.models import Procedure

    load_catalogue(commune=commune)
    return Procedure.objects.get(commune=commune, code="1.004873")


@pytest.fixture
def tea_story(commune, hamlet):
    """A tea cooperative's batch with its growing area, VietGAP and OCOP certificates and the
    events a consumer reads on the scan page."""
    from conftest import make_user
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
    from langso.people.models import Role
    from langso.trace.actions import create_batch, record_event

    producer = Producer.objects.create(
        kind=ProducerKind.COOPERATIVE,
        name="HTX Chè Vô Tranh",
        commune=commune,
        province_code="19",
        hamlet=hamlet,
        address="Xóm Khe Cốc, Xã Vô Tranh, Thái Nguyên",
        phone="0208 3870 123",
        gln=gs1.with_check_digit("893850300000"),
        gs1_company_prefix="893850300",
        latitude=21.71,
        longitude=105.77,
    )
    manager = make_user("htx.votranh", Role.PRODUCER, commune)
    ProducerMember.objects.create(
        producer=producer,
        user=manager,
        name="Hoàng Thị Lan",
        member_role=ProducerMember.MemberRole.MANAGER,
    )
    product = Product.objects.create(
        producer=producer,
        name="Chè búp Vô Tranh",
        unit="kg",
        price=Decimal("350000"),
        gtin=gs1.with_check_digit("893850300001"),
    )
    area = GrowingArea.objects.create(
        code="VN-19-168-05641-01-25",
        name="Đồi chè Khe Cốc",
        commune=commune,
        province_code="19",
        crop="Chè Trung du",
        area_ha=Decimal("12.5"),
        latitude=21.712,
        longitude=105.768,
    )
    area.producers.add(producer)
    Certificate.objects.create(
        kind=CertificateKind.VIETGAP,
        number="VG-19-0042",
        issuer="Trung tâm Chứng nhận Phù hợp",
        producer=producer,
        growing_area=area,
        valid_from=date(2025, 1, 1),
        valid_to=date(2099, 12, 31),
    )
    Certificate.objects.create(
        kind=CertificateKind.OCOP,
        number="OCOP-TN-2025-017",
        issuer="UBND tỉnh Thái Nguyên",
        producer=producer,
        product=product,
        star=4,
        valid_from=date(2025, 1, 1),
        valid_to=date(2099, 1, 1),
    )
    batch = create_batch(
        actor=manager, product=product, lot="VT2026-01", quantity=Decimal("500"), growing_area=area
    )
    record_event(
        actor=manager,
        batch=batch,
        kind="planting",
        event_time=datetime(2026, 2, 1, 8, tzinfo=VN),
        details={"variety": "Trung du lá nhỏ"},
    )
    record_event(
        actor=manager,
        batch=batch,
        kind="harvest",
        event_time=datetime(2026, 4, 1, 7, tzinfo=VN),
        quantity=Decimal("480"),
    )
    record_event(
        actor=manager,
        batch=batch,
        kind="packing",
        event_time=datetime(2026, 4, 2, 9, tzinfo=VN),
        quantity=Decimal("400"),
    )
    batch.refresh_from_db()
    return {"batch": batch, "manager": manager, "product": product, "producer": producer}
