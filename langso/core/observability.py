"""Request ids, JSON logs and Prometheus metrics for production.

One middleware, `ObservabilityMiddleware`, does the per-request work: it takes or makes an
`X-Request-ID`, times the request, counts it in Prometheus and writes one access-log line.
It runs on every request (the public trace scan page included), so it does no database
query and allocates little: a clock read, a few attribute lookups, one counter increment,
one histogram observation and one log record.

Metrics are labelled by *route name* (`trace:scan`), never by raw path, so their number
stays bounded. Under a multi-process server, `PROMETHEUS_MULTIPROC_DIR` must be set before
the first import of prometheus_client: `langso serve` does it (see docs/production.md).
"""

import json
import logging
import os
import re
import time
from contextvars import ContextVar
from datetime import UTC, datetime

from prometheus_client import Counter, Histogram

access_logger = logging.getLogger("langso.request")

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# A caller-supplied id is kept only if it looks like an id (no spaces, no log injection).
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# URL keyword arguments that are secrets; the access log never prints their values.
REDACTED_URL_KWARGS = frozenset({"token", "secret", "signature"})

REQUESTS = Counter(
    "langso_http_requests_total",
    "HTTP requests by route name, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "langso_http_request_duration_seconds",
    "Time to answer an HTTP request, by route name.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: the metrics' children by (route, method, status): labels() takes a lock at each call
_CHILDREN: dict[tuple[str, str, int], tuple] = {}


def route_name(request) -> str:
    """A bounded label: the URL name, else its pattern, else `static` or `unmatched`."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # WhiteNoise answers static files before URL resolution.
        return "static" if request.path.startswith("/static/") else "unmatched"
    return match.view_name or match.route or "unnamed"


def loggable_path(request) -> str:
    """The path without its query string and with secret URL arguments blanked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None and match.kwargs:
        for key, value in match.kwargs.items():
            if key in REDACTED_URL_KWARGS and value:
                path = path.replace(str(value), "[redacted]")
    return path


class ObservabilityMiddleware:
    """Request id in and out, one access-log line and the request metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            self._record(request, response.status_code, start)
            return response
        except Exception:
            # Django turns view errors into responses; this is only for errors it re-raises.
            self._record(request, 500, start)
            raise
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _record(request, status: int, start: float) -> None:
        record_request(
            method=request.method,
            route=route_name(request),
            status=status,
            start=start,
            path=lambda: loggable_path(request),
        )


def record_request(*, method: str, route: str, status: int, start: float, path) -> None:
    """Count, time and log one answered request (`path`: a callable, only called when the
    access log is on). Also used by the scan page front (langso/trace/front.py), which
    answers before Django builds a request."""
    elapsed = time.perf_counter() - start
    method = method if method in _METHODS else "OTHER"
    metrics = _CHILDREN.get((route, method, status))
    if metrics is None:
        metrics = (REQUESTS.labels(route, method, str(status)), LATENCY.labels(route))
        if len(_CHILDREN) < 4096:  # routes x methods x statuses: a bounded few
            _CHILDREN[(route, method, status)] = metrics
    metrics[0].inc()
    metrics[1].observe(elapsed)
    if access_logger.isEnabledFor(logging.INFO):
        access_logger.info(
            "%s %s %s",
            method,
            route,
            status,
            extra={
                "method": method,
                "path": path(),
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 1),
                "request_id": request_id_var.get(),
            },
        )


def request_id_from(incoming: str) -> str:
    """The caller's X-Request-ID if it looks like an id, else a new one."""
    if incoming and _REQUEST_ID_RE.match(incoming):
        return incoming
    # uuid.uuid4().hex without building a UUID: 128 random bits, version 4, RFC 4122 variant
    bits = int.from_bytes(os.urandom(16)) & _UUID4_CLEAR | _UUID4_SET
    return f"{bits:032x}"


_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (4 << 76) | (0x8000 << 48)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record logged while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# Fields of the access line (and any `extra=` a caller passes) that go into the JSON object.
_EXTRA_FIELDS = (
    "request_id",
    "method",
    "path",
    "route",
    "status",
    "duration_ms",
    "task_id",
    "worker_id",
)


# json.dumps(entry, ensure_ascii=False, default=str), without a new encoder per line
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request fields.

    Django's own `django.request` records carry the request object; only its method and
    path (no query string, no body, no headers) are taken from it.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in _EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                entry[field] = value
        request = getattr(record, "request", None)
        if request is not None and "path" not in entry:
            from .logprivacy import redact

            entry["method"] = getattr(request, "method", None)
            entry["path"] = redact(loggable_path(request)) if hasattr(request, "path") else None
        status = getattr(record, "status_code", None)
        if status is not None and "status" not in entry:
            entry["status"] = status
        if record.exc_text:  # set (and redacted) by logprivacy.PersonalDataFilter
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        entry["pid"] = os.getpid()
        return _JSON.encode(entry)


# --- /metrics -----------------------------------------------------------------------------


def metrics_allowed(request) -> bool:
    """Loopback / LANGSO_METRICS_ALLOWED_IPS, or `Authorization: Bearer LANGSO_METRICS_TOKEN`."""
    import hmac

    from django.conf import settings

    token = getattr(settings, "LANGSO_METRICS_TOKEN", "")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header[7:].strip().encode(), token.encode())
    ):
        return True
    allowed = getattr(settings, "LANGSO_METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
    return request.META.get("REMOTE_ADDR", "") in allowed


class TaskQueueCollector:
    """Task gauges read from the database at scrape time (never on a user's request)."""

    def collect(self):
        from django.db.models import Count, Min
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        from .health import uses_database_worker
        from .worker import worker_status

        if not uses_database_worker():
            return
        by_status = GaugeMetricFamily(
            "langso_tasks", "Task results kept in the database, by status.", labels=["status"]
        )
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
        for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED"):
            by_status.add_metric([status], counts.get(status, 0))
        yield by_status
        ready = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min("enqueued_at"))
        yield GaugeMetricFamily(
            "langso_task_queue_depth",
            "Tasks ready to run and not yet claimed by a worker.",
            value=ready["n"],
        )
        oldest = ready["oldest"]
        yield GaugeMetricFamily(
            "langso_task_queue_oldest_seconds",
            "Age of the oldest task waiting to run.",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )
        yield CounterMetricFamily(
            "langso_task_failures",
            "Failed task results in the database (pruning resets it).",
            value=counts.get("FAILED", 0),
        )
        _status, age = worker_status()
        yield GaugeMetricFamily(
            "langso_worker_heartbeat_age_seconds",
            "Seconds since the freshest worker heartbeat (-1: no worker ever seen).",
            value=age if age is not None else -1,
        )


def render_metrics() -> tuple[bytes, str]:
    """The exposition text: request metrics (all processes) and the task gauges."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry
    from prometheus_client import generate_latest as generate

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate(registry)
    else:
        body = generate(REGISTRY)
    tasks = CollectorRegistry()
    tasks.register(TaskQueueCollector())
    return body + generate(tasks), CONTENT_TYPE_LATEST
