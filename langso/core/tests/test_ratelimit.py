import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from langso.core import ratelimit
from langso.core.ratelimit import client_ip, rate_limit


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch, settings):
    """The limiter switched on (the test settings switch it off) with a clock under control."""
    settings.LANGSO_RATE_LIMIT_ENABLED = True
    settings.LANGSO_RATE_LIMITS = {}
    cache.clear()
    fake = FakeClock()
    monkeypatch.setattr(ratelimit, "clock", fake)
    yield fake
    cache.clear()


@rate_limit("test.scope", per_minute=3)
def view(request):
    return HttpResponse("ok")


@rate_limit("test.form", per_minute=1, methods=("POST",))
def form_view(request):
    return HttpResponse("ok")


def _get(ip="10.0.0.1", path="/x/", **extra):
    return RequestFactory().get(path, REMOTE_ADDR=ip, **extra)


def test_the_request_beyond_the_limit_is_refused_with_429_in_vietnamese(clock, db):
    assert [view(_get()).status_code for _ in range(3)] == [200, 200, 200]
    refused = view(_get())
    assert refused.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_another_address_is_not_affected(clock, db):
    for _ in range(4):
        view(_get("10.0.0.1"))
    assert view(_get("10.0.0.2")).status_code == 200


def test_the_window_resets_after_a_minute(clock, db):
    clock.now = 1_800_000_000.0 - (1_800_000_000.0 % 60) + 10  # 10 s into a window
    for _ in range(3):
        view(_get())
    refused = view(_get())
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    clock.now += 49
    assert view(_get()).status_code == 429
    clock.now += 1
    assert view(_get()).status_code == 200


def test_the_api_gets_a_json_answer_with_a_stable_code(clock, db):
    for _ in range(3):
        view(_get(path="/api/x"))
    refused = view(_get(path="/api/x"))
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    import json

    body = json.loads(refused.content)
    assert body["code"] == "core.rate_limited"
    assert "thử lại sau" in body["detail"]


def test_settings_override_a_scope_limit_and_zero_switches_it_off(clock, settings, db):
    settings.LANGSO_RATE_LIMITS = {"test.scope": 1}
    assert view(_get()).status_code == 200
    assert view(_get()).status_code == 429
    settings.LANGSO_RATE_LIMITS = {"test.scope": 0}
    assert view(_get()).status_code == 200


def test_only_the_given_methods_are_counted(clock, db):
    factory = RequestFactory()
    for _ in range(5):
        assert form_view(factory.get("/f/", REMOTE_ADDR="10.0.0.1")).status_code == 200
    assert form_view(factory.post("/f/", REMOTE_ADDR="10.0.0.1")).status_code == 200
    assert form_view(factory.post("/f/", REMOTE_ADDR="10.0.0.1")).status_code == 429


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.LANGSO_TRUSTED_PROXY_COUNT = 0
    request = _get("10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


def test_behind_one_trusted_proxy_the_address_it_saw_is_used(settings):
    settings.LANGSO_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it really saw.
    request = _get("127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(_get("127.0.0.1")) == "127.0.0.1"


def test_the_limiter_is_off_when_disabled(settings, clock, db):
    settings.LANGSO_RATE_LIMIT_ENABLED = False
    assert all(view(_get()).status_code == 200 for _ in range(10))


def test_the_login_page_is_limited_per_address_on_post(clock, client, db):
    for _ in range(20):
        client.post("/dang-nhap/", {"username": "ai", "password": "sai"})
    refused = client.post("/dang-nhap/", {"username": "ai", "password": "sai"})
    assert refused.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu" in refused.content.decode()
    assert client.get("/dang-nhap/").status_code == 200  # the page itself still shows
    # (another user name: 20 failures for "ai" also locked that account, langso/core/lockout.py)
    other = client.post(
        "/dang-nhap/", {"username": "khac", "password": "sai"}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code != 429
