"""Officials' sessions end after 30 minutes idle and 12 hours in all; residents' do not."""

import pytest
from django.test import Client

from langso.people import sessions
from langso.people.models import Role


class FakeClock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now

    def advance(self, *, minutes=0, hours=0):
        self.now += minutes * 60 + hours * 3600


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(sessions, "clock", fake)
    return fake


def signed_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def log_in(user) -> Client:
    client = Client()
    response = client.post(
        "/dang-nhap/", {"username": user.username, "password": "pw-" + user.username}
    )
    assert response.status_code == 302, response.content[:300]
    return client


def test_settings_give_officials_30_minutes_idle_and_12_hours_in_all(settings):
    assert settings.LANGSO_OFFICIAL_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.LANGSO_OFFICIAL_SESSION_MAX_SECONDS == 12 * 3600
    assert "langso.people.sessions.SessionLimitMiddleware" in settings.MIDDLEWARE


def test_an_officials_session_ends_after_30_minutes_without_a_request(official, clock):
    client = log_in(official)
    clock.advance(minutes=29)
    assert signed_in(client)  # a request within the limit keeps it going
    clock.advance(minutes=29)
    assert signed_in(client)
    clock.advance(minutes=31)
    response = client.get("/procedures/ban-lam-viec/")
    assert not response.wsgi_request.user.is_authenticated
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    page = client.get(response["Location"])
    assert "Phiên làm việc đã hết hạn" in page.content.decode()


def test_an_active_officials_session_ends_12_hours_after_sign_in(official, clock):
    client = log_in(official)
    # the session itself (cookie and row) ends then too, not two weeks later
    assert 12 * 3600 - 60 < client.session.get_expiry_age() <= 12 * 3600
    for _ in range(12 * 60 // 20):
        clock.advance(minutes=20)
        assert signed_in(client)
    clock.advance(minutes=20)
    assert not signed_in(client)


@pytest.mark.parametrize("role", [Role.HEALTH_WORKER, Role.DIGITAL_TEAM_MEMBER])
def test_every_role_with_access_to_others_data_gets_the_short_session(commune, clock, role):
    from conftest import make_user

    client = log_in(make_user(f"u-{role}", role, commune))
    clock.advance(minutes=31)
    assert not signed_in(client)


def test_a_resident_stays_signed_in_on_her_phone(resident_user, clock):
    client = Client()
    response = client.post("/dang-nhap/", {"username": "nguoidan.an", "password": "pw-nguoidan"})
    assert response.status_code == 302
    clock.advance(hours=3)
    assert signed_in(client)
    clock.advance(hours=13)
    assert signed_in(client)
    assert client.session.get_expiry_age() > 7 * 24 * 3600
