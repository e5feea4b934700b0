"""Production hygiene: no console e-mail in production, no personal data in any log line."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

from langso.core.logprivacy import PersonalDataFilter, axes_client_str, redact
from langso.core.observability import JsonFormatter

ROOT = Path(__file__).resolve().parents[3]
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _deploy_ids():
    return {m.id for m in run_checks(include_deployment_checks=True)}


@pytest.mark.parametrize("backend", [CONSOLE, "django.core.mail.backends.filebased.EmailBackend"])
def test_check_deploy_refuses_an_email_backend_that_writes_messages_to_the_logs(backend):
    with override_settings(EMAIL_BACKEND=backend):
        assert "langso.E001" in _deploy_ids()
        with pytest.raises(SystemCheckError, match=r"langso\.E001"):
            call_command("check", "--deploy", "--fail-level", "ERROR")


def test_check_deploy_accepts_smtp_and_development_checks_keep_the_console():
    with override_settings(EMAIL_BACKEND=SMTP):
        assert "langso.E001" not in _deploy_ids()
    with override_settings(EMAIL_BACKEND=CONSOLE):
        assert "langso.E001" not in {m.id for m in run_checks()}  # only with --deploy


def test_production_settings_send_email_through_smtp_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_SETTINGS"))}
    env.update(
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="example.org",
        REDIS_URL="redis://127.0.0.1:6379/1",
        EMAIL_HOST="smtp.tinh.gov.vn",
        EMAIL_PORT="465",
        EMAIL_USE_SSL="1",
        EMAIL_HOST_USER="langso",
    )
    code = (
        "import json, config.settings.production as s; print(json.dumps([s.EMAIL_BACKEND,"
        " s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_SSL, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER]))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [SMTP, "smtp.tinh.gov.vn", 465, True, False, "langso"]


def test_the_smtp_settings_are_documented_for_production():
    doc = (ROOT / "docs" / "production.md").read_text()
    for name in (
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "DEFAULT_FROM_EMAIL",
        "langso.E001",
    ):
        assert f"`{name}`" in doc, name


# --- logs ------------------------------------------------------------------------------------


def test_redact_removes_addresses_phones_ids_and_url_secrets_and_keeps_the_rest():
    line = (
        "to an.nguyen@example.gov.vn, 0912345678 and +84987654321, CCCD 001203004567, "
        "GET /engage/unsubscribe/AbC.dEf-123:xyz/ ?code=HS-1&secret=K7Q2M9 token=abc"
    )
    clean = redact(line)
    for secret in (
        "an.nguyen@",
        "0912345678",
        "987654321",
        "001203004567",
        "AbC.dEf",
        "K7Q2M9",
        "=abc",
    ):
        assert secret not in clean, secret
    assert "/engage/unsubscribe/[redacted]/" in clean and "code=HS-1" in clean
    # ids that are not personal data survive: a GTIN, a receipt code, a duration
    assert redact("GTIN 08938503000017 HS-2026-000123 in 6.3 ms") == (
        "GTIN 08938503000017 HS-2026-000123 in 6.3 ms"
    )


def test_redact_skips_only_texts_none_of_its_patterns_would_change():
    """redact searches once before substituting (logprivacy._ANY_BUT_EMAIL): the same
    result as the five substitutions, with or without anything to redact."""
    from langso.core import logprivacy

    def five_substitutions(text):
        text = logprivacy._SECRET_PATH.sub(r"\1" + logprivacy.REDACTED, text)
        text = logprivacy._SECRET_PARAM.sub(r"\1" + logprivacy.REDACTED, text)
        text = logprivacy._EMAIL.sub("[email]", text)
        text = logprivacy._PHONE.sub("[phone]", text)
        return logprivacy._CITIZEN_ID.sub("[id]", text)

    for text in (
        "GET trace:scan 200",
        "/01/08938503000017/10/L0000001",
        "a@b.vn",
        "x 0912345678 y",
        "84912345678",
        "/unsubscribe/abc",
        "?TOKEN=1",
        "Password=x",
        "123456789012",
        "1234567890123",
        "token=abc@x.com",
    ):
        assert redact(text) == five_substitutions(text), text


def test_every_configured_log_handler_carries_the_personal_data_filter():
    assert settings.LOGGING["filters"]["personal_data"]["()"].endswith("PersonalDataFilter")
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name
    production = (ROOT / "config" / "settings" / "production.py").read_text()
    assert '"filters": ["request_id", "personal_data"]' in production
    assert any(
        isinstance(f, PersonalDataFilter) for h in logging.getLogger().handlers for f in h.filters
    ), "the running configuration lost the filter"


@pytest.fixture
def json_log():
    """A production-style handler (JSON lines, the filter) on the root logger."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield out
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_server_error_on_an_unsubscribe_link_logs_neither_the_token_nor_the_address(
    monkeypatch, json_log, caplog
):
    def broken(token):
        raise RuntimeError("SMTP refused an.nguyen@example.gov.vn")

    import importlib

    module = importlib.import_module("langso.engage.views.announcements")
    monkeypatch.setattr(module, "subscription_from_token", broken)
    token = "Zm9vYmFy.SECRET-TOKEN-42"
    with caplog.at_level(logging.INFO):
        response = Client(raise_request_exception=False).get(f"/engage/unsubscribe/{token}/")
    assert response.status_code == 500
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    errors = [line for line in lines if line["logger"] == "django.request"]
    assert errors and errors[0]["path"] == "/engage/unsubscribe/[redacted]/"
    assert "RuntimeError" in errors[0]["exception"]
    written = json_log.getvalue() + caplog.text
    assert "SECRET-TOKEN-42" not in written
    assert "an.nguyen@example.gov.vn" not in written


@pytest.mark.django_db
def test_a_failed_login_is_logged_without_the_user_name(commune, json_log, caplog):
    from conftest import make_user
    from langso.people.models import Role

    make_user("0912345678", Role.RESIDENT, commune)
    with caplog.at_level(logging.INFO, logger="axes"):
        response = Client().post(
            "/dang-nhap/", {"username": "0912345678", "password": "wrong"}, REMOTE_ADDR="10.1.2.3"
        )
    assert response.status_code == 200
    axes_lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("10.1.2.3" in line for line in axes_lines), axes_lines
    assert "0912345678" not in caplog.text + json_log.getvalue()


def test_axes_client_description_names_the_address_and_path_only():
    text = axes_client_str("an@example.org", "10.0.0.1", "Mozilla", ("/dang-nhap/",), None)
    assert text == "{ip_address: '10.0.0.1', path_info: '/dang-nhap/'}"
