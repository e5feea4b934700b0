import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.documents.models import Document
from langso.documents.tests import factories

BASE = "/api/documents/"


def _file(data: bytes, name: str = "x.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


ISSUE = {
    "title": "Giấy xác nhận cư trú",
    "paragraphs": ["Xác nhận bà Hoàng Thị Mai."],
    "kind": "certificate",
    "recipient": "Bà Hoàng Thị Mai",
}


def test_an_official_issues_a_signed_document_through_the_api(client, official, commune):
    client.force_login(official)
    response = client.post(BASE, ISSUE, content_type="application/json")
    body = response.json()
    assert response.status_code == 201
    assert body["signed"] is True and body["signature_level"] == "B-LT"
    assert body["commune_code"] == "05641" and body["reference"] == "1/GXN-UBND"
    assert body["signer_name"] == "Ủy ban nhân dân Xã Vô Tranh"
    assert body["download_url"] == f"{BASE}{body['public_id']}/file"
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["other_official", "province_officer", "resident_user"])
def test_who_is_not_an_issuer_of_the_commune_gets_403(client, request, who, commune):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        BASE, {**ISSUE, "commune_code": "05641"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "core.permission_denied"
    assert not Document.objects.exists()


def test_anonymous_callers_cannot_issue_or_list(client, commune):
    assert client.post(BASE, ISSUE, content_type="application/json").status_code == 401
    assert client.get(BASE).status_code == 401


def test_the_list_is_scoped_to_the_callers_communes(
    client, official, other_official, signed_document
):
    client.force_login(official)
    body = client.get(BASE).json()
    assert body["count"] == 1 and body["items"][0]["reference"] == "1/GXN-UBND"
    client.force_login(other_official)
    assert client.get(BASE).json()["count"] == 0
    one = f"{BASE}{signed_document.public_id}"
    assert client.get(one).status_code == 404
    assert client.get(one + "/file").json()["code"] == "core.not_found"


def test_upload_through_the_api_checks_the_content(client, official, commune):
    client.force_login(official)
    bad = client.post(f"{BASE}upload", {"title": "x", "file": _file(b"PK\x03\x04 zip")})
    assert bad.status_code == 422
    assert bad.json() == {
        "code": "core.upload_wrong_type",
        "detail": (
            "Tệp x.pdf không đúng định dạng: chỉ nhận PDF. Nội dung tệp được kiểm tra, "
            "đổi tên tệp không có tác dụng."
        ),
    }
    assert not Document.objects.exists()
    good = client.post(
        f"{BASE}upload",
        {"title": "Báo cáo", "kind": "report", "file": _file(factories.plain_pdf())},
    )
    assert good.status_code == 201 and good.json()["source"] == "uploaded"


def test_signing_twice_through_the_api_is_a_conflict(client, official, commune):
    client.force_login(official)
    created = client.post(
        f"{BASE}upload", {"title": "Nháp", "sign": "false", "file": _file(factories.plain_pdf())}
    ).json()
    assert created["signed"] is False
    first = client.post(f"{BASE}{created['public_id']}/sign")
    assert first.status_code == 200 and first.json()["signed"] is True
    second = client.post(f"{BASE}{created['public_id']}/sign")
    assert second.status_code == 409 and second.json()["code"] == "documents.already_signed"


def test_verify_returns_valid_with_signer_timestamp_and_register_entry(
    client, signed_document, signed_pdf
):
    response = client.post(f"{BASE}verify", {"file": _file(signed_pdf)})
    body = response.json()
    assert response.status_code == 200
    assert body["code"] == "valid"
    assert body["detail"] == "Chữ ký số hợp lệ. Văn bản không bị thay đổi sau khi ký."
    assert body["registered"]["reference"] == "1/GXN-UBND"
    sig = body["signatures"][0]
    assert sig["signer_common_name"] == "Ủy ban nhân dân Xã Vô Tranh"
    assert sig["trust_path"] == ["Làng Số Demo Root CA", "Ủy ban nhân dân Xã Vô Tranh"]
    assert sig["timestamp"] and sig["timestamp_trusted"] is True
    assert sig["intact"] is True and sig["changed_after_signing"] is False


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda pdf: factories.flip_signed_byte(pdf), "tampered"),
        (lambda pdf: factories.append_content_update(pdf), "tampered"),
        (lambda pdf: factories.sign_with(factories.stranger_identity()[0]), "untrusted_signer"),
        (lambda pdf: factories.plain_pdf(), "unsigned"),
        (lambda pdf: b"just text", "not_a_pdf"),
    ],
)
def test_verify_returns_a_stable_code_for_each_case(client, signed_pdf, make, code):
    response = client.post(f"{BASE}verify", {"file": _file(make(signed_pdf))})
    assert response.status_code == 200
    assert response.json()["code"] == code
    assert response.json()["registered"] is None


@pytest.mark.parametrize(
    "change, code",
    [
        ({"title": "  "}, "documents.invalid"),
        ({"kind": "poem"}, "documents.invalid"),
        ({"paragraphs": ["", " "]}, "documents.empty_body"),
    ],
)
def test_invalid_input_is_refused_with_422_and_stores_nothing(
    client, official, commune, change, code
):
    client.force_login(official)
    response = client.post(BASE, {**ISSUE, **change}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not Document.objects.exists()


def test_the_validation_message_names_the_field_in_vietnamese(client, official, commune):
    client.force_login(official)
    response = client.post(BASE, {**ISSUE, "title": ""}, content_type="application/json")
    assert response.json()["detail"].startswith("Trích yếu:")


def test_lookup_by_public_code_is_public_and_reveals_no_title(client, signed_document):
    body = client.get(f"{BASE}lookup/{signed_document.public_id}").json()
    assert body["found"] is True and body["reference"] == "1/GXN-UBND"
    assert body["signed"] is True and "title" not in body
    assert client.get(f"{BASE}lookup/nonsense").json() == {
        "found": False,
        "reference": "",
        "kind": "",
        "commune_code": "",
        "commune_name": "",
        "issued_at": None,
        "signed": False,
        "signed_at": None,
        "signature_level": "",
    }
