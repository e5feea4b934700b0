"""`langso demo`: prepare the demo, then serve it with its task worker.

The terminal shows the preparation step by step, then the background tasks the preparation
queued (scan pages, notifications) as one progress line until they are done, then one line
per request from the server; the worker itself reports only warnings and errors
(config/settings/local.py).
"""

import os
import signal
import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from langso.people.demo import DEMO_PASSWORD
from langso.site.demo import prepare_demo


class Command(BaseCommand):
    help = "Prepare the demo (migrate, load units, demo data) and serve it on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--households", type=int, default=3000, help="households in the demo commune Vô Tranh"
        )
        parser.add_argument(
            "--communes",
            type=int,
            default=0,
            help="extra synthetic communes in Thái Nguyên (benchmarks)",
        )
        parser.add_argument("--households-per-commune", type=int, default=500)
        parser.add_argument("--no-serve", action="store_true", help="prepare only")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="serve without the task worker (notifications, recomputation, "
            "scan page renders stay queued)",
        )

    def handle(self, *args, **opts):
        from django.conf import settings

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        env = os.environ.copy()
        if "LANGSO_PUBLIC_URL" not in env:  # the printed QR codes open this very server
            env["LANGSO_PUBLIC_URL"] = f"http://127.0.0.1:{opts['port']}"
        # Set for this process rather than through override_settings, which would hide the
        # settings module from runserver ("using settings None").
        previous, settings.LANGSO_PUBLIC_URL = settings.LANGSO_PUBLIC_URL, env["LANGSO_PUBLIC_URL"]
        try:
            self._prepare_and_serve(opts, env)
        finally:
            settings.LANGSO_PUBLIC_URL = previous

    def _prepare_and_serve(self, opts, env):
        self.stdout.write("Đang cập nhật cơ sở dữ liệu (migrate)...")
        call_command("migrate", interactive=False, verbosity=0)
        accounts = prepare_demo(
            stdout=self.stdout,
            seed=opts["seed"],
            households=opts["households"],
            communes=opts["communes"],
            households_per_commune=opts["households_per_commune"],
        )
        self.stdout.write(self.style.SUCCESS(f"\nTài khoản dùng thử (mật khẩu: {DEMO_PASSWORD}):"))
        for username, title, unit in accounts:
            self.stdout.write(f"  {username:<20} {title} — {unit}")
        if opts["no_serve"]:
            return
        worker = None
        if not opts["no_worker"]:
            # the task worker beside the server, as in production (docs/production.md)
            # --no-reload: one file watcher is enough (runserver has none either)
            worker = subprocess.Popen(
                [sys.executable, "-m", "langso.cli", "db_worker", "--no-reload"], env=env
            )
            self.stdout.write("Đã chạy tiến trình xử lý tác vụ nền (db_worker).")
            threading.Thread(target=self._report_tasks, daemon=True).start()
        self.stdout.write(
            self.style.SUCCESS(f"\nMở http://127.0.0.1:{opts['port']}/ (Ctrl+C để dừng)\n")
        )
        # Ctrl+C reaches both processes; `kill` (SIGTERM) only this one: stop the worker too
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command(
                "runserver", f"127.0.0.1:{opts['port']}", use_reloader=False, skip_checks=True
            )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=15)

    def _report_tasks(self, interval: float = 5.0, stop: threading.Event | None = None) -> None:
        """Say how far the worker is with the tasks the preparation queued, then fall silent."""
        from django.db import connection

        stop = stop or threading.Event()
        try:
            total = waiting = pending_tasks()
            if not total:
                return
            self.stdout.write(f"Tác vụ nền: {total} việc đang chờ (trang truy xuất, thông báo...).")
            shown = total
            while waiting and not stop.wait(interval):
                waiting = pending_tasks()
                total = max(total, waiting)
                if waiting and waiting != shown:
                    self.stdout.write(f"Tác vụ nền: đã xong {total - waiting}/{total}.")
                    shown = waiting
            if not waiting:
                self.stdout.write(self.style.SUCCESS(f"Tác vụ nền: xong cả {total} việc."))
        finally:
            connection.close()


def pending_tasks() -> int:
    """Background tasks due now or running (django-tasks' database backend); retries due
    later do not count."""
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects
    return tasks.ready().count() + tasks.running().count()
