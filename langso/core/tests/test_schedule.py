"""Periodic jobs: each runs once per period across all workers, and the worker starts them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from langso.core import schedule
from langso.core.models import IdempotencyRecord, ScheduledRun
from langso.core.worker import Heartbeat

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def counted_job(monkeypatch):
    calls = []
    job = schedule.Job(name="test.count", every=timedelta(minutes=10), run="builtins.object")
    monkeypatch.setattr(schedule, "_JOBS", {job.name: job})
    monkeypatch.setattr(schedule, "import_string", lambda path: lambda: calls.append(path) or 1)
    return calls


def test_the_apps_register_their_housekeeping():
    names = {job.name for job in schedule.jobs()}
    assert {
        "core.purge_idempotency",
        "procedures.flag_dossiers",
        "engage.release_due_retries",
        "engage.recover_stalled_deliveries",
    } <= names


def test_a_job_runs_once_per_slot_however_many_workers_ask(counted_job):
    first = schedule.run_due(now=NOON)
    second = schedule.run_due(now=NOON + timedelta(minutes=9))  # another worker, same slot
    assert "test.count" in first
    assert "test.count" not in second
    assert len(counted_job) == 1
    schedule.run_due(now=NOON + timedelta(minutes=10))  # the next slot
    assert len(counted_job) == 2
    assert ScheduledRun.objects.filter(job="test.count").count() == 2


def test_a_worker_tries_each_slot_once(counted_job, django_assert_num_queries):
    seen: dict[str, int] = {}
    schedule.run_due(now=NOON, seen=seen)
    with django_assert_num_queries(0):
        schedule.run_due(now=NOON + timedelta(seconds=10), seen=seen)
    assert len(counted_job) == 1


def test_the_heartbeat_thread_starts_due_jobs(counted_job):
    Heartbeat("worker-test").start_due_jobs()
    assert len(counted_job) == 1


def test_the_idempotency_purge_runs_from_the_schedule():
    old = IdempotencyRecord.objects.create(
        scope="test", owner="user:1", key="k", fingerprint="f", status=200
    )
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=datetime(2020, 1, 1, tzinfo=UTC))
    call_command("run_schedule", job="core.purge_idempotency")
    assert not IdempotencyRecord.objects.filter(pk=old.pk).exists()


def test_old_claims_are_pruned():
    ScheduledRun.objects.create(job="x", slot=1, claimed_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert schedule.prune_runs() == 1
