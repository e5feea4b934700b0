"""Request ids, the JSON access log, Prometheus metrics and the /metrics door."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import override_settings
from prometheus_client import REGISTRY

from langso.core.observability import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[3]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def access_log():
    """The `langso.request` logger formatted as production does, into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("langso.request")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield buffer
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_a_request_logs_one_json_line_with_the_request_fields(client, db, access_log):
    response = client.get("/readyz?cccd=001203004567", HTTP_X_REQUEST_ID="req-abc.123")
    assert response["X-Request-ID"] == "req-abc.123"
    lines = access_log.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "INFO"
    assert entry["logger"] == "langso.request"
    assert entry["request_id"] == "req-abc.123"
    assert entry["method"] == "GET"
    assert entry["path"] == "/readyz"
    assert entry["route"] == "readyz"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry["time"])
    assert entry["message"] == "GET readyz 200"
    assert "001203004567" not in lines[0]  # query strings never reach the log


def test_a_missing_or_malformed_request_id_is_replaced_by_a_fresh_one(client, db, access_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nforged: line")
    new_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", new_id)
    assert uuid.UUID(hex=new_id).version == 4 and uuid.UUID(hex=new_id).variant == uuid.RFC_4122
    assert json.loads(access_log.getvalue())["request_id"] == new_id
    assert client.get("/healthz")["X-Request-ID"] != new_id


def test_secret_url_arguments_are_blanked_in_the_access_log(client, db, access_log):
    client.get("/engage/unsubscribe/s3cr3t-t0ken-value/")
    entry = json.loads(access_log.getvalue().splitlines()[-1])
    assert entry["path"] == "/engage/unsubscribe/[redacted]/"
    assert "s3cr3t" not in access_log.getvalue()


def test_requests_are_counted_by_route_name_and_status(client, db):
    labels = {"route": "healthz", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("langso_http_requests_total", labels) or 0
    latency_before = (
        REGISTRY.get_sample_value(
            "langso_http_request_duration_seconds_count", {"route": "healthz"}
        )
        or 0
    )
    client.get("/healthz")
    client.get("/healthz")
    assert REGISTRY.get_sample_value("langso_http_requests_total", labels) == before + 2
    assert (
        REGISTRY.get_sample_value(
            "langso_http_request_duration_seconds_count", {"route": "healthz"}
        )
        == latency_before + 2
    )
    missing = {"route": "unmatched", "method": "GET", "status": "404"}
    before_404 = REGISTRY.get_sample_value("langso_http_requests_total", missing) or 0
    client.get("/khong-co-trang-nay/123456789")
    assert REGISTRY.get_sample_value("langso_http_requests_total", missing) == before_404 + 1


def test_metrics_answer_loopback_and_show_requests(client, db):
    client.get("/healthz")
    response = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert 'langso_http_requests_total{method="GET",route="healthz",status="200"}' in (
        response.content.decode()
    )


@override_settings(LANGSO_METRICS_TOKEN="")
def test_the_probes_and_metrics_answer_only_reads(client, db):
    for path in ("/metrics", "/healthz", "/readyz"):
        assert client.post(path).status_code == 405
        assert client.head(path).status_code in (200, 503)


def test_metrics_refuse_other_addresses_without_a_token(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 403


@override_settings(LANGSO_METRICS_TOKEN="scrape-me-please", LANGSO_METRICS_ALLOWED_IPS=[])
def test_metrics_accept_the_bearer_token_only(client, db):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer wrong"
        ).status_code
        == 403
    )
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer scrape-me-please"
        ).status_code
        == 200
    )


@override_settings(TASKS=DB_TASKS)
def test_metrics_show_the_task_queue_depth_and_failures(client, db):
    from django_tasks_db.models import DBTaskResult

    from langso.core.tests.test_health import count_heartbeats

    count_heartbeats.enqueue()
    count_heartbeats.enqueue()
    failed = count_heartbeats.enqueue()
    DBTaskResult.objects.filter(id=failed.id).update(status="FAILED")
    body = client.get("/metrics").content.decode()
    assert "langso_task_queue_depth 2.0" in body
    assert 'langso_tasks{status="FAILED"} 1.0' in body
    assert "langso_task_failures_total 1.0" in body
    assert "langso_worker_heartbeat_age_seconds -1.0" in body


@pytest.mark.slow
def test_metrics_add_up_across_processes_in_multiprocess_mode(tmp_path):
    """What gunicorn/granian workers do: each process writes files, /metrics sums them."""
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    count = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "for _ in range(3): c.get('/healthz')\n"
    )
    for _ in range(2):  # two "worker processes"
        subprocess.run([sys.executable, "-c", count], env=env, cwd=ROOT, check=True)  # noqa: S603
    render = (
        "import django; django.setup()\n"
        "from prometheus_client.parser import text_string_to_metric_families as parse\n"
        "from langso.core.observability import render_metrics\n"
        "body, _ = render_metrics()\n"
        "for fam in parse(body.decode()):\n"
        "    for s in fam.samples:\n"
        "        if s.name == 'langso_http_requests_total' and s.labels['route'] == 'healthz':\n"
        "            print(int(s.value))\n"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", render],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out.split() == ["6"]
