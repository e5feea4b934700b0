import gzip
import os
import subprocess
import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from ninja import Schema

from config.api import API_APPS
from langso.people.models import User

ROOT = Path(__file__).resolve().parents[3]


def test_home_page_speaks_vietnamese_by_default(client, commune):
    page = client.get("/").content.decode()
    assert '<html lang="vi">' in page
    assert "Xã Vô Tranh" in page
    assert "Đăng nhập" in page


def test_home_page_switches_to_english_on_request(client, commune):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_home_page_with_all_its_assets_weighs_under_60_kb_compressed(client, commune):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    body = response.content
    total = len(body if response.get("Content-Encoding") == "gzip" else gzip.compress(body))
    html = (
        gzip.decompress(body).decode()
        if response.get("Content-Encoding") == "gzip"
        else (body.decode())
    )
    import re

    for asset in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        path = finders.find(asset)
        assert path, asset
        total += len(gzip.compress(Path(path).read_bytes()))
    assert total <= 60 * 1024, total


def test_health_and_readiness_endpoints_answer(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "worker": "not-used",
    }


def test_openapi_document_and_interactive_docs_are_served(client, db):
    spec = client.get("/api/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["info"]["title"] == "Làng Số API"
    assert client.get("/api/docs").status_code == 200


def test_every_api_operation_documents_the_refusals_middleware_answers_for_it(client, db):
    operations = [
        operation
        for methods in client.get("/api/openapi.json").json()["paths"].values()
        for operation in methods.values()
    ]
    for status in ("400", "413", "414"):
        assert all(status in operation["responses"] for operation in operations), status
    response = client.get("/api/procedures/catalogue?q=" + "a" * 9000)
    assert response.status_code == 414
    assert set(response.json()) == {"code", "detail"}


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document names each body schema by its class name: two different schemas
    of one name collapse into one, and the API's own document misdescribes one of them (the
    procedures' DossierOut was published as the OCOP one)."""
    shapes: dict[str, dict[type, dict]] = {}
    for app in API_APPS:
        for name in ("schemas", "api"):
            if find_spec(f"langso.{app}.{name}") is None:
                continue
            for value in vars(import_module(f"langso.{app}.{name}")).values():
                if isinstance(value, type) and issubclass(value, Schema) and value is not Schema:
                    shapes.setdefault(value.__name__, {})[value] = value.model_json_schema()
    clashes = {
        name: sorted(cls.__module__ for cls in found)
        for name, found in shapes.items()
        if len({repr(shape) for shape in found.values()}) > 1
    }
    assert not clashes


@pytest.mark.django_db
def test_login_is_locked_after_five_wrong_passwords(client):
    User.objects.create_user(username="canbo", password="dung-mat-khau-123")
    for _ in range(5):
        client.post(reverse("login"), {"username": "canbo", "password": "sai"})
    response = client.post(reverse("login"), {"username": "canbo", "password": "dung-mat-khau-123"})
    assert response.status_code == 429
    assert "Tạm khoá đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_wrong_password_shows_a_vietnamese_error_and_a_right_one_logs_in(client):
    User.objects.create_user(username="canbo", password="dung-mat-khau-123")
    page = client.post(reverse("login"), {"username": "canbo", "password": "sai"})
    assert "mật khẩu chính xác" in page.content.decode()
    response = client.post(reverse("login"), {"username": "canbo", "password": "dung-mat-khau-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def _run_production(extra_env: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **extra_env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_production({"ALLOWED_HOSTS": "langso.example.vn"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-1234",
    "ALLOWED_HOSTS": "langso.example.vn",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def _self_signed_root(path: Path) -> Path:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test national root")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_production_settings_pass_the_deployment_checklist_without_warnings(tmp_path):
    root = _self_signed_root(tmp_path / "national-root-ca.pem")
    result = _run_production(
        {
            **PRODUCTION_ENV,
            "LANGSO_SIGNING_PKCS12": "/etc/langso/signing/{code}.p12",
            "LANGSO_SIGNING_PASSPHRASE": "from-the-secret-store",
            "LANGSO_TRUST_ROOTS": str(root),
        },
        "check",
        "--deploy",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_the_deployment_checklist_warns_while_documents_use_the_demo_ca():
    result = _run_production(PRODUCTION_ENV, "check", "--deploy")
    assert "documents.W001" in result.stdout + result.stderr


def test_a_browser_set_to_english_still_gets_vietnamese_until_the_switch_is_used(client, commune):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page
