"""Each limited page and endpoint refuses the request beyond its scope's limit with 429."""

import uuid

import pytest
from django.core.cache import cache

from langso.people.models import User

SCOPES = {  # scope -> (method, path, data, logged in)
    "auth.login": ("post", "/dang-nhap/", {"username": "ai", "password": "sai"}, False),
    "procedures.track": (
        "post",
        "/procedures/tra-cuu/",
        {"receipt_code": "X", "secret": "Y"},
        False,
    ),
    "procedures.submit": ("post", "/procedures/thu-tuc/999999/nop-ho-so/", {}, True),
    "engage.feedback": ("post", "/engage/feedback/new/", {}, False),
    "engage.feedback_follow": ("post", "/engage/feedback/follow/", {"code": "X"}, False),
    "engage.survey_answer": ("post", f"/engage/surveys/{uuid.uuid4()}/", {}, False),
    "society.address_lookup": ("get", "/society/dia-chi/", {"q": "Khe Cốc"}, False),
    "places.search": ("get", "/places/", {"q": "Vô Tranh"}, False),
}
API_SCOPES = {
    "procedures.track": ("/api/procedures/track", {"receipt_code": "X", "secret": "Y"}),
    "engage.feedback": (
        "/api/engage/feedback",
        {"commune_code": "00000", "category": "x", "text": "Đèn hỏng"},
    ),
    "engage.survey_answer": (f"/api/engage/surveys/{uuid.uuid4()}/responses", {"answers": {}}),
}


@pytest.fixture
def limited(settings):
    settings.LANGSO_RATE_LIMIT_ENABLED = True
    cache.clear()
    yield settings
    cache.clear()


@pytest.mark.parametrize("scope", SCOPES)
def test_each_public_page_is_limited_per_address(scope, client, limited, commune):
    method, path, data, logged_in = SCOPES[scope]
    limited.LANGSO_RATE_LIMITS = {scope: 1}
    if logged_in:
        client.force_login(User.objects.create_user("dan", password="x"))
    first = getattr(client, method)(path, data)
    assert first.status_code != 429
    refused = getattr(client, method)(path, data)
    assert refused.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    other = getattr(client, method)(path, data, REMOTE_ADDR="10.1.2.3")
    assert other.status_code != 429


@pytest.mark.parametrize("scope", API_SCOPES)
def test_each_public_endpoint_is_limited_with_a_json_answer(scope, client, limited, db):
    path, payload = API_SCOPES[scope]
    limited.LANGSO_RATE_LIMITS = {scope: 1}
    client.post(path, payload, content_type="application/json")
    refused = client.post(path, payload, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "core.rate_limited"
    assert "Retry-After" in refused
