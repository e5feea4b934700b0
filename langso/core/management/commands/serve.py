"""`langso serve`: the application server for the configured installation.

With DEBUG off (production) it runs granian (WSGI, several worker processes); gunicorn stays
available with `--server gunicorn`. The choice and the measurements behind it are in
docs/production.md (bench/app_servers.py). With DEBUG on it runs Django's development
server, as the demo does.

Before starting it applies migrations and, in production, prepares Prometheus'
multi-process directory: every worker process writes its counters there and `/metrics`
adds them up. The directory is emptied at each start, so counters restart from zero like
those of a single process would.
"""

import json
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SERVERS = ("granian", "gunicorn")
DEFAULT_SERVER = "granian"
# Sizing (docs/production.md, "Workers and threads", measured with bench/load_mix.py): one
# process per core for parallel Python, and 4 threads in each so that a cheap request (a
# scan, 1 ms) is not queued behind a 50-ms page on the same worker: the thread holding the
# slow page gives up the GIL while it waits for PostgreSQL and every 5 ms otherwise.
DEFAULT_THREADS = 4


def default_workers() -> int:
    """One worker process per core this process may run on (a container's limit included)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, cores)  # two at least, so that one can restart while the other serves


# granian's own lines (start, stop, worker respawn) in the same JSON shape as the app's.
GRANIAN_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "langso.core.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"_granian": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}


def server_command(
    server: str, *, bind: str, workers: int, threads: int, log_config: Path | None = None
) -> list[str]:
    """The command line that starts `server` on `bind` ("host:port")."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--bind must be host:port, not {bind!r}")
    if server == "granian":
        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host.strip("[]"),
            "--port",
            port,
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "--respawn-failed-workers",
            "--workers-kill-timeout",
            "30",
            *(["--log-config", str(log_config)] if log_config else []),
            "config.wsgi:application",
        ]
    if server == "gunicorn":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--config",
            "python:config.gunicorn",
        ]
    raise CommandError(f"Unknown server {server!r}; choose one of {', '.join(SERVERS)}.")


def prepare_metrics_dir(environ: dict) -> Path:
    """Create PROMETHEUS_MULTIPROC_DIR (or drop its old *.db files); set it in `environ`."""
    path = Path(environ.get("PROMETHEUS_MULTIPROC_DIR") or Path(settings.VAR_DIR) / "prometheus")
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.db"):
        old.unlink()
    environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


class Command(BaseCommand):
    help = (
        "Run the configured installation: granian (or gunicorn) when DEBUG is off "
        "(production), Django's development server otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("LANGSO_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or default_workers()),
            help="worker processes (default WEB_CONCURRENCY, else one per core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("LANGSO_THREADS") or DEFAULT_THREADS),
            help=f"threads per worker process (default LANGSO_THREADS, else {DEFAULT_THREADS})",
        )
        parser.add_argument(
            "--server", choices=SERVERS, default=os.environ.get("LANGSO_SERVER", DEFAULT_SERVER)
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="do not apply migrations first (run `langso migrate` yourself)",
        )

    def handle(self, *args, **opts):
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if settings.DEBUG:
            call_command("runserver", opts["bind"], use_reloader=False)
            return
        env = dict(os.environ)
        metrics_dir = prepare_metrics_dir(env)
        log_config = metrics_dir.parent / "granian-logging.json"
        log_config.write_text(json.dumps(GRANIAN_LOGGING))
        cmd = server_command(
            opts["server"],
            bind=opts["bind"],
            workers=opts["workers"],
            threads=opts["threads"],
            log_config=log_config,
        )
        self.stdout.write(
            f"Serving with {opts['server']} on {opts['bind']} "
            f"({opts['workers']} workers x {opts['threads']} threads)",
            ending="\n",
        )
        self.stdout.flush()
        # exec: the server replaces this process, so signals from the supervisor reach it.
        os.execve(cmd[0], cmd, env)  # noqa: S606
