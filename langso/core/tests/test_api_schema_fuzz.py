"""Hostile input against the whole API, on the demo data: schemathesis reads
/api/openapi.json and throws generated requests (valid and invalid) at every operation
through the WSGI application, as an anonymous caller, as a commune official and as a
resident (both signed in with a session and its CSRF token), and at the trace API with a
producer's API key. Every response must be a non-5xx status the operation documents, with
the documented content type and body.

Path parameters are either generated or taken from the demo data (a real dossier, survey,
household...), so valid requests reach the code behind the lookups, not only the 404.

Bounded and deterministic: a fixed number of examples per operation and identity
(derandomized Hypothesis, no shrinking, no deadline), so the run costs the same on every
machine and in CI. Each run prints its counts in the summary ("figures").
"""

import io
from collections import Counter
from dataclasses import dataclass, field

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

from langso.people.models import Household, Resident, User
from langso.site.demo import prepare_demo
from langso.trace.actions import create_api_key
from langso.trace.models import Batch

pytestmark = pytest.mark.django_db

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
# Examples per operation and identity: invalid ones (that do not fit the schema) first, then
# valid ones for the rest. An operation that cannot be sent invalid input (only free-text path
# parameters) gets valid ones only; one without any input has a single distinct request.
EXAMPLES = 25
INVALID_EXAMPLES = 10
CSRF = "hostileinputcsrftoken0123456789a"  # 32 alphanumerics: a valid unmasked CSRF secret
DEMO_HOUSEHOLDS = 12


@dataclass
class Tally:
    """What one identity's run did, printed in the test session's summary."""

    identity: str
    cases: Counter = field(default_factory=Counter)  # per generation mode
    per_operation: dict[str, int] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)  # "2xx", "4xx", "5xx"
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        total = sum(self.cases.values())
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items()))
        fewer = sorted(f"{op} {n}" for op, n in self.per_operation.items() if n < EXAMPLES)
        return (
            f"schemathesis, {self.identity}: {len(self.per_operation)} operations, "
            f"{total} cases ({self.cases[GenerationMode.POSITIVE]} valid, "
            f"{self.cases[GenerationMode.NEGATIVE]} invalid); "
            f"{len(self.per_operation) - len(fewer)} operations with {EXAMPLES} cases"
            + (f", fewer distinct inputs: {'; '.join(fewer)}" if fewer else "")
            + f"; responses {statuses or 'none'}; failures {len(self.failures)}"
        )


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


@pytest.fixture
def demo(province, commune):
    """The demo installation of Vô Tranh (every app's demo data, a few households)."""
    prepare_demo(stdout=io.StringIO(), households=DEMO_HOUSEHOLDS)
    return commune


def _real_path_parameters(commune) -> dict[str, list[dict]]:
    """Path parameters of existing demo objects, per operation path: valid requests then
    reach the object, not just the 404."""
    from langso.documents.models import Document
    from langso.economy.models import Demand, OcopDossier, Producer, Product
    from langso.engage.models import Announcement, Feedback, Survey
    from langso.procedures.models import Dossier, Procedure
    from langso.society.models import DigitalAddress, MapLayer, Station
    from langso.trace.models import CaptureJob

    def ids(queryset, name, column="public_id", limit=3):
        return [
            {name: str(v)} for v in queryset.order_by("pk").values_list(column, flat=True)[:limit]
        ]

    resident = Resident.objects.filter(user__username="nguoidan.votranh").first()
    residents = [
        {"resident_id": r.pk}
        for r in [
            resident,
            Resident.objects.exclude(pk=resident.pk if resident else None).order_by("pk").first(),
        ]
        if r
    ]
    unit = {"structure": commune.structure, "level": commune.level, "code": commune.code}
    return {
        "/api/people/households/{household_id}": ids(Household.objects.all(), "household_id", "pk"),
        "/api/people/residents/{resident_id}": residents,
        "/api/people/residents/{resident_id}/reveal": residents,
        "/api/society/health/{resident_id}/fhir": residents,
        "/api/places/units/{structure}/{level}/{code}": [unit],
        "/api/places/units/{structure}/{level}/{code}/successors": [unit],
        "/api/places/units/{structure}/{level}/{code}/predecessors": [unit],
        "/api/places/communes/{code}/hamlets": [{"code": commune.code}],
        "/api/procedures/catalogue/{procedure_id}": ids(
            Procedure.objects.all(), "procedure_id", "pk"
        ),
        "/api/procedures/dossiers/{public_id}": ids(Dossier.objects.all(), "public_id"),
        "/api/documents/{public_id}": ids(Document.objects.all(), "public_id"),
        "/api/documents/lookup/{code}": ids(Document.objects.all(), "code", "public_id"),
        "/api/economy/products/{public_id}": ids(Product.objects.all(), "public_id"),
        "/api/economy/producers/{public_id}": ids(Producer.objects.all(), "public_id"),
        "/api/economy/demands/{public_id}": ids(Demand.objects.all(), "public_id"),
        "/api/economy/ocop/dossiers/{public_id}": ids(OcopDossier.objects.all(), "public_id"),
        "/api/trace/capture/{capture_id}": ids(
            CaptureJob.objects.all(), "capture_id", "capture_id"
        ),
        "/api/society/layers/{slug}.geojson": ids(MapLayer.objects.all(), "slug", "slug"),
        "/api/society/addresses/{code}": ids(DigitalAddress.objects.all(), "code", "code"),
        "/api/society/stations/{code}": ids(Station.objects.all(), "code", "code"),
        "/api/engage/announcements/{public_id}": ids(Announcement.objects.all(), "public_id"),
        "/api/engage/surveys/{public_id}": ids(Survey.objects.all(), "public_id"),
        "/api/engage/feedback/{code}": ids(Feedback.objects.all(), "code", "tracking_code"),
    }


