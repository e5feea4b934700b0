"""The database task queue as production runs it, for tests that count or drain its tasks.

Use with the `settings` fixture: `settings.TASKS = DATABASE_TASKS`."""

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RECOMPUTE = "langso.monitor.tasks.recompute_unit"


def queued_recomputes(unit) -> list:
    """The recompute tasks of `unit` waiting for a worker, oldest first."""
    from django_tasks_db.models import DBTaskResult

    return [
        row
        for row in DBTaskResult.objects.ready().filter(task_path=RECOMPUTE).order_by("enqueued_at")
        if row.task_result.kwargs["unit_id"] == unit.pk
    ]


def run_queue() -> int:
    """What db_worker does: claim the oldest ready task and run it, until none is left
    (tasks queued while one runs are run too). Returns how many ran."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        row.claim("test-worker")
        row.set_successful(row.task.call(*row.task_result.args, **row.task_result.kwargs))
        ran += 1
    return ran
