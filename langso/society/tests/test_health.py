from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localtime
from fhir.resources.R4B.bundle import Bundle

from conftest import make_user
from langso.core.models import AuditAction, AuditEvent
from langso.people.models import Role
from langso.society.actions.health import (
    add_condition,
    add_vaccination,
    grant_consent,
    open_health_record,
    record_visit,
    withdraw_consent,
)
from langso.society.exceptions import HealthAccessDenied, PurposeNotCovered
from langso.society.fhir import record_to_bundle
from langso.society.models import Allergy, HealthRecord
from langso.society.queries.health import get_health_record


def _reads(record):
    return AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="society.HealthRecord", object_id=str(record.pk)
    )


def test_the_commune_health_worker_reads_a_record_and_the_read_is_logged_with_its_purpose(
    health_worker, health_record, household
):
    record = get_health_record(user=health_worker, resident_id=household.head_id, purpose="care")
    assert record.blood_group == "O+"
    event = _reads(health_record).get()
    assert event.actor == health_worker
    assert event.purpose == "Khám, chữa bệnh"
    assert event.fields["basis"] == "health_staff"
    assert "vaccinations" in event.fields["read"]


def test_a_health_worker_of_another_commune_is_refused_and_the_refusal_is_logged(
    other_health_worker, health_record, household
):
    with pytest.raises(HealthAccessDenied) as err:
        get_health_record(user=other_health_worker, resident_id=household.head_id, purpose="care")
    assert err.value.code == "society.health_access_denied"
    assert str(err.value) == "Bạn không có quyền xem hồ sơ sức khoẻ này."
    refusal = AuditEvent.objects.get(action=AuditAction.REFUSED, actor=other_health_worker)
    assert refusal.object_id == str(health_record.pk) and refusal.purpose == "care"
    assert not _reads(health_record).exists()


def test_a_commune_official_needs_the_residents_consent(
    official, resident_user, health_record, household
):
    with pytest.raises(HealthAccessDenied):
        get_health_record(user=official, resident_id=household.head_id, purpose="Xét hỗ trợ")
    consent = grant_consent(
        actor=resident_user,
        record=health_record,
        grantee_user=official,
        purpose="Xét hỗ trợ",
        valid_from=date.today(),
    )
    assert get_health_record(user=official, resident_id=household.head_id, purpose="xet ho tro")
    event = _reads(health_record).get()
    assert event.purpose == "Xét hỗ trợ"
    assert (event.fields["basis"], event.fields["consent"]) == ("consent", consent.pk)
    withdraw_consent(actor=resident_user, consent=consent)
    with pytest.raises(HealthAccessDenied):
        get_health_record(user=official, resident_id=household.head_id, purpose="Xét hỗ trợ")


def test_a_consent_outside_its_dates_gives_no_access(
    official, resident_user, health_record, household
):
    grant_consent(
        actor=resident_user,
        record=health_record,
        grantee_user=official,
        purpose="Cũ",
        valid_from=date.today() - timedelta(days=60),
        valid_to=date.today() - timedelta(days=1),
    )
    with pytest.raises(HealthAccessDenied):
        get_health_record(user=official, resident_id=household.head_id, purpose="x")


def test_a_consent_to_a_role_covers_holders_of_that_role_on_the_commune_only(
    resident_user, health_record, household, leader, other_commune
):
    grant_consent(
        actor=resident_user,
        record=health_record,
        grantee_role=Role.COMMUNE_LEADER,
        purpose="Hỗ trợ",
        valid_from=date.today(),
    )
    assert get_health_record(user=leader, resident_id=household.head_id, purpose="Hỗ trợ")
    far_leader = make_user("chutich.badinh", Role.COMMUNE_LEADER, other_commune)
    with pytest.raises(HealthAccessDenied):
        get_health_record(user=far_leader, resident_id=household.head_id, purpose="x")


def test_only_the_resident_can_grant_consent(official, health_worker, health_record):
    for actor in (official, health_worker):
        with pytest.raises(HealthAccessDenied):
            grant_consent(
                actor=actor,
                record=health_record,
                grantee_user=official,
                purpose="x",
                valid_from=date.today(),
            )
    assert not health_record.consents.exists()


def test_the_resident_reads_their_own_record(resident_user, health_record, household):
    assert get_health_record(user=resident_user, resident_id=household.head_id, purpose="self")
    assert _reads(health_record).get().purpose == "Người dân tự xem hồ sơ của mình"


