import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from langso.core.models import AuditEvent
from langso.documents.models import Document
from langso.documents.tests import factories


def _pdf_upload(data: bytes, name: str = "van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# --- public verification page -------------------------------------------------------------


def test_the_home_page_links_to_the_verification_page(client, commune):
    assert reverse("documents:verify") in client.get(reverse("home")).content.decode()


def test_anyone_can_open_the_verification_page(client, db):
    response = client.get(reverse("documents:verify"))
    assert response.status_code == 200
    assert "Kiểm tra văn bản ký số" in response.content.decode()


def test_verifying_an_issued_document_shows_valid_signer_time_and_register_entry(
    client, signed_document, signed_pdf
):
    response = client.post(reverse("documents:verify"), {"file": _pdf_upload(signed_pdf)})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="valid"' in html
    assert "Chữ ký số hợp lệ. Văn bản không bị thay đổi sau khi ký." in html
    assert "Ủy ban nhân dân Xã Vô Tranh" in html
    assert "Làng Số Demo Root CA → Ủy ban nhân dân Xã Vô Tranh" in html
    assert "theo dấu thời gian hợp lệ" in html
    assert "Tệp trùng khớp với văn bản số 1/GXN-UBND do Xã Vô Tranh ban hành" in html


def test_verifying_a_tampered_document_says_it_was_changed_after_signing(client, signed_pdf):
    tampered = factories.append_content_update(signed_pdf)
    html = client.post(
        reverse("documents:verify"), {"file": _pdf_upload(tampered)}
    ).content.decode()
    assert 'data-code="tampered"' in html
    assert "Văn bản đã bị thay đổi sau khi ký" in html
    assert "Có nội dung được thêm hoặc sửa sau khi ký." in html
    assert "Tệp trùng khớp" not in html


def test_verifying_a_document_from_an_unknown_signer_says_the_signer_is_not_trusted(client, db):
    identity, _root = factories.stranger_identity()
    html = client.post(
        reverse("documents:verify"), {"file": _pdf_upload(factories.sign_with(identity))}
    ).content.decode()
    assert 'data-code="untrusted_signer"' in html
    assert "người ký không được tin cậy" in html
    assert "Không tới được chứng thư gốc nào đã cấu hình" in html


def test_verifying_an_unsigned_pdf_says_it_has_no_signature(client, db):
    html = client.post(
        reverse("documents:verify"), {"file": _pdf_upload(factories.plain_pdf())}
    ).content.decode()
    assert 'data-code="unsigned"' in html and "không có chữ ký số" in html


def test_verifying_something_that_is_not_a_pdf_is_refused_politely(client, db):
    html = client.post(
        reverse("documents:verify"), {"file": _pdf_upload(b"GIF89a...", "anh.pdf")}
    ).content.decode()
    assert 'data-code="not_a_pdf"' in html
    assert "Tệp không phải là PDF hoặc không đọc được." in html


def test_verifying_a_file_over_the_limit_is_refused_with_413(client, settings, db):
    settings.LANGSO_DOCUMENT_MAX_BYTES = 1024 * 1024
    response = client.post(
        reverse("documents:verify"), {"file": _pdf_upload(b"%PDF-1.7" + b"0" * (1024 * 1024))}
    )
    assert response.status_code == 413
    assert "quá lớn (1.0 MB); tối đa 1.0 MB." in response.content.decode()


# --- officials' register ------------------------------------------------------------------


def test_the_register_lists_the_communes_documents_for_its_officials(
    client, official, signed_document
):
    client.force_login(official)
    response = client.get(reverse("documents:register"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1/GXN-UBND" in html and "Xác nhận cư trú của ông Nguyễn Văn An" in html
    assert reverse("documents:write") in html


def test_the_register_searches_without_diacritics(client, official, signed_document):
    client.force_login(official)
    html = client.get(reverse("documents:register"), {"q": "xac nhan cu tru"}).content.decode()
    assert "1/GXN-UBND" in html
    html = client.get(reverse("documents:register"), {"q": "quyet dinh"}).content.decode()
    assert "1/GXN-UBND" not in html


def test_a_province_officer_reads_the_register_but_cannot_issue(
    client, province_officer, signed_document
):
    client.force_login(province_officer)
    html = client.get(reverse("documents:register")).content.decode()
    assert "1/GXN-UBND" in html
    assert reverse("documents:write") not in html
    assert client.get(reverse("documents:write")).status_code == 403


def test_an_official_of_another_commune_sees_nothing_of_vo_tranh(
    client, other_official, signed_document
):
    client.force_login(other_official)
    assert "1/GXN-UBND" not in client.get(reverse("documents:register")).content.decode()
    detail = reverse("documents:detail", args=[signed_document.public_id])
    assert client.get(detail).status_code == 404
    download = reverse("documents:download", args=[signed_document.public_id])
    assert client.get(download).status_code == 404


@pytest.mark.parametrize("who", ["resident_user", "health_worker"])
def test_residents_and_non_office_staff_cannot_open_the_register(
    client, request, who, signed_document
):
    # Documents carry personal data: only the roles that may read residents' data see them.
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("documents:register")).status_code == 403
    assert client.get(reverse("documents:write")).status_code == 403
    detail = reverse("documents:detail", args=[signed_document.public_id])
    assert client.get(detail).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, signed_document):
    response = client.get(reverse("documents:register"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_official_writes_and_signs_a_document_from_the_form(client, official, commune):
    client.force_login(official)
    response = client.post(
        reverse("documents:write"),
        {
            "commune": commune.pk,
            "title": "Thông báo lịch tiêm chủng",
            "kind": "announcement",
            "reference": "",
            "recipient": "Các xóm",
            "body": "Trạm y tế xã tổ chức tiêm chủng.\r\n\r\nĐề nghị các hộ đưa trẻ đến đúng giờ.",
            "sign": "on",
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", args=[document.public_id])
    assert document.is_signed and document.reference == "1/TB-UBND"
    detail = client.get(response["Location"]).content.decode()
    assert "Đã ban hành văn bản 1/TB-UBND." in detail and "PAdES B-LT" in detail


def test_an_official_uploads_a_pdf_and_downloads_it_signed(client, official, commune):
    client.force_login(official)
    response = client.post(
        reverse("documents:upload"),
        {
            "commune": commune.pk,
            "title": "Báo cáo quý",
            "kind": "report",
            "reference": "45/BC-UBND",
            "recipient": "",
            "sign": "on",
            "file": _pdf_upload(factories.plain_pdf()),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302 and document.is_signed
    download = client.get(reverse("documents:download", args=[document.public_id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="45-BC-UBND.pdf"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="read", object_id=str(document.pk)).exists()


def test_uploading_a_non_pdf_shows_the_error_and_stores_nothing(client, official, commune):
    client.force_login(official)
    response = client.post(
        reverse("documents:upload"),
        {
            "commune": commune.pk,
            "title": "Báo cáo tháng 9",
            "kind": "other",
            "sign": "on",
            "file": _pdf_upload(b"<html>not a pdf</html>", "gia-mao.pdf"),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Tệp gia-mao.pdf không đúng định dạng: chỉ nhận PDF." in body
    assert 'value="Báo cáo tháng 9"' in body  # the rest of the form is kept
    assert not Document.objects.exists()


def test_an_unsigned_document_is_signed_from_its_page(client, official, commune):
    from langso.documents.actions import upload_document

    document = upload_document(
        actor=official, commune=commune, title="Nháp", data=factories.plain_pdf(), sign=False
    )
    client.force_login(official)
    page = client.get(reverse("documents:detail", args=[document.public_id])).content.decode()
    assert "Ký số văn bản" in page
    response = client.post(reverse("documents:sign", args=[document.public_id]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_signed
    again = client.post(reverse("documents:sign", args=[document.public_id]), follow=True)
    assert "Văn bản này đã được ký số." in again.content.decode()


def test_an_official_of_another_commune_cannot_sign_through_the_page(
    client, official, other_official, commune
):
    from langso.documents.actions import upload_document

    document = upload_document(
        actor=official, commune=commune, title="Nháp", data=factories.plain_pdf(), sign=False
    )
    client.force_login(other_official)
    response = client.post(reverse("documents:sign", args=[document.public_id]))
    assert response.status_code == 404
    document.refresh_from_db()
    assert not document.is_signed


def test_the_register_shows_this_years_issued_count_and_signed_share(
    client, official, commune, signed_document
):
    from langso.documents.actions import upload_document

    upload_document(
        actor=official, commune=commune, title="Nháp", data=factories.plain_pdf(), sign=False
    )
    client.force_login(official)
    html = client.get(reverse("documents:register")).content.decode()
    assert "2 văn bản đã ban hành, 1 văn bản được ký số (50%)" in html


def test_the_public_verification_is_rate_limited_per_address(client, settings, db):
    from django.core.cache import cache

    cache.clear()
    settings.LANGSO_RATE_LIMIT_ENABLED = True
    settings.LANGSO_VERIFY_PER_MINUTE = 2
    for _ in range(2):
        ok = client.post(reverse("documents:verify"), {"file": _pdf_upload(b"x")})
        assert ok.status_code == 200
    refused = client.post(reverse("documents:verify"), {"file": _pdf_upload(b"x")})
    assert refused.status_code == 429
    assert "quá nhiều tệp trong một phút" in refused.content.decode()
    api = client.post("/api/documents/verify", {"file": _pdf_upload(b"x")})
    assert api.status_code == 429 and api.json()["code"] == "documents.rate_limited"
    cache.clear()


def test_a_printed_copy_is_looked_up_by_its_code_without_revealing_the_title(
    client, signed_document
):
    html = client.get(
        reverse("documents:verify"), {"code": str(signed_document.public_id)}
    ).content.decode()
    assert "Giấy xác nhận số 1/GXN-UBND do Xã Vô Tranh ban hành ngày" in html
    assert "Đã ký số lúc" in html
    assert "Nguyễn Văn An" not in html


def test_an_unknown_or_malformed_code_is_reported_as_not_in_the_register(client, db):
    for code in ("6f1c2a4e-0000-4000-8000-000000000000", "not-a-code"):
        html = client.get(reverse("documents:verify"), {"code": code}).content.decode()
        assert "Không tìm thấy văn bản nào với mã này." in html


def test_the_register_exports_to_excel_within_the_officials_scope(
    client, official, other_official, signed_document
):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(official)
    response = client.get(reverse("documents:export"))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("Số, ký hiệu", "Ngày ban hành", "Loại văn bản", "Trích yếu")
    assert rows[1][0] == "1/GXN-UBND" and rows[1][8] == "B-LT"
    assert AuditEvent.objects.filter(purpose="xuất sổ văn bản").exists()
    client.force_login(other_official)
    rows = list(
        load_workbook(BytesIO(client.get(reverse("documents:export")).content)).active.values
    )
    assert len(rows) == 1  # headers only


def test_residents_cannot_export_the_register(client, resident_user, signed_document):
    client.force_login(resident_user)
    assert client.get(reverse("documents:export")).status_code == 403
