"""Hostile input against the whole API: schemathesis reads /api/openapi.json and throws
generated requests (valid and invalid) at every operation through the WSGI application, as an
anonymous caller, as an official of the commune (session + CSRF) and as a producer's trace API
key. Every response must be a non-5xx status the operation documents, with the documented
content type and body.

Bounded and deterministic: a fixed number of examples per operation (derandomized Hypothesis,
no shrinking, no deadline), so the run costs the same on every machine and in CI.
"""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode, checks

from langso.trace.actions import create_api_key

pytestmark = pytest.mark.django_db

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
# Examples per operation; positive = fits the schema, negative = does not. The signed-in
# official gets past authentication, so most of the budget goes there.
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 3}
ANONYMOUS_EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 2}
CSRF = "hostileinputcsrftoken0123456789a"  # 32 alphanumerics: a valid unmasked CSRF secret


@pytest.fixture
def api_schema(db):
    # Django's WSGI handler closes the database connection when a request finishes; inside
    # the test's transaction that would drop it (PostgreSQL). Django's test Client does this too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def _run(operation, *, headers: dict, cookies: dict, examples=EXAMPLES) -> list[str]:
    """Feed one operation its generated cases; return its failures (the first per mode)."""
    failures: list[str] = []
    for mode, count in examples.items():
        failure = _run_mode(operation, mode, count, headers=headers, cookies=cookies)
        if failure:
            failures.append(failure)
    return failures


def _run_mode(operation, mode, count, *, headers: dict, cookies: dict) -> str | None:
    found: list[str] = []

    @hypothesis.settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        # identity: the checks read the body as sent (GZipMiddleware would compress it)
        response = case.call(headers={**headers, "Accept-Encoding": "identity"}, cookies=cookies)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports all
            found.append(f"{operation.label} [{mode}]: {exc}")

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        pass  # nothing to negate: an operation without parameters or body
    return found[0] if found else None


def _assert_clean(failures: list[str]):
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(
        f[:1500] for f in failures
    )


def test_no_generated_request_breaks_the_api_for_an_anonymous_caller(api_schema, commune):
    failures = []
    for operation in _operations(api_schema):
        failures += _run(operation, headers={}, cookies={}, examples=ANONYMOUS_EXAMPLES)
    _assert_clean(failures)


def test_no_generated_request_breaks_the_api_for_a_signed_in_official(api_schema, official):
    client = Client()
    client.force_login(official)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    headers = {"X-CSRFToken": CSRF}
    failures = []
    for operation in _operations(api_schema):
        failures += _run(operation, headers=headers, cookies=cookies)
    _assert_clean(failures)


def test_no_generated_request_breaks_the_trace_api_for_an_api_key(api_schema, official, commune):
    from langso.economy.models import Producer

    producer = Producer.objects.create(name="HTX Chè Vô Tranh", commune=commune, province_code="19")
    _key, secret = create_api_key(actor=official, producer=producer, name="fuzz")
    failures = []
    for operation in _operations(api_schema):
        if operation.path.startswith("/api/trace/"):
            failures += _run(operation, headers={"Authorization": f"Bearer {secret}"}, cookies={})
    _assert_clean(failures)
