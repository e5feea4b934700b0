"""Feedback, survey answers and announcements are created once per submission token or
Idempotency-Key (see langso/core/idempotency.py)."""

import uuid

from django.urls import reverse

from langso.core.idempotency import REPLAYED_HEADER
from langso.engage.models import Announcement, Feedback, Survey, SurveyResponse

from .test_surveys import SATISFIED, anonymous_survey  # noqa: F401 (a fixture)


def _token() -> str:
    return str(uuid.uuid4())


def _open_to_all(survey):
    """Anyone may answer, as often as they like: a repeat is not refused by the survey."""
    Survey.objects.filter(pk=survey.pk).update(
        login_required=False, one_response_per_resident=False
    )


def test_a_double_sent_feedback_is_stored_once_and_shows_the_same_code_and_secret(
    client, commune, category
):
    url = reverse("engage:feedback_new") + f"?xa={commune.code}"
    page = client.get(url).content.decode()
    assert 'name="submission_token"' in page
    data = {"category": category.pk, "text": "Cống bị tắc ở đầu xóm.", "submission_token": _token()}
    first = client.post(url, data)
    second = client.post(url, data)
    feedback = Feedback.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    secret = client.session["engage.feedback_sent"][feedback.tracking_code]
    for _ in range(2):  # the receipt, then F5 on it
        receipt = client.get(first["Location"]).content.decode()
        assert feedback.tracking_code in receipt and secret in receipt
    assert Feedback.objects.count() == 1


def test_the_feedback_receipt_is_not_shown_to_another_browser(client, commune, category):
    url = reverse("engage:feedback_new") + f"?xa={commune.code}"
    sent = client.post(url, {"category": category.pk, "text": "Đèn đường hỏng."})
    client.cookies.clear()
    assert client.get(sent["Location"]).status_code == 404


def test_a_double_sent_survey_answer_is_stored_once(client, anonymous_survey):  # noqa: F811
    _open_to_all(anonymous_survey)
    url = reverse("engage:survey_answer", args=[anonymous_survey.public_id])
    data = {**SATISFIED, "submission_token": _token()}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert "Cảm ơn bạn đã trả lời!" in second.content.decode()
    assert SurveyResponse.objects.filter(survey=anonymous_survey).count() == 1
    client.post(url, {**SATISFIED, "submission_token": _token()})  # a new form: a new answer
    assert SurveyResponse.objects.filter(survey=anonymous_survey).count() == 2


def test_a_double_submitted_announcement_is_published_once(client, official, commune):
    client.force_login(official)
    data = {
        "title": "Ra quân vệ sinh",
        "body": "Sáng chủ nhật.",
        "audience": "commune",
        "submission_token": _token(),
    }
    first = client.post(reverse("engage:announcement_new"), data)
    second = client.post(reverse("engage:announcement_new"), data)
    assert first["Location"] == second["Location"]
    assert Announcement.objects.count() == 1


def _api_twice(client, url, body, key):
    return [
        client.post(url, body, content_type="application/json", headers={"Idempotency-Key": key})
        for _ in range(2)
    ]


def test_the_feedback_api_stores_once_per_key(client, commune, category):
    key = _token()
    body = {"commune_code": commune.code, "category": category.code, "text": "Cống bị tắc."}
    first, second = _api_twice(client, "/api/engage/feedback", body, key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second[REPLAYED_HEADER] == "true"
    assert Feedback.objects.count() == 1
    other = client.post(
        "/api/engage/feedback",
        {**body, "text": "Đèn đường hỏng."},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert other.status_code == 422 and other.json()["code"] == "core.idempotency_key_reused"
    assert Feedback.objects.count() == 1


def test_the_survey_api_stores_an_answer_once_per_key(client, anonymous_survey):  # noqa: F811
    _open_to_all(anonymous_survey)
    url = f"/api/engage/surveys/{anonymous_survey.public_id}/responses"
    first, second = _api_twice(client, url, {"answers": SATISFIED}, _token())
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert SurveyResponse.objects.filter(survey=anonymous_survey).count() == 1


def test_the_announcement_api_publishes_once_per_key(client, official, commune):
    client.force_login(official)
    body = {"title": "Tiêm phòng", "body": "Thứ bảy."}
    first, second = _api_twice(client, "/api/engage/announcements", body, _token())
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert Announcement.objects.count() == 1
