"""The fixture world of the authorization matrix (test_authz_matrix.py).

Two communes in two provinces: A = Xã Vô Tranh (Thái Nguyên, 19), B = Phường Ba Đình (Hà Nội,
01). Each side holds one object of every type that a page or an API operation takes as a path
parameter. Private data of each side (names of people, addresses, applicants, document titles,
feedback text, survey answers...) carries a marker string, so the matrix can check that no
response shows a side's private data to a role outside that side:

- A_MARK may be seen only by the official of A and the province officer (A's province);
- B_MARK only by the official of B (B lies in another province).

The resident of the matrix lives in A in a household WITHOUT marker (their own data), and the
producer account is a member of A's producer, whose public data carries no marker either.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_unit, make_user
from langso.people.models import Household, Relation, Resident, Role, RoleAssignment, User
from langso.places.models import Hamlet, Level, Structure

A_MARK = "AMARKER"
B_MARK = "BMARKER"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = ["anonymous", "resident", "official_a", "official_b", "province", "producer"]
# Who may see each side's private marker.
MARK_VIEWERS = {A_MARK: {"official_a", "province"}, B_MARK: {"official_b"}}

# Every other role of people.Role, each held in A (or A's province) by a staff account; the
# district officer holds a legacy district of A's old province, which covers neither side.
# The admin matrix (test_admin_matrix.py) runs every admin page as each of ALL_ROLES.
MORE_ROLES = ["leader_a", "health_a", "digital_a", "ocop_a", "inspector_a", "district"]
ALL_ROLES = ROLES + MORE_ROLES
# Who may see a side's marker in the admin: the holders of a role in that unit (which of
# its rows each role sees is the apps' policy, tested with them); nobody of another unit.
ADMIN_MARK_VIEWERS = {
    A_MARK: {"official_a", "province", *MORE_ROLES} - {"district"},
    B_MARK: {"official_b"},
}


@dataclass
class Side:
    mark: str
    commune: object
    province: object
    official: User
    objects: dict = field(default_factory=dict)


@dataclass
class World:
    users: dict  # role -> User | None
    a: Side
    b: Side


def _gtin13(body12: str) -> str:
    from langso.core import gs1

    return gs1.with_check_digit(body12)


def _household(commune, hamlet, code, head_name, address, lat, lng, citizen_id):
    hh = Household.objects.create(
        commune=commune,
        province_code=commune.province_code,
        hamlet=hamlet,
        code=code,
        address_line=address,
        latitude=lat,
        longitude=lng,
        search_key=code,
    )
    head = Resident.objects.create(
        household=hh,
        commune=commune,
        province_code=commune.province_code,
        full_name=head_name,
        sex="F",
        date_of_birth=date(1981, 2, 3),
        citizen_id=citizen_id,
        phone="0912000111",
        relation_to_head=Relation.HEAD,
        search_key=head_name.lower(),
    )
    hh.head = head
    hh.save(update_fields=["head"])
    return hh


def _side(*, mark, commune, province, official, index):
    from langso.documents.actions import issue_document
    from langso.economy.actions.areas import add_certificate, create_growing_area
    from langso.economy.actions.market import post_demand
    from langso.economy.actions.ocop import file_dossier
    from langso.economy.actions.payments import add_bank_account
    from langso.economy.models import Producer, ProducerKind, Product
    from langso.engage.actions.announcements import create_announcement
    from langso.engage.actions.feedback import submit_feedback
    from langso.engage.actions.surveys import create_survey, open_survey, submit_response
    from langso.engage.models import FeedbackCategory, QuestionType
    from langso.monitor.actions import enter_indicator_value, move_assessment, start_assessment
    from langso.monitor.models import CriteriaSet, Indicator
    from langso.procedures.actions import load_catalogue
    from langso.procedures.actions.dossiers import submit_dossier
    from langso.procedures.models import Channel
    from langso.society.actions.addresses import place_address_point
    from langso.society.actions.environment import create_station
    from langso.society.actions.maps import ensure_default_layers
    from langso.society.actions.training import create_training_session
    from langso.society.models import Condition, HealthRecord, StationKind
    from langso.trace.actions import create_batch

    side = Side(mark=mark, commune=commune, province=province, official=official)
    o = side.objects
    code = commune.code
    lat, lng = (21.71, 105.77) if index == 1 else (21.03, 105.83)
    hamlet = Hamlet.objects.create(
        commune=commune,
        code=f"{code}-01",
        name=f"Xóm {code}",
        search_key=f"xom {code}",
        latitude=lat,
        longitude=lng,
    )
    hh = _household(
        commune,
        hamlet,
        f"{code}-00009",
        f"Lê Thị {mark}",
        f"Số 9 ngõ {mark}",
        lat,
        lng,
        f"0{index}9181000{index}99",
    )
    o["household"] = hh
    o["resident"] = hh.head
    o["commune_code"] = code
    o["province_code"] = province.code

    # procedures: the commune's catalogue and one dossier received at the counter.
    load_catalogue(commune=commune)
    procedure = commune.procedures.get(code="1.004873")  # fully online
    o["procedure"] = procedure
    dossier = submit_dossier(
        actor=official,
        procedure_id=procedure.pk,
        applicant_name=f"Người nộp {mark}",
        channel=Channel.IN_PERSON,
        applicant_address=f"Địa chỉ {mark}",
        files=[SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")],
    )
    o["dossier"] = dossier
    o["dossier_file"] = dossier.files.first()

    # documents: one internal document, unsigned (signing is tried by the sign routes).
    o["document"] = issue_document(
        actor=official,
        commune=commune,
        title=f"Công văn nội bộ {mark}",
        paragraphs=[f"Nội dung {mark}."],
        kind="other",
        recipient=f"Ông {mark}",
        sign=False,
    )
    o["signed_document"] = issue_document(
        actor=official,
        commune=commune,
        title=f"Quyết định {mark}",
        kind="decision",
        paragraphs=[f"Quyết định {mark}."],
    )

    # economy and trace: a producer with a product, area, certificate, OCOP dossier, batch.
    producer = Producer.objects.create(
        kind=ProducerKind.COOPERATIVE,
        name=f"HTX Chè {code}",
        commune=commune,
        province_code=commune.province_code,
        hamlet=hamlet,
        address=f"Xóm {code}",
        gln=_gtin13(f"89385030{index}000"),
        gs1_company_prefix=f"89385030{index}",
        search_key=f"htx che {code}",
        latitude=lat,
        longitude=lng,
    )
    o["producer"] = producer
    product = Product.objects.create(
        producer=producer,
        name=f"Chè búp {code}",
        unit="kg",
        gtin=_gtin13(f"89385030{index}001"),
        ocop_group="food",
        ocop_subgroup="food.tea",
        price=Decimal(120000),
        search_key=f"che bup {code}",
    )
    o["product"] = product
    area = create_growing_area(
        actor=official,
        producer=producer,
        name=f"Đồi chè {code}",
        crop="Chè",
        latitude=lat,
        longitude=lng,
    )
    o["area"] = area
    o["certificate"] = add_certificate(
        actor=official,
        producer=producer,
        kind="vietgap",
        number=f"VG-{code}",
        issuer="Trung tâm chứng nhận",
        valid_from=date(2025, 1, 1),
        valid_to=date(2030, 1, 1),
        growing_area=area,
    )
    add_bank_account(
        actor=official,
        producer=producer,
        bank_bin="970405",
        account_number=f"1500{index}2050{index}",
        account_name=f"HTX CHE {code}",
    )
    o["ocop_dossier"] = file_dossier(
        actor=official, product=product, filed_on=date(2025, 9, 1), note=f"Hồ sơ OCOP {mark}"
    )
    from django.core.files.base import ContentFile

    from langso.economy.models import OcopDossierFile
    from langso.engage.models import FeedbackPhoto

    o["ocop_file"] = OcopDossierFile.objects.create(
        dossier=o["ocop_dossier"], title="Bản mô tả", file=ContentFile(b"%PDF-1.4", "mo-ta.pdf")
    )
    o["demand"] = post_demand(
        actor=official,
        commune=commune,
        title=f"Cần mua chè {code}",
        quantity=Decimal(100),
        unit="kg",
        buyer_name=f"Bếp ăn {code}",
    )
    o["batch"] = create_batch(
        actor=official, product=product, lot=f"LOT{code}", quantity=Decimal(50), growing_area=area
    )

    # engage: an announcement, an open survey with one answer, a feedback.
    o["announcement"] = create_announcement(
        actor=official,
        commune=commune,
        title=f"Thông báo họp {code}",
        body="Họp thôn.",
        dispatch=False,
    )
    survey = create_survey(
        actor=official,
        commune=commune,
        title=f"Khảo sát {code}",
        login_required=False,
        one_response_per_resident=False,
        questions=[{"name": "y_kien", "label": "Ý kiến", "qtype": QuestionType.TEXT}],
    )
    open_survey(actor=official, survey=survey)
    submit_response(actor=official, survey=survey, raw={"y_kien": f"Trả lời {mark}"})
    o["survey"] = survey
    category = FeedbackCategory.objects.create(
        commune=commune, code="moi-truong", name="Môi trường", deadline_working_days=5
    )
    feedback, _secret = submit_feedback(
        actor=None,
        commune=commune,
        category=category,
        text=f"Phản ánh riêng {mark}",
        contact_name=f"Người phản ánh {mark}",
        contact_phone="0912999888",
    )
    o["feedback"] = feedback
    o["feedback_photo"] = FeedbackPhoto.objects.create(
        feedback=feedback, image=ContentFile(b"\x89PNG", "anh.png"), content_type="image/png"
    )

    # society: a digital address, a health record, a water station.
    o["address"] = place_address_point(actor=official, household=hh, latitude=lat, longitude=lng)
    record = HealthRecord.objects.create(resident=hh.head, commune=commune, blood_group="O+")
    Condition.objects.create(record=record, name=f"Bệnh {mark}")
    o["health_record"] = record
    station, _token = create_station(
        actor=None,
        commune=commune,
        code=f"tram-{code}",
        name=f"Trạm nước {code}",
        kind=StationKind.WATER_SUPPLY,
        latitude=lat,
        longitude=lng,
    )
    o["station"] = station
    o["training_session"] = create_training_session(
        actor=official,
        commune=commune,
        title=f"Kỹ năng số {code}",
        held_on=date(2026, 3, 2),
        place=f"Hội trường {mark}",
    )
    # Its own session, for the delete route: the allowed role's request removes it.
    o["spare_training_session"] = create_training_session(
        actor=official,
        commune=commune,
        title=f"Kỹ năng số {code}",
        held_on=date(2026, 3, 9),
        place=f"Phòng họp {mark}",
    )

    ensure_default_layers(actor=None, commune=commune)

    # monitor: an assessment sent by the commune leader, and a value with evidence.
    cset = CriteriaSet.objects.get(code="ntm-xa-2026-2030")
    leader = make_user(f"chutich.{index}", Role.COMMUNE_LEADER, commune, is_staff=True)
    o["leader"] = leader
    o["assessment"] = move_assessment(
        actor=leader,
        assessment=start_assessment(actor=leader, unit=commune, criteria_set=cset, year=2026),
        step="submit",
    )
    indicator = Indicator.objects.get(code="NTM21.8.3")
    o["indicator_code"] = indicator.code
    value = enter_indicator_value(
        actor=official,
        unit=commune,
        indicator=indicator,
        year=2025,
        value=1,
        note=f"Ghi chú {mark}",
        files=[SimpleUploadedFile("bien-ban.pdf", PDF)],
    )
    o["value"] = value
    o["evidence"] = value.evidence.get()
    o["product_plain"] = Product.objects.create(
        producer=producer, name=f"Chè xanh {code}", unit="kg", search_key=f"che xanh {code}"
    )
    o["batch_plain"] = create_batch(
        actor=official, product=o["product_plain"], lot=f"XANH{code}", quantity=Decimal(10)
    )
    return side


def settle_dossier(*, applicant, official, procedure, name):
    """A dossier submitted by `applicant`, received, processed and completed with a signed
    result PDF (for the result and rating routes)."""
    from langso.procedures.actions.dossiers import (
        complete_dossier,
        submit_dossier,
        transition_dossier,
    )
    from langso.procedures.models import State

    d = submit_dossier(
        actor=applicant,
        procedure_id=procedure.pk,
        applicant_name=name,
        files=[SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")],
    )
    if d.state != State.RECEIVED:  # an official applying is received at once
        d = transition_dossier(
            actor=official, dossier_id=d.public_id, to_state=State.RECEIVED, version=d.version
        )
    d = transition_dossier(
        actor=official, dossier_id=d.public_id, to_state=State.PROCESSING, version=d.version
    )
    return complete_dossier(actor=official, dossier_id=d.public_id, version=d.version)


def build_world() -> World:
    from langso.documents.signing.certificates import revoke_demo_commune_certificate
    from langso.economy.models import ProducerMember
    from langso.economy.ocop_rules import load_criteria
    from langso.monitor.catalogue import load_catalogue as load_monitor_catalogue
    from langso.monitor.models import Scheme, UnitClassification
    from langso.society.models import HealthRecord

    province_a = make_unit(
        Structure.Y2025, Level.PROVINCE, "19", "Tỉnh Thái Nguyên", latitude=21.56, longitude=105.87
    )
    commune_a = make_unit(
        Structure.Y2025,
        Level.COMMUNE,
        "05641",
        "Xã Vô Tranh",
        province_a,
        latitude=21.7044,
        longitude=105.772,
    )
    province_b = make_unit(
        Structure.Y2025, Level.PROVINCE, "01", "Thành phố Hà Nội", latitude=21.03, longitude=105.85
    )
    commune_b = make_unit(
        Structure.Y2025,
        Level.COMMUNE,
        "00004",
        "Phường Ba Đình",
        province_b,
        latitude=21.034,
        longitude=105.83,
    )
    for unit in (commune_a, commune_b):
        UnitClassification.objects.create(
            unit=unit, scheme=Scheme.GROUP, value="3", year_from=2026, year_to=2030
        )
    load_criteria()
    load_monitor_catalogue()

    official_a = make_user("canbo.a", Role.COMMUNE_OFFICIAL, commune_a, is_staff=True)
    official_b = make_user("canbo.b", Role.COMMUNE_OFFICIAL, commune_b, is_staff=True)
    province = make_user("tinh.a", Role.PROVINCE_OFFICER, province_a, is_staff=True)
    a = _side(mark=A_MARK, commune=commune_a, province=province_a, official=official_a, index=1)
    b = _side(mark=B_MARK, commune=commune_b, province=province_b, official=official_b, index=2)

    # The resident: their own household in A, without marker.
    own = _household(
        commune_a,
        a.objects["household"].hamlet,
        "05641-00001",
        "Nguyễn Văn An",
        "Xóm Khe Cốc",
        21.7101,
        105.7702,
        "019080012345",
    )
    resident = User.objects.create_user(username="nguoidan.a", password="pw-nguoidan")
    RoleAssignment.objects.create(user=resident, role=Role.RESIDENT, unit=commune_a, household=own)
    own.head.user = resident
    own.head.save(update_fields=["user"])
    a.objects["own_household"] = own
    a.objects["own_resident"] = own.head

    HealthRecord.objects.create(resident=own.head, commune=commune_a, blood_group="A+")
    a.objects["done_dossier"] = settle_dossier(
        applicant=resident,
        official=official_a,
        procedure=a.objects["procedure"],
        name="Nguyễn Văn An",
    )
    b.objects["done_dossier"] = settle_dossier(
        applicant=official_b,
        official=official_b,
        procedure=b.objects["procedure"],
        name=f"Người nộp {B_MARK}",
    )

    # A revocation publishes the demo root's CRL (served by documents:demo_crl).
    revoke_demo_commune_certificate(commune_b)

    producer = make_user("sanxuat.a", Role.PRODUCER, commune_a)
    ProducerMember.objects.create(
        producer=a.objects["producer"],
        user=producer,
        name="Chủ nhiệm",
        member_role=ProducerMember.MemberRole.MANAGER,
    )
    legacy_province = make_unit(Structure.LEGACY, Level.PROVINCE, "19", "Tỉnh Thái Nguyên")
    legacy_district = make_unit(
        Structure.LEGACY, Level.DISTRICT, "170", "Huyện Võ Nhai", legacy_province
    )
    users = {
        "anonymous": None,
        "resident": resident,
        "official_a": official_a,
        "official_b": official_b,
        "province": province,
        "producer": producer,
        "leader_a": a.objects["leader"],
        "health_a": make_user("yte.a", Role.HEALTH_WORKER, commune_a, is_staff=True),
        "digital_a": make_user("tocns.a", Role.DIGITAL_TEAM_MEMBER, commune_a, is_staff=True),
        "ocop_a": make_user("ocop.a", Role.OCOP_EVALUATOR, province_a, is_staff=True),
        "inspector_a": make_user("kiemtra.a", Role.INSPECTOR, commune_a, is_staff=True),
        "district": make_user("huyen.a", Role.DISTRICT_OFFICER, legacy_district, is_staff=True),
    }
    return World(users=users, a=a, b=b)
