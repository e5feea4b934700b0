import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from langso.core.demo import prepare_demo
from langso.people.demo import DEMO_PASSWORD


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
        with override_settings(LANGSO_PUBLIC_URL=env["LANGSO_PUBLIC_URL"]):
            self._prepare_and_serve(opts, env)

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
            worker = subprocess.Popen([sys.executable, "-m", "langso.cli", "db_worker"], env=env)
            self.stdout.write("Đã chạy tiến trình xử lý tác vụ nền (db_worker).")
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
