"""What the demo's terminal shows: progress while preparing and while the worker catches up,
then one line per request; no line per task, no second file watcher, the settings named."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management.base import OutputWrapper

from langso.site.management.commands import demo

ROOT = Path(__file__).resolve().parents[3]


def test_the_worker_runs_without_a_file_watcher_and_runserver_sees_the_settings_module(
    monkeypatch,
):
    started, served = [], []

    class Worker:
        def __init__(self, argv, env):
            started.append(argv)

        def terminate(self):
            pass

        def wait(self, timeout):
            pass

    def call_command(name, *args, **kwargs):
        from django.conf import settings

        if name == "runserver":
            served.append((settings.SETTINGS_MODULE, settings.LANGSO_PUBLIC_URL))

    monkeypatch.setattr(demo.subprocess, "Popen", Worker)
    monkeypatch.setattr(demo, "call_command", call_command)
    monkeypatch.setattr(demo, "prepare_demo", lambda **kw: [])
    monkeypatch.setattr(demo.Command, "_report_tasks", lambda self: None)
    monkeypatch.setattr(demo.signal, "signal", lambda *a: None)
    monkeypatch.delenv("LANGSO_PUBLIC_URL", raising=False)
    demo.Command(stdout=StringIO()).handle(
        port=8124, seed=1, households=1, communes=0, households_per_commune=1,
        no_serve=False, no_worker=False,
    )  # fmt: skip
    [argv] = started
    assert argv[-2:] == ["db_worker", "--no-reload"]
    assert served == [("config.settings.test", "http://127.0.0.1:8124")]


def test_the_demo_reports_the_queued_tasks_as_they_are_done_then_falls_silent(monkeypatch):
    left = iter([3, 3, 1, 0])
    monkeypatch.setattr(demo, "pending_tasks", lambda: next(left))
    out = StringIO()
    command = demo.Command(stdout=out)
    command.stdout = OutputWrapper(out)
    command._report_tasks(interval=0)
    assert out.getvalue().splitlines() == [
        "Tác vụ nền: 3 việc đang chờ (trang truy xuất, thông báo...).",
        "Tác vụ nền: đã xong 2/3.",
        "Tác vụ nền: xong cả 3 việc.",
    ]


def test_the_demo_settings_log_task_problems_but_not_each_task(tmp_path):
    """db_worker raises its loggers to INFO itself: run its logging set-up under the demo's
    settings and log as a task would."""
    script = (
        "import logging, django\n"
        "django.setup()\n"
        "from django_tasks_db.management.commands.db_worker import Command\n"
        "Command().configure_logging(1)\n"
        "logging.getLogger('django_tasks').info('Task id=1 state=SUCCESSFUL')\n"
        "logging.getLogger('django_tasks').error('Task id=2 state=FAILED')\n"
        "logging.getLogger('langso.request').info('GET home 200')\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "LANGSO_VAR_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    output = result.stdout + result.stderr
    assert "state=FAILED" in output
    assert "state=SUCCESSFUL" not in output
    assert "GET home 200" not in output  # runserver already writes one line per request
    assert "DSA is deprecated" not in output
