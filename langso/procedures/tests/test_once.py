"""Each create of the procedures pages and API happens once per submission token or
Idempotency-Key (see langso/core/idempotency.py)."""

import uuid

from django.urls import reverse

from langso.core.idempotency import REPLAYED_HEADER
from langso.procedures.models import Dossier, DossierEvent, Rating, State

from .conftest import pdf_file
from .test_views import _settle

API = "/api/procedures"


def _token() -> str:
    return str(uuid.uuid4())


def test_the_submit_form_carries_a_one_time_token(client, resident_user, marital):
    client.force_login(resident_user)
    first = client.get(reverse("procedures:submit", args=[marital.pk])).content.decode()
    second = client.get(reverse("procedures:submit", args=[marital.pk])).content.decode()
    assert 'name="submission_token"' in first
    token = first.split('name="submission_token" value="')[1].split('"')[0]
    assert uuid.UUID(token) and token not in second


def test_a_double_submitted_dossier_is_filed_once_and_shows_the_same_receipt(
    client, resident_user, marital
):
    client.force_login(resident_user)
    url = reverse("procedures:submit", args=[marital.pk])
    token = _token()
    first = client.post(
        url, {"applicant_name": "An", "files": [pdf_file()], "submission_token": token}
    )
    second = client.post(
        url, {"applicant_name": "An", "files": [pdf_file()], "submission_token": token}
    )
    dossier = Dossier.objects.get()
    receipt = reverse("procedures:receipt", args=[dossier.public_id])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == receipt
    # F5 on the receipt is a GET: it shows the same receipt and files nothing.
    page = client.get(receipt)
    assert page.status_code == 200 and dossier.receipt_code in page.content.decode()
    assert dossier.tracking_secret in page.content.decode()
    assert Dossier.objects.count() == 1 and dossier.files.count() == 1


def test_two_forms_with_different_tokens_file_two_dossiers(client, resident_user, marital):
    client.force_login(resident_user)
    url = reverse("procedures:submit", args=[marital.pk])
    for _ in range(2):
        client.post(
            url, {"applicant_name": "An", "files": [pdf_file()], "submission_token": _token()}
        )
    assert Dossier.objects.count() == 2


def test_a_refused_submission_keeps_nothing_so_the_corrected_form_files(
    client, resident_user, marital
):
    client.force_login(resident_user)
    url = reverse("procedures:submit", args=[marital.pk])
    token = _token()
    bad = {"applicant_name": "An", "files": [pdf_file("a.pdf", b"<html>")]}
    assert client.post(url, {**bad, "submission_token": token}).status_code == 422
    good = client.post(
        url, {"applicant_name": "An", "files": [pdf_file()], "submission_token": token}
    )
    assert good.status_code == 302 and Dossier.objects.count() == 1


def test_a_receipt_is_not_shown_to_another_user(client, make_dossier, django_user_model):
    dossier = make_dossier()
    client.force_login(django_user_model.objects.create_user(username="nguoi.khac"))
    assert client.get(reverse("procedures:receipt", args=[dossier.public_id])).status_code == 404


def test_a_double_submitted_counter_dossier_is_recorded_once(client, official, certified_copy):
    client.force_login(official)
    data = {
        "procedure": certified_copy.pk,
        "applicant_name": "Lê Văn C",
        "submission_token": _token(),
    }
    first = client.post(reverse("procedures:counter"), data)
    second = client.post(reverse("procedures:counter"), data)
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1
    receipt = client.get(first["Location"]).content.decode()
    assert reverse("procedures:desk_detail", args=[Dossier.objects.get().public_id]) in receipt


def _supplement_requested(make_dossier, official):
    from langso.procedures.actions import transition_dossier

    dossier = make_dossier()
    return transition_dossier(
        actor=official,
        dossier_id=dossier.public_id,
        to_state=State.SUPPLEMENT_REQUESTED,
        version=dossier.version,
        comment="Thiếu tờ khai",
    )


