import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from langso.core.models import AuditEvent
from langso.procedures.actions import complete_dossier, transition_dossier
from langso.procedures.models import Dossier, Procedure, Rating, State

from .conftest import PNG, local, pdf_file


def test_the_home_page_urls_exist_without_arguments():
    assert reverse("procedures:catalogue") == "/procedures/"
    assert reverse("procedures:track") == "/procedures/tra-cuu/"


def test_the_catalogue_is_searchable_without_diacritics(client, catalogue):
    response = client.get(reverse("procedures:catalogue"), {"q": "khai sinh"})
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.content.decode()
    assert "Chứng thực chữ ký" not in response.content.decode()
    response = client.get(reverse("procedures:catalogue"), {"q": "chung thuc"})
    assert "Chứng thực chữ ký trong giấy tờ" in response.content.decode()


def test_the_procedure_page_lists_documents_fee_and_deadline(client, certified_copy):
    body = client.get(reverse("procedures:procedure", args=[certified_copy.pk])).content.decode()
    assert "4 giờ làm việc" in body and "2.000 đ" in body and "Bản chính giấy tờ" in body
    assert "chỉ tại bộ phận" not in body.lower() or "Nộp hồ sơ trực tuyến" not in body


def test_submitting_requires_login(client, marital):
    response = client.get(reverse("procedures:submit", args=[marital.pk]))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_resident_submits_online_and_sees_the_receipt(client, resident_user, marital):
    client.force_login(resident_user)
    response = client.post(
        reverse("procedures:submit", args=[marital.pk]),
        {"applicant_name": "Nguyễn Văn An", "files": [pdf_file()]},
        follow=True,
    )
    dossier = Dossier.objects.get()
    assert response.redirect_chain == [
        (reverse("procedures:receipt", args=[dossier.public_id]), 302)
    ]
    body = response.content.decode()
    assert dossier.receipt_code in body and dossier.tracking_secret in body
    assert dossier.applicant_user == resident_user


