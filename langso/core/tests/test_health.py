"""/healthz, /readyz and the task worker's heartbeat."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command, get_commands
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import task

from langso.core.models import WorkerHeartbeat
from langso.core.worker import Heartbeat, record_heartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A real Redis client pointed at a port where nothing listens: connection refused.
BROKEN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }
}


@task()
def count_heartbeats() -> int:
    return WorkerHeartbeat.objects.count()


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_component_when_all_are_up(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "worker": "not-used",
    }
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_when_the_database_is_down(client, db):
    with mock.patch.object(connection, "cursor", side_effect=Exception("server closed")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "down",
        "cache": "ok",
        "worker": "unknown",
    }


@override_settings(CACHES=BROKEN_CACHE)
def test_readyz_is_503_when_the_cache_is_down(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"
    assert response.json()["database"] == "ok"


@override_settings(TASKS=DB_TASKS)
def test_readyz_is_503_when_the_worker_was_never_seen(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"] == "missing"


@override_settings(TASKS=DB_TASKS, LANGSO_WORKER_STALE_SECONDS=60)
def test_readyz_is_503_when_the_worker_heartbeat_is_stale(client, db):
    old = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=old, last_seen_at=old)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "ok",
        "worker": "stale",
    }


@override_settings(TASKS=DB_TASKS)
def test_readyz_is_ok_with_a_fresh_worker_heartbeat(client, db):
    record_heartbeat(worker_id="w1", started_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["worker"] == "ok"


def test_heartbeat_refreshes_one_row_per_worker(db):
    beat = Heartbeat("w-refresh", interval=3600)
    beat.beat()
    first = WorkerHeartbeat.objects.get(worker_id="w-refresh").last_seen_at
    beat.running_task_id = "task-42"
    beat.beat()
    row = WorkerHeartbeat.objects.get(worker_id="w-refresh")
    assert row.last_seen_at >= first
    assert row.running_task_id == "task-42"
    assert WorkerHeartbeat.objects.count() == 1


def test_langso_db_worker_is_the_command_with_the_heartbeat():
    assert get_commands()["db_worker"] == "langso.core"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS, LANGSO_WORKER_HEARTBEAT_SECONDS=3600)
def test_db_worker_beats_while_it_runs_and_forgets_its_row_when_it_stops():
    result = count_heartbeats.enqueue()
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--worker-id", "w-batch", verbosity=0
    )
    result.refresh()
    assert result.return_value == 1  # the worker's own row existed while the task ran
    assert not WorkerHeartbeat.objects.filter(worker_id="w-batch").exists()
