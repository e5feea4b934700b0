import json
import logging
from contextlib import contextmanager
from unittest import mock

from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.http import HttpResponse
from django.test import RequestFactory

from langso.core import unavailable
from langso.core.unavailable import ServiceUnavailableMiddleware

MESSAGE = "Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút."


@contextmanager
def database_down(error=OperationalError):
    """Every query fails as it does while PostgreSQL restarts."""

    def refuse(*args, **kwargs):
        raise error('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with (
        mock.patch.object(CursorWrapper, "_execute", refuse),
        mock.patch.object(CursorWrapper, "_executemany", refuse),
    ):
        yield


def test_page_answers_503_in_vietnamese_while_the_database_is_down(client, commune):
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert MESSAGE in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_api_answers_503_with_a_stable_code_while_the_database_is_down(client, commune):
    with database_down(InterfaceError):
        response = client.get("/api/places/units", {"q": "vo tranh"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "core.service_unavailable", "detail": MESSAGE}
    assert response["Retry-After"]


def test_site_serves_again_as_soon_as_the_database_is_back(client, commune):
    with database_down():
        assert client.get("/").status_code == 503
    response = client.get("/")
    assert response.status_code == 200
    assert "Xã Vô Tranh" in response.content.decode()


def test_outage_is_logged_as_one_warning_without_traceback(client, commune, caplog):
    unavailable._throttle.last = float("-inf")
    with caplog.at_level(logging.WARNING), database_down():
        for _ in range(3):
            client.get("/")
    records = [r for r in caplog.records if r.name == "langso.unavailable"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None
    assert "OperationalError" in records[0].getMessage()
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_other_errors_are_not_disguised_as_unavailable():
    middleware = ServiceUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("bug")) is None
    assert middleware.process_exception(request, OperationalError("down")).status_code == 503


def test_failure_raised_by_another_middleware_becomes_503_too():
    """A session saved on the way out fails after the view: Django turned it into a 500."""
    request = RequestFactory().get("/api/anything")

    def inner(request):
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            from django.core.signals import got_request_exception

            got_request_exception.send(sender=None, request=request)
        return HttpResponse("Server Error", status=500)

    response = ServiceUnavailableMiddleware(inner)(request)
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "core.service_unavailable"
