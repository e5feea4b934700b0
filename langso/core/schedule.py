"""Periodic housekeeping run by the task workers themselves: no cron to forget.

Apps register their periodic jobs in `AppConfig.ready()`:

    schedule.register("procedures.flag_dossiers", every=timedelta(hours=1),
                      run="langso.procedures.actions.flag_dossiers")

Each `langso db_worker` calls `run_due()` from its heartbeat thread. Time is cut into slots
of each job's period; the first worker to insert the (job, slot) row of `ScheduledRun` (a
unique constraint, so two workers never both win) enqueues the job as the task
`run_scheduled_job`, which the workers then run like any other task. A job therefore runs at
most once per period across all workers, and still runs when some of them are down. Jobs must
be idempotent (each one here is): a slot missed while every worker was down is not replayed,
the next slot does the work.

`langso run_schedule` runs the due jobs once, in the foreground, for an installation that
prefers cron or wants to run one job now (`--job NAME --force`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import ScheduledRun

logger = logging.getLogger("langso.schedule")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: str  # dotted path of a callable taking no argument

    def slot(self, now: datetime) -> int:
        return int(now.timestamp() // self.every.total_seconds())


_JOBS: dict[str, Job] = {}


def register(name: str, *, every: timedelta, run: str) -> None:
    """Declare a periodic job (idempotent: a second registration replaces the first)."""
    if every < timedelta(minutes=1):
        raise ValueError("A scheduled job runs at most once a minute.")
    _JOBS[name] = Job(name=name, every=every, run=run)


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def claim(job: Job, now: datetime) -> bool:
    """True for the one caller that takes this job's current slot."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job.name, slot=job.slot(now), claimed_at=now)
    except IntegrityError:
        return False
    return True


def run_due(
    *, now: datetime | None = None, enqueue: bool = True, seen: dict[str, int] | None = None
) -> list[str]:
    """Claim every job whose slot is free; enqueue (or run) them. Returns their names.

    `seen` (a worker's memory of the slots it already tried) spares an INSERT per job and
    heartbeat: a job is tried once per slot per worker."""
    now = now or timezone.now()
    started = []
    for job in jobs():
        slot = job.slot(now)
        if seen is not None:
            if seen.get(job.name) == slot:
                continue
            seen[job.name] = slot
        if not claim(job, now):
            continue
        started.append(job.name)
        if enqueue:
            run_scheduled_job.enqueue(job.name)
        else:
            run_job(job.name)
    return started


def run_job(name: str) -> object:
    function: Callable[[], object] = import_string(_JOBS[name].run)
    result = function()
    logger.debug("Scheduled job done.", extra={"job": name, "result": str(result)[:200]})
    return result


@task()
def run_scheduled_job(name: str) -> str:
    if name not in _JOBS:  # registered by an app this process did not load
        logger.warning("Unknown scheduled job.", extra={"job": name})
        return ""
    return str(run_job(name))[:200]


def prune_runs(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Drop the claims of past slots (the core's own daily job)."""
    deleted, _counts = ScheduledRun.objects.filter(
        claimed_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