def test_a_superuser_without_consent_is_refused(health_record, household, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    with pytest.raises(HealthAccessDenied):
        get_health_record(user=admin, resident_id=household.head_id, purpose="x")


def test_only_commune_health_staff_write_records(health_worker, other_health_worker, household):
    with pytest.raises(HealthAccessDenied):
        open_health_record(actor=other_health_worker, resident=household.head)
    record = open_health_record(actor=health_worker, resident=household.head, blood_group="A+")
    assert HealthRecord.objects.get(resident=household.head).blood_group == "A+"
    add_vaccination(
        actor=health_worker, record=record, vaccine="Cúm mùa", given_on=date(2026, 10, 1)
    )
    assert record.vaccinations.count() == 1


def _full_record(health_worker, household):
    record = open_health_record(actor=health_worker, resident=household.head, blood_group="B+")
    add_vaccination(
        actor=health_worker,
        record=record,
        vaccine="Viêm gan B",
        given_on=date(2026, 1, 5),
        dose_number=2,
        lot_number="VGB-01",
    )
    add_condition(
        actor=health_worker,
        record=record,
        name="Tăng huyết áp",
        icd10="I10",
        onset=date(2020, 1, 1),
    )
    record_visit(
        actor=health_worker,
        record=record,
        visited_on=date(2026, 9, 9),
        reason="Đo huyết áp",
        diagnosis="Tăng huyết áp",
        icd10="I10",
    )
    Allergy.objects.create(record=record, substance="Penicillin", reaction="Phát ban")
    return record


def test_the_fhir_export_is_a_bundle_that_validates_against_the_r4b_models(
    health_worker, household
):
    record = _full_record(health_worker, household)
    data = record_to_bundle(record)
    bundle = Bundle.model_validate(data)
    kinds = sorted(e.resource.get_resource_type() for e in bundle.entry)
    assert kinds == [
        "AllergyIntolerance",
        "Condition",
        "Encounter",
        "Immunization",
        "Observation",
        "Patient",
    ]
    patient = next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    assert patient["birthDate"] == "1980-05-17" and patient["gender"] == "male"
    assert patient["identifier"][0]["value"] == "019080012345"
    immunization = next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Immunization"
    )
    assert immunization["patient"]["reference"] == data["entry"][0]["fullUrl"]
    assert record_to_bundle(record)["entry"][0]["fullUrl"] == data["entry"][0]["fullUrl"]


def test_the_fhir_endpoint_serves_the_health_worker_and_refuses_others(
    client, health_worker, other_health_worker, household
):
    _full_record(health_worker, household)
    url = f"/api/society/health/{household.head_id}/fhir?purpose=transfer"
    assert client.get(url).status_code == 401
    client.force_login(other_health_worker)
    refused = client.get(url)
    assert refused.status_code == 403 and refused.json()["code"] == "society.health_access_denied"
    client.force_login(health_worker)
    response = client.get(url)
    assert response.status_code == 200
    assert Bundle.model_validate(response.json()).type == "collection"
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT,
        actor=health_worker,
        purpose="Chuyển tuyến, chuyển hồ sơ sang cơ sở khám chữa bệnh khác",
    ).exists()


def test_the_record_page_is_shown_to_staff_and_refused_to_an_official(
    client, health_worker, official, health_record, household
):
    url = reverse("society:health_record", args=[household.head_id])
    client.force_login(health_worker)
    response = client.get(url)
    assert response.status_code == 200
    assert "Nhóm máu" in response.content.decode()
    client.force_login(official)
    assert client.get(url).status_code == 403


