"""`langso db_worker`: django_tasks_db's worker with a heartbeat for `/readyz`.

The worker loop itself is django_tasks_db's, unchanged; this command only starts the
heartbeat thread (langso/core/worker.py) beside it and notes which task is running. It
takes precedence over django_tasks_db's command because `langso.core` is listed before
`django_tasks_db` in INSTALLED_APPS.
"""

from django_tasks_db.compat import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from langso.core.worker import Heartbeat, forget_heartbeat, prune_heartbeats


class Command(DbWorkerCommand):
    help = "Run the task worker (notifications, recomputation, imports) with a heartbeat."

    def handle(self, *args, **options):
        heartbeat = Heartbeat(options["worker_id"])

        def on_started(sender, task_result, **kwargs):
            heartbeat.running_task_id = str(task_result.id)

        def on_finished(sender, task_result, **kwargs):
            heartbeat.running_task_id = ""

        task_started.connect(on_started, weak=False)
        task_finished.connect(on_finished, weak=False)
        prune_heartbeats()
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
            task_started.disconnect(on_started)
            task_finished.disconnect(on_finished)
            try:
                forget_heartbeat(options["worker_id"])
            except Exception:  # noqa: S110 - the row goes stale and is pruned later
                pass
