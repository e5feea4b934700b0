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


# --- one Chromium per module and worker ---------------------------------------------------


@pytest.fixture(scope="module")
def module_chromium():
    """One desktop Chromium for a whole module (starting one takes a second or two); the
    `chromium` fixture hands it to each test in a clean state."""
    from langso.core.testing.browser import start_chromium

    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def chromium(module_chromium, live_server):
    """The module's Chromium with no cookies, no storage of the test server's origin, at
    desktop width; every page the test opened must have kept to its Content-Security-Policy."""
    from langso.core.testing.browser import csp_violations

    driver = module_chromium
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(  # online, whatever an earlier test that failed offline left
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd(
        "Storage.clearDataForOrigin", {"origin": live_server.url, "storageTypes": "all"}
    )
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    csp_violations(driver)  # forget what an earlier test left in the console log
    yield driver
    violations = csp_violations(driver)
    assert not violations, "pages broke their Content-Security-Policy:\n" + "\n".join(violations)


# --- the data behind the README's "What to try" rows (small: a few rows each) --------------


@pytest.fixture
def listed_tea(tea_story):
    """The cooperative's tea, listed on the market (as it does from its product page)."""
    from langso.economy.models import Producer, Product

    Product.objects.filter(pk=tea_story["product"].pk).update(
        is_listed=True, search_key="che bup vo tranh"
    )
    Producer.objects.filter(pk=tea_story["producer"].pk).update(search_key="htx che vo tranh")
    return tea_story


@pytest.fixture
def submitted_dossier(resident_user, marital):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from langso.procedures.actions import submit_dossier

    return submit_dossier(
        actor=resident_user,
        procedure_id=marital.pk,
        applicant_name="Nguyễn Văn An",
        files=[SimpleUploadedFile("to-khai.pdf", a_pdf("To khai"), content_type="application/pdf")],
    )


@pytest.fixture
def id_revealed(official, household):
    """The official read one resident's full citizen ID: a line in the commune's audit log."""
    from langso.people.queries import reveal_resident

    return reveal_resident(
        user=official, resident_id=household.head_id, purpose="Đối chiếu hồ sơ thủ tục số 12"
    )


@pytest.fixture
def addressed_household(official, household):
    """The household has its digital address (issued from its point on the map)."""
    from langso.society.actions.addresses import issue_addresses

    issue_addresses(actor=official, commune=household.commune)
    household.refresh_from_db()
    return household


@pytest.fixture
def health_record(household):
    from langso.society.models import HealthRecord

    return HealthRecord.objects.create(
        resident=household.head, commune=household.commune, blood_group="O+"
    )


@pytest.fixture
def health_record_read(health_record, health_worker, resident_user):
    """The station's health worker opened the resident's record (a logged read)."""
    from langso.society.queries.health import get_health_record

    health_worker.first_name, health_worker.last_name = "Thu", "Phạm Thị"
    health_worker.save(update_fields=["first_name", "last_name"])
    get_health_record(user=health_worker, resident_id=health_record.resident_id)
    return health_record


@pytest.fixture
def team_member(commune, hamlet):
    """A member of the digital team of Xóm Khe Cốc."""
    from conftest import make_user
    from langso.people.models import Role
    from langso.society.models import DigitalTeam, TeamMember

    member = make_user("congnghe.votranh", Role.DIGITAL_TEAM_MEMBER, commune)
    team = DigitalTeam.objects.create(commune=commune, hamlet=hamlet, name="Tổ CNS Khe Cốc")
    TeamMember.objects.create(team=team, user=member)
    return member


@pytest.fixture
def two_officials(official):
    """Two officials of Vô Tranh: the denominator of criterion 7.4's x/y."""
    from conftest import make_user
    from langso.people.models import Role

    official.first_name, official.last_name = "Bình", "Hà Văn"
    official.save(update_fields=["first_name", "last_name"])
    other = make_user(
        "ketoan.votranh", Role.COMMUNE_OFFICIAL, official.roles.get().unit, first_name="Hoa"
    )
    other.last_name = "Lê Thị"
    other.save(update_fields=["last_name"])
    return official, other


@pytest.fixture
def engage_news(commune, official, leader):
    """A published announcement and two officials in the public directory."""
    from langso.engage.actions.announcements import create_announcement
    from langso.engage.models import DirectoryEntry

    announcement = create_announcement(
        actor=official,
        commune=commune,
        title="Lịch tiêm chủng tháng 5",
        body="Trạm y tế xã tiêm chủng mở rộng sáng thứ Hai, 8 giờ.",
        dispatch=False,
    )
    for user, position, department, phone, hours in (
        (
            official,
            "Công chức Văn phòng – Thống kê",
            "Bộ phận một cửa",
            "0208 3870 101",
            "Thứ Hai – Thứ Sáu, 7:30 – 16:30",
        ),
        (
            leader,
            "Chủ tịch Ủy ban nhân dân xã",
            "Lãnh đạo UBND xã",
            "0208 3870 100",
            "Thứ Hai – Thứ Sáu, 7:30 – 16:30; tiếp dân sáng thứ Năm",
        ),
    ):
        DirectoryEntry.objects.create(
            user=user,
            unit=commune,
            display_name="Hà Văn Bình" if position.startswith("Công") else "Vũ Đức Thắng",
            position=position,
            department=department,
            phone=phone,
            email="vanphong@votranh.thainguyen.gov.vn",
            working_hours=hours,
            listed=True,
            phone_public=True,
            email_public=True,
            hours_public=True,
            search_key="",
        )
    return announcement


@pytest.fixture
def feedback_category(commune):
    from langso.engage.models import FeedbackCategory

    return FeedbackCategory.objects.create(
        commune=commune, code="duong-xa", name="Giao thông, đường xá"
    )


@pytest.fixture
def ward(province):
    """A ward of the province: out of the New Rural programme unless the province says so."""
    from conftest import make_unit
    from langso.places.models import Level, Structure

    return make_unit(Structure.Y2025, Level.COMMUNE, "05443", "Phường Phan Đình Phùng", province)


@pytest.fixture
def monitor_catalogue(province):
    from langso.monitor.catalogue import load_catalogue

    return load_catalogue()