def test_the_resident_grants_and_withdraws_consent_on_their_page(
    client, resident_user, official, health_record
):
    client.force_login(resident_user)
    url = reverse("society:health_consents")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": official.username,
            "purpose": "Xét hỗ trợ",
            "valid_from": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    consent = health_record.consents.get()
    assert consent.grantee_user == official
    client.post(url, {"withdraw": consent.pk})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_consent_naming_both_a_user_and_a_role_is_rejected_by_the_form(
    client, resident_user, official, health_record
):
    client.force_login(resident_user)
    response = client.post(
        reverse("society:health_consents"),
        {
            "username": official.username,
            "role": Role.COMMUNE_LEADER,
            "purpose": "x",
            "valid_from": date.today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Nhập một tên đăng nhập hoặc chọn một vai trò." in response.content.decode()


def test_the_health_worker_opens_a_record_and_adds_a_vaccination_from_the_page(
    client, health_worker, household
):
    url = reverse("society:health_record", args=[household.head_id])
    client.force_login(health_worker)
    assert client.get(url).status_code == 404  # no record yet: the page offers to open one
    assert client.post(url, {"action": "open", "blood_group": "A+"}).status_code == 302
    response = client.post(
        url,
        {
            "action": "vaccination",
            "vaccination-vaccine": "Cúm mùa",
            "vaccination-dose_number": "1",
            "vaccination-given_on": "2026-10-01",
        },
    )
    assert response.status_code == 302
    record = HealthRecord.objects.get(resident=household.head)
    assert record.blood_group == "A+"
    assert record.vaccinations.get().vaccine == "Cúm mùa"


def test_a_consented_official_can_read_but_not_write(
    client, official, resident_user, health_record, household
):
    grant_consent(
        actor=resident_user,
        record=health_record,
        grantee_user=official,
        purpose="Hỗ trợ",
        valid_from=date.today(),
    )
    url = reverse("society:health_record", args=[household.head_id])
    client.force_login(official)
    page = client.get(url)
    assert page.status_code == 200 and "Thêm mũi tiêm" not in page.content.decode()
    assert (
        client.post(
            url,
            {
                "action": "vaccination",
                "vaccination-vaccine": "X",
                "vaccination-dose_number": "1",
                "vaccination-given_on": "2026-10-01",
            },
        ).status_code
        == 403
    )
    assert client.post(url, {"action": "open"}).status_code == 403
    assert not health_record.vaccinations.exists()


def test_health_staff_find_residents_of_their_commune_only(
    client, health_worker, other_health_worker, household
):
    client.force_login(health_worker)
    assert (
        "Nguyễn Văn An"
        in client.get(reverse("society:health_home"), {"q": "nguyen an"}).content.decode()
    )
    client.force_login(other_health_worker)
    assert (
        "Nguyễn Văn An"
        not in client.get(reverse("society:health_home"), {"q": "nguyen an"}).content.decode()
    )


# --- purposes: a read needs a purpose the basis covers ----------------------------------------


@pytest.fixture
def support_consent(resident_user, official, health_record):
    return grant_consent(
        actor=resident_user,
        record=health_record,
        grantee_user=official,
        purpose="Xét hỗ trợ hộ khó khăn",
        valid_from=date.today(),
    )


def test_the_page_shows_the_purpose_of_the_consent_the_official_reads_under(
    client, official, support_consent, health_record, household
):
    client.force_login(official)
    page = client.get(reverse("society:health_record", args=[household.head_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mục đích xem: Xét hỗ trợ hộ khó khăn" in text
    assert "Khám, chữa bệnh" not in text
    assert f"?purpose=consent-{support_consent.pk}" in text  # the export link keeps the purpose
    event = _reads(health_record).get()
    assert (event.actor, event.purpose) == (official, "Xét hỗ trợ hộ khó khăn")
    assert event.fields["consent"] == support_consent.pk


@pytest.mark.parametrize("asked", ["care", "transfer", "Khám, chữa bệnh", "Nghiên cứu"])
def test_a_consent_does_not_cover_another_purpose_and_the_attempt_is_logged(
    client, official, support_consent, health_record, household, asked
):
    client.force_login(official)
    url = reverse("society:health_record", args=[household.head_id])
    page = client.get(url, {"purpose": asked})
    assert page.status_code == 403
    assert "không nằm trong sự đồng ý" in page.content.decode()
    assert not _reads(health_record).exists()
    refusal = AuditEvent.objects.get(action=AuditAction.REFUSED, actor=official)
    assert refusal.purpose == asked and refusal.object_id == str(health_record.pk)


def test_a_fhir_export_for_a_purpose_the_consent_does_not_cover_is_refused(
    client, official, support_consent, health_record, household
):
    client.force_login(official)
    url = f"/api/society/health/{household.head_id}/fhir"
    refused = client.get(url, {"purpose": "transfer"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "society.purpose_not_covered"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    allowed = client.get(url, {"purpose": f"consent-{support_consent.pk}"})
    assert allowed.status_code == 200
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=official)
    assert export.purpose == "Xét hỗ trợ hộ khó khăn"


def test_health_staff_read_for_care_or_transfer_only(health_worker, health_record, household):
    with pytest.raises(PurposeNotCovered):
        get_health_record(user=health_worker, resident_id=household.head_id, purpose="Bảo hiểm")
    record = get_health_record(user=health_worker, resident_id=household.head_id, purpose="")
    assert record.read_purpose.code == "care"
    assert _reads(health_record).get().purpose == "Khám, chữa bệnh"


def test_a_resident_sees_who_read_her_record_when_and_why(
    client, resident_user, official, health_worker, other_health_worker, support_consent, household
):
    get_health_record(user=health_worker, resident_id=household.head_id, purpose="care")
    get_health_record(user=official, resident_id=household.head_id, purpose="")
    with pytest.raises(HealthAccessDenied):
        get_health_record(user=other_health_worker, resident_id=household.head_id, purpose="care")
    get_health_record(user=resident_user, resident_id=household.head_id, purpose="self")
    client.force_login(resident_user)
    page = client.get(reverse("society:health_consents"))
    assert page.status_code == 200
    rows = page.context["reads"]
    assert [(e.actor, e.action, e.purpose) for e in rows] == [
        (other_health_worker, AuditAction.REFUSED, "care"),
        (official, AuditAction.READ, "Xét hỗ trợ hộ khó khăn"),
        (health_worker, AuditAction.READ, "Khám, chữa bệnh"),
    ]  # newest first; her own reads are not listed
    text = page.content.decode()
    assert "Ai đã xem hồ sơ của tôi" in text
    assert "Xét hỗ trợ hộ khó khăn" in text and "Khám, chữa bệnh" in text
    assert localtime(rows[0].at).strftime("%d/%m/%Y") in text


def test_the_read_log_of_a_record_is_shown_to_its_resident_only(
    client, official, resident_user, support_consent, household
):
    get_health_record(user=official, resident_id=household.head_id, purpose="")
    client.force_login(official)
    page = client.get(reverse("society:health_consents"))
    assert page.status_code == 404  # the official has no record of her own: nothing to list
