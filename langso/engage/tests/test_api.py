import pytest

from langso.engage import actions
from langso.engage.models import Announcement, Subscription


@pytest.fixture
def open_survey(commune, official):
    s = actions.create_survey(
        actor=official,
        commune=commune,
        title="Ý kiến về chợ",
        questions=[
            {
                "name": "di_cho",
                "label": "Đi chợ mấy lần/tuần?",
                "qtype": "integer",
                "required": True,
                "constraint": ". >= 0 and . <= 14",
            }
        ],
    )
    return actions.open_survey(actor=official, survey=s)


def test_public_announcements_api_lists_published_items(client, commune, official):
    actions.create_announcement(
        actor=official, commune=commune, title="Lịch họp", body="Họp ngày 5.", dispatch=False
    )
    data = client.get("/api/engage/announcements", {"commune": "05641"}).json()
    assert [d["title"] for d in data] == ["Lịch họp"]
    assert data[0]["commune_code"] == "05641" and data[0]["audience"] == "commune"


def test_officials_publish_through_the_api_and_others_are_refused(
    client, commune, official, resident_user
):
    client.force_login(official)
    ok = client.post(
        "/api/engage/announcements",
        {"title": "Tiêm phòng", "body": "Thứ bảy."},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["title"] == "Tiêm phòng"
    client.force_login(resident_user)
    refused = client.post(
        "/api/engage/announcements", {"title": "X", "body": "Y"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "engage.not_allowed"
    client.logout()
    assert (
        client.post(
            "/api/engage/announcements",
            {"title": "X", "body": "Y"},
            content_type="application/json",
        ).status_code
        == 401
    )
    assert Announcement.objects.count() == 1


def test_delivery_states_api_is_for_the_communes_officials(
    client, commune, official, other_official, household
):
    actions.save_subscription(
        actor=official, resident=household.head, by_email=False, by_sms=True, by_zalo=False
    )
    item = actions.create_announcement(
        actor=official, commune=commune, title="A", body="B", dispatch=False
    )
    url = f"/api/engage/announcements/{item.public_id}/deliveries"
    client.force_login(official)
    rows = client.get(url).json()
    assert rows == [
        {
            "resident": "Nguyễn Văn An",
            "channel": "sms",
            "address": "0912345678",
            "state": "queued",
            "attempts": 0,
            "last_error": "",
            "sent_at": None,
            "simulated": False,
        }
    ]
    client.force_login(other_official)
    assert client.get(url).status_code == 404


def test_residents_manage_their_subscription_through_the_api(client, resident_user, household):
    client.force_login(resident_user)
    assert client.get("/api/engage/subscription").status_code == 404
    response = client.put(
        "/api/engage/subscription", {"by_zalo": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["by_zalo"] is True and response.json()["phone"] == "0912345678"
    assert Subscription.objects.get(resident=household.head).channels() == ["zalo"]


def test_survey_api_answers_and_reports_errors(
    client, open_survey, resident_user, official, other_official
):
    url = f"/api/engage/surveys/{open_survey.public_id}"
    assert client.get(url).json()["questions"][0]["name"] == "di_cho"
    assert (
        client.post(
            url + "/responses", {"answers": {"di_cho": "3"}}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(resident_user)
    bad = client.post(
        url + "/responses", {"answers": {"di_cho": "30"}}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "engage.invalid_answers"
    ok = client.post(
        url + "/responses", {"answers": {"di_cho": "3"}}, content_type="application/json"
    )
    assert ok.status_code == 201
    again = client.post(
        url + "/responses", {"answers": {"di_cho": "3"}}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "engage.survey_already_answered"
    client.force_login(official)
    results = client.get(url + "/results").json()
    assert results["total"] == 1 and results["questions"][0]["stats"]["mean"] == 3
    client.force_login(other_official)
    assert client.get(url + "/results").status_code == 404
