"""The error pages a person meets: in Vietnamese (English by the switch), with a way home,
never Django's English defaults; under /api/ the API's JSON error shape."""

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as project_urls
from langso.core import error_pages


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _bad(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("bad")


urlpatterns = [
    path("boom/", _boom),
    path("api/boom/", _boom),
    path("forbidden/", _forbidden),
    path("bad/", _bad),
    *project_urls,
]
handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error


@pytest.fixture
def client_no_raise():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_an_unknown_page_is_a_vietnamese_404_with_a_way_home(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert 'href="/"' in page
    assert "Not Found" not in page and "The requested resource" not in page


@pytest.mark.django_db
def test_the_404_follows_the_language_switch(client):
    client.cookies["django_language"] = "en"
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_api_path_answers_json(client):
    response = client.get("/api/khong-co/")
    assert response.status_code == 404
    assert response.json()["code"] == "core.not_found"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_is_a_vietnamese_page_without_details(client_no_raise):
    response = client_no_raise.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Đã có lỗi ở máy chủ" in page
    assert "RuntimeError" not in page and "a bug" not in page and "Traceback" not in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_under_the_api_is_json(client_no_raise):
    response = client_no_raise.get("/api/boom/")
    assert response.status_code == 500
    assert response.json()["code"] == "core.server_error"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_forbidden_and_bad_request_pages_are_vietnamese(client_no_raise):
    forbidden = client_no_raise.get("/forbidden/")
    assert forbidden.status_code == 403
    assert "Không có quyền truy cập" in forbidden.content.decode()
    bad = client_no_raise.get("/bad/")
    assert bad.status_code == 400
    assert "Yêu cầu không hợp lệ" in bad.content.decode()


@pytest.mark.django_db
def test_a_refused_csrf_token_says_to_reload_in_vietnamese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in page
    assert "CSRF verification failed" not in page


def test_the_500_page_survives_a_broken_template(monkeypatch, rf):
    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(error_pages.loader, "render_to_string", broken)
    response = error_pages.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Đã có lỗi ở máy chủ" in response.content.decode()


def test_the_demo_shows_the_vietnamese_404_not_djangos_debug_page(tmp_path):
    """The demo's settings (config.settings.local) keep debug off unless DEBUG=1."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "r = Client().get('/khong-co-trang-nay/')\n"
        "css = Client().get('/static/langso/base.css')\n"
        "print(settings.DEBUG, r.status_code, 'URLconf' in r.content.decode(),"
        " 'Không tìm thấy trang' in r.content.decode(), css.status_code)\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", LANGSO_VAR_DIR=str(tmp_path))
    done = subprocess.run(  # noqa: S603 - the project's own settings in a child process
        [sys.executable, "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.split()[-5:] == ["False", "404", "False", "True", "200"], done.stderr[-2000:]


def _refused(request):
    from langso.core.exceptions import DomainError

    class NotYours(DomainError):
        code = "core.not_yours"
        http_status = 403

    raise NotYours("Hồ sơ này không thuộc xã của bạn.")


urlpatterns.insert(0, path("refused/", _refused))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_domain_error_a_view_lets_through_is_a_page_with_its_message_and_status(
    client_no_raise,
):
    response = client_no_raise.get("/refused/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Hồ sơ này không thuộc xã của bạn." in page
    assert 'data-code="core.not_yours"' in page
