"""Behind the reverse proxy, rate limits, lockouts and the audit log take the client address
from the trusted proxy's X-Forwarded-For entry only; failed sign-ins also count per account
across addresses (password spraying)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from langso.core.models import AuditEvent

LOGIN = "/dang-nhap/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def fail(client, username, **extra):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, **extra)


def test_lockouts_use_the_same_client_address_as_the_rate_limits():
    assert settings.AXES_CLIENT_IP_CALLABLE == "langso.core.ratelimit.client_address"


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(
    official, settings
):
    settings.LANGSO_TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(5):
        fail(client, official.username, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    locked = client.post(
        LOGIN,
        {"username": official.username, "password": "pw-" + official.username},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert locked.status_code == 429
    assert "Tạm khoá đăng nhập" in locked.content.decode()


def test_behind_the_proxy_the_address_it_appended_is_the_one_locked_out(official, settings):
    settings.LANGSO_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    client = Client()
    for n in range(5):
        # the attacker forges the first entry; the proxy appends the address it saw
        fail(client, official.username, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7", **proxy)
    right = {"username": official.username, "password": "pw-" + official.username}
    attacker = client.post(LOGIN, right, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert attacker.status_code == 429
    # the official at her own address, through the same proxy, is not locked out
    colleague = Client().post(LOGIN, right, HTTP_X_FORWARDED_FOR="192.0.2.10", **proxy)
    assert colleague.status_code == 302


def test_the_audit_log_records_the_address_the_proxy_saw(official, settings):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from langso.core import audit
    from langso.core.middleware import RequestContextMiddleware
    from langso.core.models import AuditAction

    def view(request):
        audit.record(actor=official, action=AuditAction.EXPORT, object_type="x")
        return HttpResponse("ok")

    settings.LANGSO_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.8"
    )
    RequestContextMiddleware(view)(request)
    assert AuditEvent.objects.get().ip_address == "203.0.113.8"
    # a proxy passing something that is no address falls back to the peer's address
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")
    RequestContextMiddleware(view)(request)
    assert AuditEvent.objects.order_by("-pk").first().ip_address == "127.0.0.1"


def test_an_account_is_locked_after_20_failures_from_20_addresses(official, settings):
    settings.LANGSO_TRUSTED_PROXY_COUNT = 0
    for n in range(20):
        # one failure per address: axes' per-address lock never triggers
        response = fail(Client(), official.username, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 200
    right = {"username": official.username, "password": "pw-" + official.username}
    refused = Client().post(LOGIN, right, REMOTE_ADDR="192.0.2.44")
    assert refused.status_code == 429
    assert "Tạm khoá đăng nhập" in refused.content.decode()
    # other accounts are not affected
    from conftest import make_user
    from langso.people.models import Role

    other = make_user("canbo2", Role.COMMUNE_OFFICIAL, official.roles.first().unit)
    ok = Client().post(LOGIN, {"username": "canbo2", "password": "pw-canbo2"})
    assert ok.status_code == 302 and other.pk


def test_fewer_failures_across_addresses_do_not_lock_the_account(official):
    for n in range(19):
        fail(Client(), official.username.upper(), REMOTE_ADDR=f"198.51.100.{n}")
    right = {"username": official.username, "password": "pw-" + official.username}
    assert Client().post(LOGIN, right, REMOTE_ADDR="192.0.2.44").status_code == 302
