"""The task worker's heartbeat: how `/readyz` and `/metrics` know a worker is alive.

`langso db_worker` (langso/core/management/commands/db_worker.py) runs django_tasks_db's
worker unchanged and starts a `Heartbeat` thread beside it. The thread refreshes the
worker's `WorkerHeartbeat` row every LANGSO_WORKER_HEARTBEAT_SECONDS; when the process dies
the row stops moving and readiness reports the worker "stale" after
LANGSO_WORKER_STALE_SECONDS. The thread also records the task being run, so an operator
can tell a worker busy with a long import from an idle one.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger("langso.worker")


def heartbeat_interval() -> float:
    return float(getattr(settings, "LANGSO_WORKER_HEARTBEAT_SECONDS", 10))


def stale_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "LANGSO_WORKER_STALE_SECONDS", 60)))


def record_heartbeat(*, worker_id: str, started_at, running_task_id: str = "") -> None:
    """Insert or refresh the worker's row (one small UPSERT)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen_at": timezone.now(),
            "running_task_id": running_task_id[:64],
        },
    )


def forget_heartbeat(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def prune_heartbeats(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Drop rows of workers gone for a day (each start uses a new worker id)."""
    deleted, _ = WorkerHeartbeat.objects.filter(
        last_seen_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


def worker_status() -> tuple[str, float | None]:
    """("ok" | "stale" | "missing", seconds since the freshest heartbeat)."""
    latest = (
        WorkerHeartbeat.objects.order_by("-last_seen_at")
        .values_list("last_seen_at", flat=True)
        .first()
    )
    if latest is None:
        return "missing", None
    age = (timezone.now() - latest).total_seconds()
    return ("ok" if age <= stale_after().total_seconds() else "stale"), age


class Heartbeat(threading.Thread):
    """Daemon thread beating for one worker process until `stop()`."""

    def __init__(self, worker_id: str, interval: float | None = None):
        super().__init__(name="langso-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval if interval is not None else heartbeat_interval()
        self.started_at = timezone.now()
        self.running_task_id = ""
        self.schedule_seen: dict[str, int] = {}
        self._stop_event = threading.Event()

    def start(self) -> None:
        self.beat()  # the first beat before the worker takes a task, in the caller's thread
        super().start()

    def beat(self) -> None:
        try:
            record_heartbeat(
                worker_id=self.worker_id,
                started_at=self.started_at,
                running_task_id=self.running_task_id,
            )
        except Exception:  # the database may be restarting; the next beat retries
            logger.warning(
                "Worker heartbeat could not be written.",
                exc_info=True,
                extra={"worker_id": self.worker_id},
            )

    def start_due_jobs(self) -> None:
        """Enqueue the periodic jobs whose time has come (langso/core/schedule.py)."""
        from .schedule import run_due

        try:
            run_due(seen=self.schedule_seen)
        except Exception:  # like a beat: the next slot retries
            logger.warning("Scheduled jobs could not be started.", exc_info=True)

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.interval):
                close_old_connections()
                self.beat()
                self.start_due_jobs()
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
