import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.procedures.models import Dossier, Procedure, Rating, State

from .conftest import pdf_file

API = "/api/procedures"


def test_the_catalogue_api_is_public_and_searches_without_diacritics(client, catalogue):
    response = client.get(f"{API}/catalogue", {"q": "ket hon"})
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == "Đăng ký kết hôn" and row["online_level"] == "partial"
    assert row["required_documents"][0] == "Tờ khai theo mẫu"


def test_submitting_through_the_api_needs_a_session(client, marital):
    response = client.post(
        f"{API}/dossiers",
        {"procedure_id": marital.pk, "applicant_name": "An", "files": [pdf_file()]},
    )
    assert response.status_code == 401 and response.json()["code"] == "procedures.not_authenticated"


def test_a_resident_submits_through_the_api(client, resident_user, marital):
    client.force_login(resident_user)
    response = client.post(
        f"{API}/dossiers",
        {"procedure_id": marital.pk, "applicant_name": "Nguyễn Văn An", "files": [pdf_file()]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "submitted" and body["portal_status"] == 1
    assert body["channel"] == 2 and len(body["tracking_secret"]) == 8


def test_a_wrong_type_attachment_gets_a_stable_code_and_nothing_changes(
    client, resident_user, marital
):
    client.force_login(resident_user)
    response = client.post(
        f"{API}/dossiers",
        {
            "procedure_id": marital.pk,
            "applicant_name": "An",
            "files": [SimpleUploadedFile("x.png", b"GIF89a....")],
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "core.upload_wrong_type"
    assert (
        "x.png không đúng định dạng: chỉ nhận PDF, ảnh JPEG, ảnh PNG" in (response.json()["detail"])
    )
    assert not Dossier.objects.exists()


def test_the_official_processes_through_the_api_and_stale_versions_are_refused(
    client, make_dossier, official
):
    dossier = make_dossier()
    client.force_login(official)
    url = f"{API}/dossiers/{dossier.public_id}/transitions"
    ok = client.post(url, {"to_state": "received", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.post(
        url, {"to_state": "processing", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "procedures.dossier_changed"
    illegal = client.post(
        url, {"to_state": "returned", "version": 2}, content_type="application/json"
    )
    assert (
        illegal.status_code == 409 and illegal.json()["code"] == "procedures.transition_not_allowed"
    )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.version) == (State.RECEIVED, 2)


def test_the_desk_list_and_detail_are_scoped_to_the_unit(
    client, make_dossier, official, other_official
):
    dossier = make_dossier()
    client.force_login(official)
    assert [d["receipt_code"] for d in client.get(f"{API}/dossiers").json()] == [
        dossier.receipt_code
    ]
    detail = client.get(f"{API}/dossiers/{dossier.public_id}").json()
    assert detail["files"][0]["content_type"] == "application/pdf"
    assert detail["events"][0]["to_state"] == "submitted"
    client.force_login(other_official)
    assert client.get(f"{API}/dossiers").json() == []
    response = client.get(f"{API}/dossiers/{dossier.public_id}")
    assert response.status_code == 404 and response.json()["code"] == "procedures.dossier_not_found"


def test_completion_with_a_result_file_and_rating_through_the_api(
    client, make_dossier, official, resident_user
):
    dossier = make_dossier()
    client.force_login(official)
    url = f"{API}/dossiers/{dossier.public_id}"
    client.post(
        f"{url}/transitions",
        {"to_state": "received", "version": 1},
        content_type="application/json",
    )
    client.post(
        f"{url}/transitions",
        {"to_state": "processing", "version": 2},
        content_type="application/json",
    )
    done = client.post(f"{url}/complete", {"version": 3, "result": pdf_file("kq.pdf")})
    assert done.status_code == 200 and done.json()["portal_status"] == 9
    client.force_login(resident_user)
    first = client.post(
        f"{url}/rating", {"level": "very_satisfied"}, content_type="application/json"
    )
    assert first.status_code == 201
    second = client.post(f"{url}/rating", {"level": "satisfied"}, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "procedures.already_rated"
    assert Rating.objects.count() == 1


def test_the_resident_supplements_through_the_api(client, make_dossier, official, resident_user):
    dossier = make_dossier()
    client.force_login(official)
    client.post(
        f"{API}/dossiers/{dossier.public_id}/transitions",
        {"to_state": "supplement_requested", "version": 1, "comment": "Thiếu tờ khai"},
        content_type="application/json",
    )
    client.force_login(resident_user)
    response = client.post(
        f"{API}/dossiers/{dossier.public_id}/supplement",
        {"version": 2, "files": [pdf_file("to-khai.pdf")]},
    )
    assert response.status_code == 200 and response.json()["state"] == "supplemented"


def test_apology_through_the_api(client, make_dossier, official, resident_user):
    dossier = make_dossier()
    client.force_login(resident_user)
    refused = client.post(
        f"{API}/dossiers/{dossier.public_id}/apology",
        {"version": 1, "new_date": "2026-03-20", "reason": "Chậm"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(official)
    response = client.post(
        f"{API}/dossiers/{dossier.public_id}/apology",
        {"version": 1, "new_date": "2026-03-20", "reason": "Chờ xác minh"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["reason"] == "Chờ xác minh"


def test_public_tracking_through_the_api(client, make_dossier):
    dossier = make_dossier()
    wrong = client.post(
        f"{API}/track",
        {"receipt_code": dossier.receipt_code, "secret": "NOPE"},
        content_type="application/json",
    )
    assert wrong.status_code == 404 and wrong.json()["code"] == "procedures.dossier_not_found"
    ok = client.post(
        f"{API}/track",
        {"receipt_code": dossier.receipt_code, "secret": dossier.tracking_secret},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["portal_status"] == 1
    assert "applicant_name" not in ok.json()


@pytest.mark.parametrize("who", ["official", "other_official"])
def test_editing_the_catalogue_through_the_api(client, marital, who, request):
    client.force_login(request.getfixturevalue(who))
    payload = {
        "code": marital.code,
        "name": marital.name,
        "field": "ho_tich",
        "processing_time": 2,
        "required_documents": ["Tờ khai"],
    }
    response = client.put(f"{API}/catalogue/{marital.pk}", payload, content_type="application/json")
    marital.refresh_from_db()
    if who == "official":
        assert response.status_code == 200 and marital.processing_time == 2
    else:
        assert response.status_code == 404 and marital.processing_time == 3


def test_figures_and_holidays_through_the_api(client, commune, make_dossier):
    make_dossier()
    rows = {
        r["code"]: r
        for r in client.get(
            f"{API}/figures",
            {"commune_code": commune.code, "start": "2026-01-01", "end": "2026-12-31"},
        ).json()
    }
    assert rows["procedures.received"]["numerator"] == 1
    assert rows["procedures.online_rate"]["value"] == 1.0
    holidays = client.get(f"{API}/holidays", {"year": 2026}).json()
    assert {"date": "2026-09-02", "name": "Quốc khánh", "kind": "day_off"} in holidays


def test_an_oversized_attachment_gets_a_stable_code_through_the_api(
    client, resident_user, marital, monkeypatch
):
    from langso.procedures import attachments

    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1000)
    client.force_login(resident_user)
    response = client.post(
        f"{API}/dossiers",
        {
            "procedure_id": marital.pk,
            "applicant_name": "An",
            "files": [SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * 2000)],
        },
    )
    assert response.status_code == 413
    assert response.json()["code"] == "core.upload_too_large"
    assert not Dossier.objects.exists()


def test_a_duplicate_or_invalid_procedure_is_refused_with_a_vietnamese_message(
    client, official, marital
):
    client.force_login(official)
    payload = {"code": marital.code, "name": "Trùng mã", "field": "ho_tich", "processing_time": 1}
    duplicate = client.post(f"{API}/catalogue", payload, content_type="application/json")
    assert (
        duplicate.status_code == 422 and duplicate.json()["code"] == "procedures.invalid_procedure"
    )
    wrong = client.post(
        f"{API}/catalogue",
        {**payload, "code": "9.9", "field": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "lĩnh vực" in wrong.json()["detail"].lower()
    assert Procedure.objects.filter(name="Trùng mã").count() == 0


def test_an_invalid_email_is_refused_through_the_api(client, resident_user, marital):
    client.force_login(resident_user)
    response = client.post(
        f"{API}/dossiers",
        {
            "procedure_id": marital.pk,
            "applicant_name": "An",
            "applicant_email": "không-phải",
            "files": [pdf_file()],
        },
    )
    assert response.status_code == 422 and response.json()["code"] == "procedures.invalid_dossier"
    assert not Dossier.objects.exists()


def test_figures_by_a_code_shared_with_a_legacy_commune_are_the_current_communes(
    client, commune, legacy_units, make_dossier
):
    make_dossier()
    rows = {
        r["code"]: r
        for r in client.get(
            f"{API}/figures",
            {"commune_code": "05641", "start": "2026-01-01", "end": "2026-12-31"},
        ).json()
    }
    assert rows["procedures.received"]["numerator"] == 1


def test_loading_the_catalogue_by_a_shared_code_fills_the_current_commune(commune, legacy_units):
    from django.core.management import call_command

    call_command("load_procedures", "05641")
    assert Procedure.objects.filter(commune=commune).exists()
    assert not Procedure.objects.filter(commune=legacy_units["tuc_tranh"]).exists()
