"""Adversarial input against every public page form and API operation: does any input cost
more than 10x a trivial request to the same route?

Each page without a path argument (its form's field names read from the page itself) and
each operation of the OpenAPI schema (its fields read from the schema) is sent a trivial
request (every string "x") and then each hostile input below, anonymously, signed in as a
commune official and signed in as a resident (head of a household), through Django's test
client against a migrated temporary SQLite database holding one commune, its procedures
catalogue, a feedback category, a household, and one object behind each page with a path
argument that has a form: the resident's dossier (supplement, rating), a survey, a
feedback (follow-up, official's answer), an announcement, the desk's view of the dossier. The figure
is the ratio of the median time of the hostile request to the median time of the trivial
one (same route, same run), or of the home page if that costs more: a refusal renders the
site's error page, which would otherwise look costly next to a bare redirect to the login
page. The goal is that none is above 10.

    .venv/bin/python bench/adversarial.py            # every route, prints the table
    .venv/bin/python bench/adversarial.py --only feedback --repeat 5

Hostile inputs (the long text goes into each string field in turn; the slowest counts):
  long text, no @   60,000 letters without '@' (17 s before masking was made linear),
                    under every cap on a body so that it reaches the text steps
  1 MB of digits    1,000,000 digits (past every cap on a body without files)
  deep JSON         50,000 nested arrays as the body (or as a field's value on pages)
  many fields       5,000 extra form fields / JSON keys
  huge query        a query string of 100,000 characters
  NUL byte          every string holds a NUL character
  null              every optional field of a JSON body is null
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_TMP = tempfile.mkdtemp(prefix="langso-adversarial-")
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP}/db.sqlite3"
os.environ.setdefault("LANGSO_MEDIA_ROOT", _TMP)

LONG = "a" * 60_000
DIGITS = "0" * 1_000_000
DEEP = "[" * 50_000 + "]" * 50_000
MANY = 5_000
QUERY = "a" * 100_000
COMMUNE = "05641"
SKIP_PAGES = ("/admin/", "/static/", "/media/", "/__", "/api/")
EXTRA_PAGES: list[str] = []


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from conftest import make_unit
    from langso.engage.models import FeedbackCategory
    from langso.people.models import Role, RoleAssignment, User
    from langso.places.models import Level, Structure
    from langso.procedures.actions import load_catalogue

    province = make_unit(Structure.Y2025, Level.PROVINCE, "19", "Tỉnh Thái Nguyên")
    commune = make_unit(Structure.Y2025, Level.COMMUNE, COMMUNE, "Xã Vô Tranh", province)
    load_catalogue(commune=commune)
    FeedbackCategory.objects.create(
        commune=commune, code="moi-truong", name="Môi trường", deadline_working_days=5
    )
    category = FeedbackCategory.objects.get(commune=commune)
    official = User.objects.create_user(username="canbo", is_staff=True)
    RoleAssignment.objects.create(user=official, role=Role.COMMUNE_OFFICIAL, unit=commune)
    resident = _resident(commune)
    from langso.engage.actions import create_announcement, submit_feedback
    from langso.engage.actions.surveys import install_satisfaction_survey
    from langso.procedures.actions import submit_dossier
    from langso.procedures.models import Procedure

    survey = install_satisfaction_survey(actor=official, commune=commune)
    procedure = Procedure.objects.filter(commune=commune).order_by("pk").first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    dossier = submit_dossier(
        actor=resident, procedure_id=procedure.pk, applicant_name="Nguyễn Văn An", files=[pdf]
    )
    feedback, _secret = submit_feedback(
        actor=resident, commune=commune, category=category, text="Đèn đường hỏng", contact_name="An"
    )
    announcement = create_announcement(
        actor=official, commune=commune, title="Lịch tiêm", body="Thứ Hai.", dispatch=False
    )
    # forms behind a path argument
    EXTRA_PAGES.extend(
        [
            f"/procedures/thu-tuc/{procedure.pk}/nop-ho-so/",
            f"/procedures/ho-so/{dossier.public_id}/",
            f"/procedures/ho-so/{dossier.public_id}/cap-nhat/",
            f"/procedures/ho-so/{dossier.public_id}/danh-gia/",
            f"/procedures/ban-lam-viec/ho-so/{dossier.public_id}/",
            f"/procedures/ban-lam-viec/ho-so/{dossier.public_id}/xu-ly/",
            f"/engage/surveys/{survey.public_id}/",
            f"/engage/surveys/{survey.public_id}/relevance/",
            f"/engage/feedback/sent/{feedback.tracking_code}/",
            f"/engage/feedback/manage/{feedback.tracking_code}/",
            f"/engage/announcements/{announcement.public_id}/",
        ]
    )
    return official, resident


def _resident(commune):
    from datetime import date

    from langso.people.models import Household, Relation, Resident, Role, RoleAssignment, User

    household = Household.objects.create(
        commune=commune, province_code="19", code=f"{COMMUNE}-00001", search_key="an"
    )
    head = Resident.objects.create(
        household=household,
        commune=commune,
        province_code="19",
        full_name="Nguyễn Văn An",
        sex="M",
        date_of_birth=date(1980, 5, 17),
        citizen_id="019080012345",
        relation_to_head=Relation.HEAD,
        search_key="nguyen van an",
    )
    household.head = head
    household.save(update_fields=["head"])
    user = User.objects.create_user(username="nguoidan")
    RoleAssignment.objects.create(user=user, role=Role.RESIDENT, unit=commune, household=household)
    head.user = user
    head.save(update_fields=["user"])
    return user


# -- routes ------------------------------------------------------------------------------------


def page_routes() -> list[str]:
    """Paths of pages that take no path argument."""
    from django.urls import URLPattern, URLResolver, get_resolver

    out = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                path = prefix + str(p.pattern)
                if "<" in path or "(" in path or "\\" in path:
                    continue
                path = "/" + path.lstrip("^").rstrip("$")
                if not path.startswith(SKIP_PAGES):
                    out.append(path)

    walk(get_resolver().url_patterns, "")
    return sorted(set(out)) + EXTRA_PAGES


_FIELD = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"', re.I)


def form_fields(client, path) -> list[str]:
    response = client.get(path, {"xa": COMMUNE})
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    names = _FIELD.findall(response.content.decode("utf-8", "replace"))
    return [n for n in dict.fromkeys(names) if n != "csrfmiddlewaretoken"]


def api_operations() -> list[tuple[str, str, dict]]:
    from config.api import api

    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            ops.append((method.upper(), path, op))
    return ops


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        schema = _resolve(options[0], components) if options else schema
    if "allOf" in schema and len(schema["allOf"]) == 1:
        schema = _resolve(schema["allOf"][0], components)
    return schema


def _value(schema: dict, components: dict, text: str):
    schema = _resolve(schema, components)
    kind = schema.get("type")
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("format") == "date":
        return "2026-12-01"
    if kind == "string":
        return text
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return text


# -- requests ----------------------------------------------------------------------------------


def timed(send, repeat: int) -> tuple[float, int]:
    times, status = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = send()
        times.append(time.perf_counter() - start)
        status = response.status_code
    return statistics.median(times), status


def page_cases(client, path, fields):
    """(input name, send) pairs for one page; the first is the trivial request. Bodies are
    encoded before the clock starts, so only the server's work is timed."""
    from django.test.client import BOUNDARY, encode_multipart

    trivial = {name: "x" for name in fields}
    url = f"{path}?xa={COMMUNE}"

    def post(data, content_type=None):
        if content_type:
            return lambda: client.post(url, data, content_type=content_type)
        body = encode_multipart(BOUNDARY, data)
        # an equal but distinct string: the client sends the bytes as they are
        multipart = f"multipart/form-data; boundary={BOUNDARY}"
        return lambda: client.post(url, body, content_type=multipart)

    cases = [("trivial", post(trivial))]
    cases += [(f"long text, no @ ({name})", post({**trivial, name: LONG})) for name in fields]
    cases.append(("1 MB of digits", post({**trivial, (fields or ["text"])[0]: DIGITS})))
    cases.append(("deep JSON", post({**trivial, (fields or ["text"])[0]: DEEP})))
    many = "&".join(f"f{i}=x" for i in range(MANY))
    cases.append(("many fields", post(many, "application/x-www-form-urlencoded")))
    huge = f"{path}?xa={COMMUNE}&q={QUERY}"
    cases.append(("huge query", lambda: client.get(huge)))
    cases.append(("NUL byte", post({name: "a\x00b" for name in fields} or {"text": "a\x00"})))
    return cases