def test_a_double_submitted_supplement_is_recorded_once_without_an_error(
    client, make_dossier, official, resident_user
):
    dossier = _supplement_requested(make_dossier, official)
    client.force_login(resident_user)
    url = reverse("procedures:applicant_action", args=[dossier.public_id])
    data = {"to_state": "supplemented", "version": dossier.version, "submission_token": _token()}
    client.post(url, {**data, "files": [pdf_file("bo-sung.pdf")]})
    client.get(reverse("procedures:dossier", args=[dossier.public_id]))  # its message shown
    page = client.post(url, {**data, "files": [pdf_file("bo-sung.pdf")]}, follow=True)
    assert "Đã cập nhật hồ sơ." in page.content.decode()
    assert DossierEvent.objects.filter(dossier=dossier, to_state="supplemented").count() == 1
    assert dossier.files.filter(original_name="bo-sung.pdf").count() == 1


def test_a_double_submitted_rating_is_recorded_once_without_an_error(
    client, make_dossier, official, resident_user
):
    dossier = _settle(make_dossier(), official)
    client.force_login(resident_user)
    url = reverse("procedures:rate", args=[dossier.public_id])
    data = {"level": "very_satisfied", "submission_token": _token()}
    client.post(url, data)
    client.get(reverse("procedures:dossier", args=[dossier.public_id]))  # its message shown
    page = client.post(url, data, follow=True)
    body = page.content.decode()
    assert "Cảm ơn bạn đã đánh giá." in body and "Mỗi hồ sơ chỉ đánh giá một lần" not in body
    assert Rating.objects.count() == 1


# --- API --------------------------------------------------------------------------------------


def test_the_api_files_a_dossier_once_per_idempotency_key(client, resident_user, marital):
    client.force_login(resident_user)
    key = _token()

    def send(name="Nguyễn Văn An"):
        return client.post(
            f"{API}/dossiers",
            {"procedure_id": marital.pk, "applicant_name": name, "files": [pdf_file()]},
            headers={"Idempotency-Key": key},
        )

    first, second = send(), send()
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second[REPLAYED_HEADER] == "true"
    assert not first.has_header(REPLAYED_HEADER)
    assert Dossier.objects.count() == 1
    other = send("Lò Thị Ánh")
    assert other.status_code == 422
    assert other.json()["code"] == "core.idempotency_key_reused"
    assert Dossier.objects.count() == 1


def test_the_api_without_a_key_behaves_as_before(client, resident_user, marital):
    client.force_login(resident_user)
    for _ in range(2):
        client.post(
            f"{API}/dossiers",
            {"procedure_id": marital.pk, "applicant_name": "An", "files": [pdf_file()]},
        )
    assert Dossier.objects.count() == 2


def test_the_api_supplements_once_per_key(client, make_dossier, official, resident_user):
    dossier = _supplement_requested(make_dossier, official)
    client.force_login(resident_user)
    key = _token()
    answers = [
        client.post(
            f"{API}/dossiers/{dossier.public_id}/supplement",
            {"version": dossier.version, "files": [pdf_file("bo-sung.pdf")]},
            headers={"Idempotency-Key": key},
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert DossierEvent.objects.filter(dossier=dossier, to_state="supplemented").count() == 1
    changed = client.post(
        f"{API}/dossiers/{dossier.public_id}/supplement",
        {"version": dossier.version, "comment": "khác"},
        headers={"Idempotency-Key": key},
    )
    assert changed.status_code == 422
    assert changed.json()["code"] == "core.idempotency_key_reused"


def test_the_api_rates_once_per_key(client, make_dossier, official, resident_user):
    dossier = _settle(make_dossier(), official)
    client.force_login(resident_user)
    key = _token()
    url = f"{API}/dossiers/{dossier.public_id}/rating"
    answers = [
        client.post(
            url,
            {"level": "very_satisfied"},
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json() and Rating.objects.count() == 1
    changed = client.post(
        url,
        {"level": "satisfied"},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert changed.status_code == 422
    assert changed.json()["code"] == "core.idempotency_key_reused"


def test_a_double_tap_on_the_kiosk_rates_once_and_thanks_twice(client, make_dossier, official):
    dossier = _settle(make_dossier(), official)
    client.force_login(official)
    url = reverse("procedures:kiosk", args=[dossier.public_id])
    data = {"level": "very_satisfied", "submission_token": _token()}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Rating.objects.get().channel == "kiosk"
    assert "Cảm ơn ông/bà đã đánh giá." in client.get(first["Location"]).content.decode()
