import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from langso.core.models import AuditAction, AuditEvent
from langso.people.models import Household, Relation, Resident

from .factories import HEAD_ROW, WIFE_ROW, csv_file

pytestmark = pytest.mark.django_db


def add_households(commune, hamlet, n):
    for i in range(n):
        hh = Household.objects.create(
            commune=commune,
            province_code="19",
            hamlet=hamlet,
            code=f"05641-2{i:04d}",
            search_key=f"05641-2{i:04d}",
        )
        head = Resident.objects.create(
            household=hh,
            commune=commune,
            province_code="19",
            full_name=f"Người {i}",
            sex="M",
            date_of_birth=date(1970, 1, 1),
            relation_to_head=Relation.HEAD,
        )
        Resident.objects.create(
            household=hh,
            commune=commune,
            province_code="19",
            full_name=f"Con {i}",
            sex="F",
            date_of_birth=date(2010, 1, 1),
            relation_to_head=Relation.CHILD,
        )
        hh.head = head
        hh.save(update_fields=["head"])


def test_household_list_shows_the_commune_households_with_head_and_member_count(
    client, official, household
):
    client.force_login(official)
    response = client.get(reverse("people:households"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "05641-00001" in text and "Nguyễn Văn An" in text and "Xóm Khe Cốc" in text


def test_household_list_query_count_does_not_grow_with_the_page(
    client, official, commune, hamlet, household, django_assert_max_num_queries
):
    add_households(commune, hamlet, 30)
    client.force_login(official)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:households"))
    assert response.content.decode().count("/people/ho/") >= 31


@pytest.mark.parametrize("q", ["nguyen van an", "Nguyễn Văn", "05641-00001", "khe coc", "NGUYEN"])
def test_household_search_with_or_without_diacritics(
    client, official, household, other_household, q
):
    client.force_login(official)
    text = client.get(reverse("people:households"), {"q": q}).content.decode()
    assert "05641-00001" in text


def test_household_search_that_matches_nothing_says_so(client, official, household):
    client.force_login(official)
    text = client.get(reverse("people:households"), {"q": "tran thi"}).content.decode()
    assert "Không có hộ nào phù hợp." in text


def test_household_list_filters_by_hamlet_and_paginates(
    client, official, commune, hamlet, household
):
    from langso.places.models import Hamlet

    other = Hamlet.objects.create(commune=commune, code="05641-02", name="Xóm Gốc Lim")
    add_households(commune, other, 60)
    client.force_login(official)
    page = client.get(reverse("people:households"), {"thon": hamlet.pk}).content.decode()
    assert "05641-00001" in page and "05641-20000" not in page
    page2 = client.get(reverse("people:households"), {"thon": other.pk, "trang": 2})
    assert "Trang 2/2" in page2.content.decode()


def test_resident_detail_masks_the_citizen_id(client, official, household):
    client.force_login(official)
    text = client.get(reverse("people:resident_detail", args=[household.head_id])).content
    text = text.decode()
    assert "0190******45" in text and "019080012345" not in text
    assert "Xem số CCCD đầy đủ" in text


def test_showing_the_full_id_requires_a_purpose_and_is_logged(client, official, household):
    client.force_login(official)
    url = reverse("people:resident_reveal", args=[household.head_id])
    assert client.post(url, {"purpose": ""}).status_code == 400
    response = client.post(url, {"purpose": "Đối chiếu hồ sơ khai sinh"})
    assert response.status_code == 200
    assert "019080012345" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.READ)
    assert (event.actor, event.purpose, event.object_id) == (
        official,
        "Đối chiếu hồ sơ khai sinh",
        str(household.head_id),
    )


def test_province_officer_sees_resident_but_cannot_show_the_full_id(
    client, province_officer, household
):
    client.force_login(province_officer)
    page = client.get(reverse("people:resident_detail", args=[household.head_id]))
    assert page.status_code == 200 and "Xem số CCCD đầy đủ" not in page.content.decode()
    response = client.post(
        reverse("people:resident_reveal", args=[household.head_id]), {"purpose": "tò mò"}
    )
    assert response.status_code == 403
    assert "019080012345" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED).count() == 1


def test_official_creates_a_household_and_adds_a_resident(client, official, commune, hamlet):
    client.force_login(official)
    response = client.post(
        reverse("people:household_create"),
        {"code": "05641-09999", "hamlet": hamlet.pk, "address_line": "Xóm Khe Cốc"},
    )
    hh = Household.objects.get(code="05641-09999")
    assert response.status_code == 302 and hh.commune == commune
    response = client.post(
        reverse("people:resident_create", args=[hh.pk]),
        {
            "full_name": "Vũ Văn Khải",
            "sex": "M",
            "date_of_birth": "1990-02-03",
            "citizen_id": "019090123456",
            "phone": "0911222333",
            "relation_to_head": "head",
        },
    )
    assert response.status_code == 302
    hh.refresh_from_db()
    assert hh.head.full_name == "Vũ Văn Khải"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 2


