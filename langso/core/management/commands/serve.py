import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Run the configured installation: gunicorn when DEBUG is off (production), "
            "Django's development server otherwise.")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("LANGSO_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("WEB_CONCURRENCY", "3")))

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        if settings.DEBUG:
            call_command("runserver", opts["bind"], use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        cmd = [sys.executable, "-m", "gunicorn", "config.wsgi:application",
               "--bind", opts["bind"], "--workers", str(opts["workers"]),
               "--access-logfile", "-"]
        raise SystemExit(subprocess.call(cmd))  # noqa: S603