def api_cases(client, method, path, op, components):
    params = op.get("parameters", [])
    url = path
    for p in params:
        if p["in"] == "path":
            value = _value(p.get("schema", {}), components, "x")
            url = url.replace("{" + p["name"] + "}", str(value))
    query = {
        p["name"]: _value(p.get("schema", {}), components, "x")
        for p in params
        if p["in"] == "query"
    }
    string_queries = [
        p["name"]
        for p in params
        if p["in"] == "query" and _resolve(p.get("schema", {}), components).get("type") == "string"
    ]
    content = op.get("requestBody", {}).get("content", {})
    kind = "json" if "application/json" in content else ("form" if content else None)
    props: dict = {}
    required: set[str] = set()
    if kind:
        body_schema = _resolve(next(iter(content.values()))["schema"], components)
        props = body_schema.get("properties", {})
        required = set(body_schema.get("required", []))
    strings = [n for n, s in props.items() if _resolve(s, components).get("type") == "string"]

    def body(text_for: dict[str, str]):
        return {n: text_for.get(n, _value(s, components, "x")) for n, s in props.items()}

    def send(data=None, raw=None, q=None):
        q = query if q is None else q
        target = url + ("?" + "&".join(f"{k}={v}" for k, v in q.items()) if q else "")
        if method == "GET":
            return lambda: client.get(target)
        if kind == "json" or raw is not None:
            payload = raw if raw is not None else json.dumps(data)
            return lambda: getattr(client, method.lower())(
                target, payload, content_type="application/json"
            )
        if kind == "form":
            return lambda: client.generic(
                method, target, _urlencode(data), "application/x-www-form-urlencoded"
            )
        return lambda: getattr(client, method.lower())(target)

    cases = [("trivial", send(body({})))]
    for name in strings:
        cases.append((f"long text, no @ ({name})", send(body({name: LONG}))))
    for name in string_queries:
        cases.append((f"long text, no @ (?{name})", send(body({}), q={**query, name: LONG[:7000]})))
    if strings:
        cases.append(("1 MB of digits", send(body({strings[0]: DIGITS}))))
    if kind:
        cases.append(("deep JSON", send(raw=DEEP) if kind == "json" else send(body({}))))
        extra = {f"f{i}": "x" for i in range(MANY)}
        cases.append(("many fields", send({**body({}), **extra})))
    cases.append(("huge query", send(body({}), q={**query, "q": QUERY})))
    optional = [n for n in props if n not in required]
    if kind == "json" and optional:
        cases.append(("null in optional fields", send({**body({}), **dict.fromkeys(optional)})))
    if strings:
        cases.append(("NUL byte", send(body({n: "a\x00b" for n in strings}))))
    return cases


