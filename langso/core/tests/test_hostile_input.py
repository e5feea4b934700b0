"""Hostile bytes and sizes get a 400, 413, 414 or 422 with a Vietnamese message, never a 500
(PostgreSQL refuses a NUL in any text value, so it must not reach the database)."""

import json

import pytest

from langso.core import limits

pytestmark = pytest.mark.django_db


def _is_refused_as_invalid_characters(response):
    assert response.status_code == 400, response.content[:300]
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["code"] == "core.invalid_characters"
    assert "ký tự không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        # each of the first three was a 500 on PostgreSQL
        "/api/procedures/catalogue?q=a%00b",
        "/api/procedures/catalogue?commune_code=a%00b",
        "/procedures/?q=a%00b",
        "/api/procedures/catalogue?q=%FF%FE",
        "/procedures/?q=%C3",
        "/api/procedures/catalogue/1%00",
    ],
)
def test_a_nul_or_invalid_utf8_in_the_url_is_a_400(client, path):
    _is_refused_as_invalid_characters(client.get(path))


@pytest.mark.parametrize(
    "body",
    [
        b'{"commune_code": "05641", "category": "x", "text": "\xff\xfe hello there"}',
        b'{"commune_code": "05641", "category": "x", "text": "a\\u0000 hello there"}',
        b'{"commune_code": "05641", "category": "x", "text": "a\x00 hello there"}',
    ],
    ids=["invalid-utf8", "escaped-nul", "raw-nul"],
)
def test_a_nul_or_invalid_utf8_in_a_json_body_is_a_400(client, commune, body):
    _is_refused_as_invalid_characters(
        client.post("/api/engage/feedback", body, content_type="application/json")
    )


@pytest.mark.parametrize("body", ["text=a%00b&category=1", "text=%FF%FEabc&category=1"])
def test_a_nul_or_invalid_utf8_in_a_page_form_is_a_400(client, commune, body):
    response = client.post(
        "/engage/feedback/new/?xa=05641", body, content_type="application/x-www-form-urlencoded"
    )
    _is_refused_as_invalid_characters(response)


def test_a_nul_in_a_multipart_text_field_is_a_400(client, commune):
    response = client.post(
        "/api/procedures/dossiers", {"procedure_id": 1, "applicant_name": "A\x00"}
    )
    _is_refused_as_invalid_characters(response)


def test_a_body_over_its_routes_cap_is_refused_before_it_is_read(client, commune):
    page = client.post(
        "/engage/feedback/new/?xa=05641",
        "text=" + "a" * (limits.body_limit("/engage/") + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 413
    assert "Dữ liệu gửi lên quá lớn (tối đa 256 KB" in page.content.decode()
    api = client.post(
        "/api/engage/feedback",
        json.dumps({"text": "a" * (limits.body_limit("/api/engage/") + 1)}),
        content_type="application/json",
    )
    assert api.status_code == 413
    assert api.json()["code"] == "core.request_too_large"


def test_the_caps_are_the_longest_prefix():
    assert limits.body_limit("/gop-y/") == 256 * limits.KB
    assert limits.body_limit("/api/engage/feedback") == 1 * limits.MB
    assert limits.body_limit("/api/trace/capture") == 10 * limits.MB


def test_deeply_nested_json_is_refused_without_a_500(client, official):
    client.force_login(official)
    for path in ("/api/engage/feedback", "/api/trace/capture", "/api/monitor/dataValueSets"):
        response = client.post(path, b"[" * 100_000, content_type="application/json")
        assert response.status_code in (400, 401, 403, 422), (path, response.status_code)


def test_null_in_an_optional_api_field_is_accepted_or_a_422(client, commune):
    from langso.engage.models import FeedbackCategory

    FeedbackCategory.objects.create(commune=commune, code="moi-truong", name="Môi trường")
    base = {"commune_code": "05641", "category": "moi-truong", "text": "Cống thoát nước bị tắc."}
    for field in (
        "latitude",
        "longitude",
        "hamlet_code",
        "contact_name",
        "contact_phone",
        "publish_consent",
    ):
        response = client.post(
            "/api/engage/feedback", {**base, field: None}, content_type="application/json"
        )
        assert response.status_code in (201, 422), (field, response.status_code)


def test_a_huge_query_string_is_a_414(client):
    response = client.get("/api/procedures/catalogue", {"q": "a" * (limits.QUERY_LIMIT + 1)})
    assert response.status_code == 414
    assert response.json()["code"] == "core.query_too_long"
    assert client.get("/api/procedures/catalogue", {"q": "a" * 2000}).status_code == 200


def test_raw_bytes_that_are_not_utf8_in_the_query_are_a_400(client):
    # as a WSGI server hands them over: the raw bytes decoded as latin-1
    _is_refused_as_invalid_characters(
        client.generic("GET", "/procedures/", QUERY_STRING=b"q=\xff\xfe".decode("latin-1"))
    )
    assert client.get("/procedures/", {"q": "Đường làng"}).status_code == 200
