import io

import pytest
from openpyxl import load_workbook

from langso.core.models import AuditAction, AuditEvent
from langso.people.models import Household

from .factories import HEAD_ROW, WIFE_ROW, csv_file

pytestmark = pytest.mark.django_db


def test_household_list_is_scoped_and_searchable(client, official, household, other_household):
    client.force_login(official)
    body = client.get("/api/people/households", {"q": "nguyen van"}).json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item == {
        "id": household.pk,
        "code": "05641-00001",
        "commune_code": "05641",
        "commune_name": "Xã Vô Tranh",
        "hamlet": "Xóm Khe Cốc",
        "address_line": "Xóm Khe Cốc, Xã Vô Tranh",
        "head_name": "Nguyễn Văn An",
        "member_count": 1,
        "latitude": 21.7101,
        "longitude": 105.7702,
    }


def test_household_detail_lists_members_with_masked_ids(client, official, household):
    client.force_login(official)
    body = client.get(f"/api/people/households/{household.pk}").json()
    [member] = body["members"]
    assert member["citizen_id_masked"] == "0190******45" and member["citizen_id"] is None


def test_resident_detail_is_masked(client, official, household):
    client.force_login(official)
    body = client.get(f"/api/people/residents/{household.head_id}").json()
    assert body["citizen_id_masked"] == "0190******45" and body["citizen_id"] is None
    assert "019080012345" not in str(body)


def test_reveal_gives_the_full_id_with_a_purpose_and_logs_it(client, official, household):
    client.force_login(official)
    url = f"/api/people/residents/{household.head_id}/reveal"
    response = client.post(url, {"purpose": " "}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "people.purpose_required"
    response = client.post(url, {"purpose": "Xác minh hồ sơ"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["citizen_id"] == "019080012345"
    assert AuditEvent.objects.filter(action=AuditAction.READ, purpose="Xác minh hồ sơ").exists()


def test_reveal_is_refused_to_a_province_officer(client, province_officer, household):
    client.force_login(province_officer)
    response = client.post(
        f"/api/people/residents/{household.head_id}/reveal",
        {"purpose": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "core.permission_denied",
        "detail": "Bạn không có quyền xem số CCCD đầy đủ.",
    }


def test_import_endpoint_creates_and_reports(client, official, commune, hamlet):
    client.force_login(official)
    response = client.post(
        "/api/people/imports", {"file": csv_file([HEAD_ROW, WIFE_ROW]), "commune": "05641"}
    )
    assert response.status_code == 201
    assert response.json()["households"] == 1 and response.json()["residents"] == 2


def test_import_endpoint_rejects_a_bad_file_with_row_errors(client, official, commune, hamlet):
    client.force_login(official)
    bad = [*WIFE_ROW]
    bad[5] = ""
    response = client.post(
        "/api/people/imports", {"file": csv_file([HEAD_ROW, bad]), "commune": "05641"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "people.import_rejected"
    assert body["report"]["errors"] == [
        {"row": 3, "column": "Họ và tên", "reason": "Thiếu họ và tên."}
    ]
    assert not Household.objects.exists()


def test_import_endpoint_refuses_a_province_officer(client, province_officer, commune, hamlet):
    client.force_login(province_officer)
    response = client.post(
        "/api/people/imports", {"file": csv_file([HEAD_ROW]), "commune": "05641"}
    )
    assert response.status_code == 403
    assert not Household.objects.exists()


def test_export_endpoint_returns_xlsx(client, official, household):
    client.force_login(official)
    response = client.get("/api/people/export", {"commune": "05641"})
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert len(rows) == 2 and rows[1][0] == "05641-00001"


def test_anonymous_gets_401(client, household):
    assert client.get("/api/people/households").status_code == 401
    assert client.get(f"/api/people/residents/{household.head_id}").status_code == 401