def _urlencode(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data or {})


# -- main --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="routes whose path contains this text")
    parser.add_argument("--all-rows", action="store_true", help="print every row, not the top")
    args = parser.parse_args()

    started = time.perf_counter()
    official, resident = setup()
    from django.test import Client

    anonymous, signed_in, citizen = Client(), Client(), Client()
    signed_in.force_login(official)
    citizen.force_login(resident)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # allowed hosts, e-mail to memory, as in the tests
    import logging

    logging.disable(logging.CRITICAL)  # one log line per request would be timed too

    rows = []
    for who, client in (("anonymous", anonymous), ("official", signed_in), ("resident", citizen)):
        routes = []
        for path in page_routes():
            if args.only in path:
                routes.append((path, page_cases(client, path, form_fields(client, path))))
        for method, path, op in api_operations():
            full = "/api" + path if not path.startswith("/api") else path
            if args.only in full:
                from config.api import api

                components = api.get_openapi_schema().get("components", {}).get("schemas", {})
                label = f"{method} {full}"
                routes.append((label, api_cases(client, method, full, op, components)))
        home, _status = timed(lambda client=client: client.get("/"), args.repeat)
        for route, cases in routes:
            base, _status = timed(cases[0][1], args.repeat)
            base = max(base, home)
            for name, send in cases[1:]:
                elapsed, status = timed(send, args.repeat)
                rows.append((elapsed / base, name, route, who, status, elapsed))

    rows.sort(key=lambda r: -r[0])
    shown = rows if args.all_rows else rows[:40]
    print(f"{'ratio':>7}  {'ms':>8}  {'status':>6}  {'who':<9}  {'input':<34}  route")
    for ratio, name, route, who, status, elapsed in shown:
        print(
            f"{ratio:7.1f}  {elapsed * 1000:8.1f}  {status:>6}  {who:<9}  {name[:34]:<34}  {route}"
        )
    over = [r for r in rows if r[0] > 10]
    errors = [r for r in rows if r[4] >= 500]
    print(
        f"\n{len(rows)} hostile requests (x{args.repeat}) on "
        f"{len({(r[2], r[3]) for r in rows})} route-and-user pairs; "
        f"worst ratio {rows[0][0]:.1f}; over 10x: {len(over)}; 5xx: {len(errors)}; "
        f"{time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
