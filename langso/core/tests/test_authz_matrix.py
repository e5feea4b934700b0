"""The authorization matrix: every page and every API operation, for every role.

Routes are enumerated from Django's resolver and from the NinjaAPI schema; each must have a row
in authz_policy.py (test_every_route_has_a_policy_row fails otherwise, so nobody can add an
unchecked route). For each row, each role and, for routes that take an object, the object of
commune A and the object of commune B, one test requests the route and checks that:

- an allowed role is served (not 401/403/404, not sent to the login page);
- a refused role is refused (401/403/404 or a redirect to the login page) and, on a write,
  no row of the app's tables changed;
- no response shows private data of a unit the role does not belong to (the markers of
  authz_world.py), whatever the status.

The world is built once per module (per xdist worker) inside a transaction that is rolled
back at the end; each test runs in a savepoint of it.
"""

import functools
import io
import json
import os
import zipfile
from http.cookies import SimpleCookie
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from langso.core.tests import authz_policy as policy
from langso.core.tests.authz_world import MARK_VIEWERS, ROLES, build_world

SKIPPED_PREFIXES = ("admin/", "i18n/", "api/", "static/", "media/")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DENIED_STATUSES = {401, 403, 404}
WRITE_REFUSALS = {302, 400, 405, 409, 422}
PROBE = os.environ.get("AUTHZ_PROBE")  # a file: record what each role gets, assert nothing


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            if not p.name:
                yield f"<unnamed> {route}"
                continue
            yield f"{namespace}:{p.name}" if namespace else p.name


def page_routes() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


@functools.cache
def api_operations() -> dict[str, tuple[str, str]]:
    """operationId -> (method, path template)."""
    out = {}
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, op in methods.items():
            out[op["operationId"]] = (method.upper(), path)
    return out


def test_every_route_has_a_policy_row():
    pages, ops = page_routes(), set(api_operations())
    missing = sorted((pages - set(policy.PAGES)) | (ops - set(policy.API)))
    stale = sorted((set(policy.PAGES) - pages) | (set(policy.API) - ops))
    assert not missing, f"routes without a row in authz_policy.py: {missing}"
    assert not stale, f"rows of authz_policy.py for routes that no longer exist: {stale}"


def _cases():
    ops = api_operations()
    for kind, table in (("page", policy.PAGES), ("api", policy.API)):
        for key, rule in table.items():
            methods = rule.methods
            if kind == "api" and key in ops:
                methods = (ops[key][0],)
            sides = ("a", "b") if rule.params or rule.url or callable(rule.query) else ("-",)
            for method in methods:
                for side in sides:
                    for role in ROLES:
                        yield pytest.param(
                            kind, key, method, side, role, id=f"{key}-{method}-{side}-{role}"
                        )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    signing = tmp_path_factory.mktemp("authz-signing")
    with (
        override_settings(
            LANGSO_SIGNING_MODE="demo",
            LANGSO_SIGNING_DIR=str(signing),
            LANGSO_TRUST_ROOTS=[],
            LANGSO_FIGURE_PROVIDERS=["langso.monitor.tests.fake_figures"],
        ),
        django_db_blocker.unblock(),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            # One session per role, made here so that it outlives each test's savepoint (a
            # test that logs out or renews the key changes only rows that are rolled back).
            world.clients = {}
            world.sessions = {}
            for role, user in world.users.items():
                client = Client()
                if user is not None:
                    client.force_login(user)
                    world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
                world.clients[role] = client
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _resolve(spec, objects):
    """'household.pk' -> objects['household'].pk; a callable gets the objects dict."""
    if callable(spec):
        return spec(objects)
    name, *attrs = spec.split(".")
    value = objects[name]
    for attr in attrs:
        value = getattr(value, attr)
    return value


def _url(kind, key, rule, side_objects):
    if rule.url:
        return rule.url(side_objects)
    kwargs = {k: _resolve(v, side_objects) for k, v in rule.params.items()}
    if kind == "page":
        path = reverse(key, kwargs=kwargs)
    else:
        path = api_operations()[key][1]
        for k, v in kwargs.items():
            path = path.replace("{" + k + "}", str(v))
    query = rule.query(side_objects) if callable(rule.query) else rule.query
    return path + (query or "")


def _snapshot(app_labels):
    """Every row of the apps' tables, as the database holds it (raw SQL: this runs twice for
    each write of the matrix, and the ORM's row building was most of the test's time)."""
    rows = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label in app_labels:
            for model in apps.get_app_config(label).get_models():
                columns = ", ".join(
                    quote(f.column)
                    for f in model._meta.concrete_fields
                    if f.attname != "last_login"
                )
                cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)}")  # noqa: S608
                rows[model._meta.label] = sorted(map(repr, cursor.fetchall()))
    return rows


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303):
        return False
    return urlparse(response["Location"]).path == resolve_url(settings.LOGIN_URL)


def _body(response) -> str:
    """The response as text; an XLSX (zip) is searched through its XML parts. PDFs are
    compressed and not searched."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            content = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "key", "method", "side", "role"), list(_cases()))
def test_role_access(world, kind, key, method, side, role):
    table = policy.PAGES if kind == "page" else policy.API
    rule = table[key]
    side_obj = world.b if side == "b" else world.a
    url = _url(kind, key, rule, side_obj.objects)
    allowed = role in rule.allowed_for(side)

    client = world.clients[role]
    client.cookies = SimpleCookie()  # what a previous test's response set is forgotten
    if role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    before = _snapshot(rule.snapshot_apps(kind, key)) if method in WRITE_METHODS else None
    data = rule.payload(side_obj.objects) if callable(rule.payload) else rule.payload
    if kind == "api" and method in WRITE_METHODS and not rule.form:
        response = client.generic(
            method, url, json.dumps(data or {}), content_type="application/json"
        )
    elif method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data or {})
    status = response.status_code
    body = _body(response)
    where = f"{method} {url} as {role}: {status}"
    if PROBE:
        leaks = [m for m, v in MARK_VIEWERS.items() if role not in v and m in body]
        if before is not None and _snapshot(rule.snapshot_apps(kind, key)) != before:
            leaks.append("CHANGED")
        with open(PROBE, "a") as fh:
            fh.write(
                json.dumps(
                    [
                        kind,
                        key,
                        method,
                        side,
                        role,
                        status,
                        _is_login_redirect(response),
                        leaks,
                        allowed,
                    ]
                )
                + "\n"
            )
        return

    if allowed:
        assert status not in DENIED_STATUSES and not _is_login_redirect(response), (
            f"{where} (expected allowed)\n{body[:500]}"
        )
        assert status < 500, f"{where}\n{body[:2000]}"
        if rule.changes and before is not None:
            assert _snapshot(rule.snapshot_apps(kind, key)) != before, (
                f"{where} changed nothing (the refusal check of this row would be vacuous)"
            )
    else:
        refused = status in DENIED_STATUSES or _is_login_redirect(response)
        if method in WRITE_METHODS:
            # A write may also be refused by a redirect back with a message (302) or by
            # validation before any data is touched; what matters is that no row changed.
            refused = refused or status in WRITE_REFUSALS
        assert refused, f"{where} (expected refused)\n{body[:500]}"
        if before is not None:
            assert _snapshot(rule.snapshot_apps(kind, key)) == before, f"{where} changed rows"
    for mark, viewers in MARK_VIEWERS.items():
        if role not in viewers:
            assert mark not in body, f"{where} shows {mark} (private data of another unit)"