def test_a_wrong_file_type_shows_a_vietnamese_error_and_saves_nothing(
    client, resident_user, marital
):
    client.force_login(resident_user)
    response = client.post(
        reverse("procedures:submit", args=[marital.pk]),
        {
            "applicant_name": "Lò Thị Ánh",
            "applicant_phone": "0912345678",
            "files": [SimpleUploadedFile("a.pdf", b"<html>")],
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Tệp a.pdf không đúng định dạng: chỉ nhận PDF, ảnh JPEG, ảnh PNG" in body
    assert 'value="Lò Thị Ánh"' in body and 'value="0912345678"' in body  # nothing lost
    assert not Dossier.objects.exists()


def test_tracking_with_code_and_secret_opens_the_dossier_page(client, make_dossier):
    dossier = make_dossier()
    response = client.post(
        reverse("procedures:track"), {"receipt_code": dossier.receipt_code, "secret": "WRONGONE"}
    )
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in response.content.decode()
    response = client.post(
        reverse("procedures:track"),
        {"receipt_code": dossier.receipt_code, "secret": dossier.tracking_secret},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Mới đăng ký" in page.content.decode()


def test_a_stranger_cannot_open_a_dossier_page_without_tracking_it(
    client, make_dossier, other_official
):
    dossier = make_dossier()
    assert client.get(reverse("procedures:dossier", args=[dossier.public_id])).status_code == 404
    client.force_login(other_official)
    assert client.get(reverse("procedures:dossier", args=[dossier.public_id])).status_code == 404


def test_my_dossiers_lists_only_my_own(
    client, make_dossier, resident_user, official, certified_copy
):
    mine = make_dossier()
    from langso.procedures.actions import submit_dossier

    other = submit_dossier(actor=official, procedure_id=certified_copy.pk, applicant_name="B")
    client.force_login(resident_user)
    body = client.get(reverse("procedures:mine")).content.decode()
    assert mine.receipt_code in body and other.receipt_code not in body


def _settle(dossier, official):
    d = transition_dossier(
        actor=official, dossier_id=dossier.public_id, to_state=State.RECEIVED, version=1
    )
    d = transition_dossier(
        actor=official, dossier_id=d.public_id, to_state=State.PROCESSING, version=d.version
    )
    return complete_dossier(
        actor=official,
        dossier_id=d.public_id,
        version=d.version,
        result_file=pdf_file("ket-qua.pdf"),
        now=local(2026, 3, 3, 9, 0),
    )


def test_the_resident_rates_once_from_the_dossier_page(
    client, make_dossier, resident_user, official
):
    dossier = _settle(make_dossier(), official)
    client.force_login(resident_user)
    url = reverse("procedures:rate", args=[dossier.public_id])
    client.post(url, {"level": "satisfied", "comment": "Tốt"})
    response = client.post(url, {"level": "not_satisfied"}, follow=True)
    assert "Mỗi hồ sơ chỉ đánh giá một lần" in response.content.decode()
    assert Rating.objects.get().level == "satisfied"


def test_the_resident_downloads_the_result_but_not_another_file_when_tracking(
    client, make_dossier, official
):
    dossier = _settle(make_dossier(), official)
    client.post(
        reverse("procedures:track"),
        {"receipt_code": dossier.receipt_code, "secret": dossier.tracking_secret},
    )
    result = dossier.files.get(kind="result")
    application = dossier.files.get(kind="application")
    response = client.get(reverse("procedures:file", args=[result.public_id]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("procedures:file", args=[application.public_id])).status_code == 404


@pytest.mark.parametrize("who", ["official", "leader", "province_officer"])
def test_the_desk_queue_is_open_to_officials_of_the_unit(client, make_dossier, who, request):
    dossier = make_dossier()
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("procedures:desk"))
    assert response.status_code == 200 and dossier.receipt_code in response.content.decode()


@pytest.mark.parametrize(
    ("who", "queue_status", "detail_status"),
    [("resident_user", 403, 403), ("health_worker", 403, 403), ("other_official", 200, 404)],
)
def test_the_desk_is_refused_to_others(
    client, make_dossier, who, queue_status, detail_status, request
):
    dossier = make_dossier()
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("procedures:desk"))
    assert response.status_code == queue_status
    assert dossier.receipt_code not in response.content.decode()
    detail = client.get(reverse("procedures:desk_detail", args=[dossier.public_id]))
    assert detail.status_code == detail_status


def test_the_desk_shows_overdue_badges(client, make_dossier, official):
    make_dossier(now=local(2026, 1, 5, 9, 0))
    client.force_login(official)
    body = client.get(reverse("procedures:desk")).content.decode()
    assert "badge err" in body and "Quá 8 giờ chưa tiếp nhận" in body


def test_an_official_acts_on_a_dossier_and_a_stale_form_is_refused(client, make_dossier, official):
    dossier = make_dossier()
    client.force_login(official)
    url = reverse("procedures:desk_act", args=[dossier.public_id])
    client.post(url, {"to_state": "received", "version": 1})
    response = client.post(
        url, {"to_state": "not_received", "version": 1, "comment": "x"}, follow=True
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_the_desk_detail_logs_the_read_and_previews_images(client, make_dossier, official):
    dossier = make_dossier(files=[SimpleUploadedFile("cccd.png", PNG)])
    client.force_login(official)
    body = client.get(reverse("procedures:desk_detail", args=[dossier.public_id])).content.decode()
    assert "<img" in body and "cccd.png" in body
    assert AuditEvent.objects.filter(action="read", object_id=str(dossier.pk)).exists()
    f = dossier.files.get()
    preview = client.get(reverse("procedures:file", args=[f.public_id]) + "?xem=1")
    assert preview["Content-Type"] == "image/png"
    assert "inline" in preview["Content-Disposition"]


def test_an_official_records_a_counter_dossier(client, official, certified_copy):
    client.force_login(official)
    response = client.post(
        reverse("procedures:counter"),
        {"procedure": certified_copy.pk, "applicant_name": "Lê Văn C"},
        follow=True,
    )
    assert response.status_code == 200 and "Giấy biên nhận hồ sơ" in response.content.decode()
    assert Dossier.objects.get().channel == 1


def test_the_counter_is_refused_to_a_resident(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("procedures:counter")).status_code == 403


def test_the_kiosk_records_a_counter_device_rating(client, make_dossier, official):
    dossier = _settle(make_dossier(), official)
    client.force_login(official)
    url = reverse("procedures:kiosk", args=[dossier.public_id])
    assert client.post(url, {"level": "very_satisfied"}).status_code == 302
    assert Rating.objects.get().channel == "kiosk"
    response = client.post(url, {"level": "satisfied"})
    assert response.status_code == 409


def test_an_official_edits_the_catalogue_and_another_communes_official_cannot(
    client, official, other_official, marital
):
    client.force_login(official)
    url = reverse("procedures:procedure_edit", args=[marital.pk])
    data = {
        "code": marital.code,
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "field": "ho_tich",
        "required_documents": "Tờ khai",
        "fee": 5000,
        "fee_note": "",
        "processing_time": 2,
        "time_unit": "days",
        "online_level": "full",
        "legal_basis": "",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    marital.refresh_from_db()
    assert (marital.processing_time, marital.fee) == (2, 5000)
    client.force_login(other_official)
    assert client.post(url, {**data, "fee": 1}).status_code in (403, 404)
    marital.refresh_from_db()
    assert marital.fee == 5000
    assert Procedure.objects.filter(search_key__contains="tinh trang hon nhan").exists()


def test_the_register_exports_to_excel_for_officials_only(
    client, make_dossier, official, resident_user
):
    dossier = make_dossier()
    client.force_login(resident_user)
    assert client.get(reverse("procedures:export")).status_code == 403
    client.force_login(official)
    response = client.get(reverse("procedures:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Mã biên nhận" and rows[1][0] == dossier.receipt_code
    assert rows[1][8] == 1
    assert AuditEvent.objects.filter(action="export").exists()


def test_the_figures_page_shows_the_commune_summary(client, commune, make_dossier):
    make_dossier()
    body = client.get(
        reverse("procedures:figures"),
        {"xa": commune.code, "start": "2026-01-01", "end": "2026-12-31"},
    ).content.decode()
    assert "Tỷ lệ hồ sơ nộp trực tuyến" in body and "100%" in body


def test_the_desk_queue_makes_the_same_number_of_queries_for_more_dossiers(
    client, make_dossier, official, django_assert_max_num_queries
):
    for _ in range(3):
        make_dossier()
    client.force_login(official)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("procedures:desk"))
    for _ in range(12):
        make_dossier()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("procedures:desk"))
    assert response.content.decode().count("05641-260302-") >= 15


def test_the_desk_queue_reads_its_rows_in_one_query_of_the_columns_it_shows(
    client, make_dossier, official
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        make_dossier()
    client.force_login(official)
    client.get(reverse("procedures:desk"))
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("procedures:desk"))
    assert response.content.decode().count("05641-260302-") >= 3
    dossier_queries = [q["sql"] for q in page.captured_queries if "procedures_dossier" in q["sql"]]
    # the counts above the table (which also count the pages), the rows, the alerts
    assert len(dossier_queries) == 3, dossier_queries
    (rows,) = [q for q in dossier_queries if '"procedures_procedure"."name"' in q]
    assert '"procedures_dossier"."description"' not in rows
    assert '"procedures_dossier"."applicant_address"' not in rows
    assert '"procedures_procedure"."required_documents"' not in rows


def test_the_desk_queue_comes_in_pages_of_fifty_that_keep_the_filters(
    client, make_dossier, official, monkeypatch
):
    from langso.procedures.views import desk

    monkeypatch.setattr(desk, "DESK_PAGE_SIZE", 4)  # the same paging, fewer dossiers to make
    for n in range(6):
        make_dossier(applicant_name=f"Người nộp {n}")
    make_dossier(applicant_name="Trần Thị Khác")
    client.force_login(official)
    first = client.get(reverse("procedures:desk"), {"q": "Người nộp"}).content.decode()
    assert first.count("Người nộp ") == 4 and "Trần Thị Khác" not in first
    assert "Trang 1/2 (6 hồ sơ)" in first
    assert 'href="?q=Ng%C6%B0%E1%BB%9Di+n%E1%BB%99p&amp;page=2"' in first
    second = client.get(reverse("procedures:desk"), {"q": "Người nộp", "page": 2})
    body = second.content.decode()
    assert body.count("Người nộp ") == 2 and "Trang 2/2 (6 hồ sơ)" in body
    # the counts above the table are about every open dossier, not the page
    assert "Đang giải quyết (7)" in body


def test_an_officials_read_of_a_dossier_file_is_logged_and_the_applicants_is_not(
    client, make_dossier, official, resident_user
):
    dossier = make_dossier(files=[SimpleUploadedFile("cccd.png", PNG)])
    f = dossier.files.get()
    url = reverse("procedures:file", args=[f.public_id])
    reads = AuditEvent.objects.filter(action="read", purpose="xem tệp hồ sơ")
    client.force_login(resident_user)
    assert client.get(url).status_code == 200
    assert not reads.exists()  # her own papers
    client.force_login(official)
    assert client.get(url).status_code == 200
    event = reads.get()
    assert event.actor == official and event.object_id == str(dossier.pk)
    assert event.fields == {"read": ["file"]}
    # the stored file itself is not reachable at MEDIA_URL
    assert client.get("/media/" + f.file.name).status_code == 404