def _reals_for(path: str, reals: dict[str, list[dict]]) -> list[dict]:
    """The real values for an operation's path: the longest registered prefix."""
    best = ""
    for prefix in reals:
        if (path == prefix or path.startswith(prefix + "/")) and len(prefix) > len(best):
            best = prefix
    return reals.get(best, [])


@dataclass
class Identity:
    tally: Tally
    headers: dict
    cookies: dict
    only: str = "/api/"  # the operations it calls


def _fuzz(schema, identities: list[Identity], reals: dict[str, list[dict]]):
    """Generate each operation's cases once and send every case as each identity."""
    for result in schema.get_all_operations():
        operation = result.ok()
        callers = [i for i in identities if operation.path.startswith(i.only)]
        if not callers:
            continue
        choices = _reals_for(operation.path, reals) if operation.path_parameters else []
        invalid = _fuzz_mode(operation, GenerationMode.NEGATIVE, INVALID_EXAMPLES, callers, choices)
        valid = _fuzz_mode(operation, GenerationMode.POSITIVE, EXAMPLES - invalid, callers, choices)
        for caller in callers:
            caller.tally.per_operation[operation.label] = invalid + valid


def _fuzz_mode(operation, mode, count, callers: list[Identity], choices) -> int:
    found: dict[str, str] = {}
    ran = 0

    @hypothesis.settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        real=st.sampled_from([None, *choices]) if choices else st.none(),
    )
    def run(case, real):
        nonlocal ran
        ran += 1
        if real is not None:
            case.path_parameters = {**(case.path_parameters or {}), **real}
        for caller in callers:
            # identity: the checks read the body as sent (GZipMiddleware would compress it)
            sent = {**caller.headers, "Accept-Encoding": "identity"}
            response = case.call(headers=sent, cookies=caller.cookies)
            caller.tally.statuses[f"{response.status_code // 100}xx"] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=sent)
            except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports all
                found.setdefault(caller.tally.identity, f"{operation.label} [{mode}]: {exc}")

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        pass  # nothing to negate: an operation without parameters or body
    for caller in callers:
        caller.tally.cases[mode] += ran
        if caller.tally.identity in found:  # the first failure per operation and mode
            caller.tally.failures.append(found[caller.tally.identity])
    return ran


def _session(username: str) -> tuple[dict, dict]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    return {"X-CSRFToken": CSRF}, cookies


@pytest.mark.slow
def test_no_generated_request_breaks_the_api_on_the_demo_data(api_schema, demo, record_property):
    producer = Batch.objects.order_by("pk").first().producer  # the demo's traced cooperative
    official = User.objects.get(username="canbo.votranh")
    _key, secret = create_api_key(actor=official, producer=producer, name="fuzz")
    identities = [
        Identity(Tally("anonymous"), {}, {}),
        Identity(Tally("official"), *_session("canbo.votranh")),
        Identity(Tally("resident"), *_session("nguoidan.votranh")),
        Identity(Tally("trace API key"), {"Authorization": f"Bearer {secret}"}, {}, "/api/trace/"),
    ]
    _fuzz(api_schema, identities, _real_path_parameters(demo))
    failures = []
    for identity in identities:
        print(identity.tally.line())
        record_property("figures", identity.tally.line())  # printed in the summary (conftest)
        failures += [f"{identity.tally.identity}: {f[:1500]}" for f in identity.tally.failures]
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