def test_resident_form_reports_a_bad_citizen_id_in_vietnamese(client, official, household):
    client.force_login(official)
    response = client.post(
        reverse("people:resident_create", args=[household.pk]),
        {
            "full_name": "Vũ Thị Lan",
            "sex": "F",
            "date_of_birth": "1990-02-03",
            "citizen_id": "019090123456",
            "relation_to_head": "spouse",
        },
    )
    assert response.status_code == 200
    assert "Số CCCD không khớp giới tính và năm sinh" in response.content.decode()
    assert not Resident.objects.filter(full_name="Vũ Thị Lan").exists()


def test_official_edits_a_household_and_a_resident(client, official, household):
    client.force_login(official)
    response = client.post(
        reverse("people:household_edit", args=[household.pk]),
        {
            "code": household.code,
            "hamlet": household.hamlet_id,
            "address_line": "Số 5, Xóm Khe Cốc",
            "latitude": "21.7",
            "longitude": "105.7",
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.address_line == "Số 5, Xóm Khe Cốc"
    response = client.post(
        reverse("people:resident_edit", args=[household.head_id]),
        {
            "full_name": "Nguyễn Văn Ân",
            "sex": "M",
            "date_of_birth": "1980-05-17",
            "citizen_id": "",
            "phone": "0912345678",
            "relation_to_head": "head",
        },
    )
    assert response.status_code == 302
    head = Resident.objects.get(pk=household.head_id)
    assert (head.full_name, head.citizen_id) == ("Nguyễn Văn Ân", "019080012345")


def test_resident_edit_form_does_not_show_the_current_citizen_id(client, official, household):
    client.force_login(official)
    text = client.get(reverse("people:resident_edit", args=[household.head_id])).content
    assert b"019080012345" not in text


def test_import_page_previews_errors_then_imports(client, official, commune, hamlet):
    client.force_login(official)
    bad = [*WIFE_ROW]
    bad[7] = "hôm qua"
    response = client.post(
        reverse("people:import"),
        {"file": csv_file([HEAD_ROW, bad]), "commune": "05641", "mode": "all"},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Ngày sinh không hợp lệ: “hôm qua”" in text and "chưa nhập dòng nào" in text
    assert Household.objects.count() == 0
    response = client.post(
        reverse("people:import"),
        {"file": csv_file([HEAD_ROW, WIFE_ROW]), "commune": "05641", "mode": "all"},
    )
    assert response.status_code == 200
    assert "1 hộ, 2 nhân khẩu." in response.content.decode()


def test_import_template_downloads(client, official):
    client.force_login(official)
    response = client.get(reverse("people:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.worksheets[0]["A1"].value == "Mã hộ"


def test_export_by_an_official_has_full_ids_and_is_logged(client, official, household):
    client.force_login(official)
    response = client.get(reverse("people:export"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:2] == ("05641-00001", "Xóm Khe Cốc")
    assert rows[1][5:9] == ("Nguyễn Văn An", "Nam", "17/05/1980", "019080012345")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.fields == {"residents": 1, "households": 1, "citizen_id": "full"}


def test_export_by_a_province_officer_masks_ids(client, province_officer, household):
    client.force_login(province_officer)
    response = client.get(reverse("people:export"), {"xa": "05641"})
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert list(ws.iter_rows(values_only=True))[1][8] == "0190******45"
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).fields["citizen_id"] == "masked"


def test_province_officer_filters_the_list_by_commune(
    client, province_officer, household, neighbour_commune
):
    from langso.people.actions import create_household

    create_household(actor=None, commune=neighbour_commune, code="05653-00009")
    client.force_login(province_officer)
    everything = client.get(reverse("people:households")).content.decode()
    assert "05641-00001" in everything and "05653-00009" in everything
    only_phu_luong = client.get(reverse("people:households"), {"xa": "05653"}).content.decode()
    assert "05653-00009" in only_phu_luong and "05641-00001" not in only_phu_luong
    assert client.get(reverse("people:households"), {"xa": "00004"}).status_code == 404


def test_import_page_refuses_other_file_types(client, official, commune):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(official)
    response = client.post(
        reverse("people:import"),
        {
            "file": SimpleUploadedFile("dan-cu.csv", b"%PDF-1.4\n"),
            "commune": "05641",
            "mode": "all",
        },
    )
    body = response.content.decode()
    assert "Tệp dan-cu.csv không đúng định dạng: chỉ nhận Excel (.xlsx), CSV (UTF-8)." in body
    assert not Household.objects.exists()
