"""CSRF on every form: each POST form in the templates carries the token, and every view the
URL resolver knows refuses a POST without one (403), except the few exempt on purpose, each
listed here with its reason."""

import json
import re
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

from langso.procedures.models import Procedure

ROOT = Path(settings.BASE_DIR) / "langso"
TEMPLATES = sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))

# Views exempt from Django's CSRF check, and why. A new exemption fails the test below until
# it is listed here with its reason.
CSRF_EXEMPT = {
    # The NinjaAPI view: langso.core.middleware.ApiCsrfMiddleware checks CSRF for every write
    # made with a signed-in session; API-key and anonymous calls carry no ambient credential.
    "api",
}


def _post_forms(text: str):
    for match in re.finditer(r"<form\b[^>]*>.*?</form>", text, flags=re.DOTALL | re.IGNORECASE):
        form = match.group(0)
        if re.search(r"method=[\"']?post", form[: form.index(">")], flags=re.IGNORECASE):
            yield form


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_post_form_in_a_template_carries_the_csrf_token(template):
    for form in _post_forms(template.read_text(encoding="utf-8")):
        assert "{% csrf_token %}" in form, form[:200]


def _routes(patterns=None, namespace=""):
    """(route name, sample kwargs, view) for every named, route-style URL."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "api/")):
                continue  # Django's admin has its own tests; the API: see CSRF_EXEMPT
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            if not isinstance(entry.pattern, RoutePattern):
                continue  # the GS1 Digital Link scan paths (regex) are GET-only, tested in trace
            kwargs = {}
            for key, converter in entry.pattern.converters.items():
                if isinstance(converter, IntConverter):
                    kwargs[key] = 1
                elif isinstance(converter, UUIDConverter):
                    kwargs[key] = uuid.uuid4()
                else:
                    kwargs[key] = "x"
            if any(
                not isinstance(c, IntConverter | UUIDConverter) and not re.fullmatch(c.regex, "x")
                for c in entry.pattern.converters.values()
            ):
                continue  # a compressed GS1 Digital Link: GET-only, tested in trace
            kwargs.update(entry.default_args or {})
            kwargs = {k: v for k, v in kwargs.items() if k in entry.pattern.converters}
            yield f"{namespace}{entry.name}", kwargs, entry.callback


def test_no_view_is_csrf_exempt_without_a_stated_reason():
    exempt = {name for name, _kwargs, view in _routes() if getattr(view, "csrf_exempt", False)}
    assert exempt <= CSRF_EXEMPT, f"exempt without a reason in CSRF_EXEMPT: {exempt - CSRF_EXEMPT}"


def test_the_api_checks_csrf_for_a_signed_in_session(official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    response = client.post("/api/engage/announcements", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "core.csrf_failed"


CSRF_SECRET = "apicsrftestsecret0123456789abcde"  # 32 alphanumerics: a valid unmasked secret
NEW_PROCEDURE = {"code": "9.1", "name": "Thủ tục CSRF", "field": "ho_tich", "processing_time": 1}


def _catalogue_post(client, content_type, **headers):
    body = NEW_PROCEDURE
    if content_type != "application/json":
        body = json.dumps(NEW_PROCEDURE) if content_type == "text/plain" else urlencode(body)
    return client.post("/api/procedures/catalogue", body, content_type=content_type, **headers)


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "application/x-www-form-urlencoded"]
)
def test_a_session_write_to_the_api_without_the_token_is_refused_whatever_its_type(
    official, content_type
):
    # the procedures API authenticates by reading request.user itself (no ninja auth), which
    # ninja's own CSRF check never saw: a cross-site form could create a procedure.
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    response = _catalogue_post(client, content_type)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "core.csrf_failed"
    assert "CSRF" in response.json()["detail"]
    assert not Procedure.objects.filter(code="9.1").exists()


def test_a_session_write_with_the_token_goes_through(official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    client.cookies["csrftoken"] = CSRF_SECRET
    response = _catalogue_post(client, "application/json", HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert response.status_code == 201, response.content
    assert Procedure.objects.filter(code="9.1", name="Thủ tục CSRF").exists()


def test_a_wrong_token_is_refused(official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    client.cookies["csrftoken"] = CSRF_SECRET
    response = _catalogue_post(client, "application/json", HTTP_X_CSRFTOKEN="x" * 32)
    assert response.status_code == 403 and response.json()["code"] == "core.csrf_failed"


def test_an_anonymous_api_write_needs_no_token(db):
    # no session, no ambient credential: public endpoints keep working for plain clients
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/procedures/track", {}, content_type="application/json")
    assert response.status_code != 403


def test_reads_through_a_session_need_no_token(official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    assert client.get("/api/procedures/dossiers").status_code == 200


def test_every_view_refuses_a_post_without_the_csrf_token(official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    checked = []
    for name, kwargs, view in _routes():
        if getattr(view, "csrf_exempt", False):
            continue
        path = reverse(name, kwargs=kwargs)
        response = client.post(path, {"x": "1"})
        assert response.status_code == 403, (name, path, response.status_code)
        assert b"core.csrf_failed" in response.content, (name, path)  # the page or the JSON code
        checked.append(name)
    # the forms that matter most are among them
    for name in (
        "login",
        "logout",
        "procedures:submit",
        "procedures:desk_act",
        "documents:sign",
        "economy:producer_new",
        "engage:feedback_new",
    ):
        assert name in checked, name
