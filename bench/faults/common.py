"""What the fault scripts share: the stack of bench/load_mix.py (gunicorn, db_worker,
production settings) and a few helpers."""

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

import load_mix  # noqa: E402

ROOT = load_mix.ROOT
BIN = load_mix.BIN
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/langso_load"
REDIS = "redis://127.0.0.1:6379/5"
VAR = "/tmp/langso-load/var"  # noqa: S108


def env_for(database_url: str = DEFAULT_DB, **extra) -> dict:
    env = load_mix.stack_env(database_url, REDIS, VAR)
    env.update({k: str(v) for k, v in extra.items()})
    Path(VAR).mkdir(parents=True, exist_ok=True)
    return env


def django_for(env: dict) -> None:
    """This process talks to the same database as the stack (to prepare and to count)."""
    for key in (
        "LANGSO_ENGAGE_STALE_AFTER_SECONDS",
        "LANGSO_BENCH_GATEWAYS",
        "LANGSO_BENCH_OUTBOX",
    ):
        if key in env:
            os.environ[key] = env[key]
    load_mix.setup_django(env)


def ensure_demo(env: dict) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # as production
    if not load_mix.demo_ready():
        print("Preparing the demo (once)...", flush=True)
        subprocess.run(  # noqa: S603
            [str(BIN / "langso"), "demo", "--no-serve"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def start_server(env: dict, port: int, workers: int = 2, log: str = "server") -> subprocess.Popen:
    logs = Path(VAR) / "logs"
    logs.mkdir(exist_ok=True)
    proc = load_mix.langso(
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        env=env,
        stdout=open(logs / f"{log}.access.log", "w"),
        stderr=open(logs / f"{log}.log", "w"),
    )
    load_mix.wait_http(f"http://127.0.0.1:{port}/healthz")
    return proc


def start_worker(env: dict, log: str = "worker") -> subprocess.Popen:
    logs = Path(VAR) / "logs"
    logs.mkdir(exist_ok=True)
    return load_mix.langso(
        "db_worker",
        "--interval",
        "0.2",
        "--no-startup-delay",
        env=env,
        stdout=open(logs / f"{log}.log", "a"),
        stderr=subprocess.STDOUT,
    )


def verdict(ok: bool) -> None:
    print("PASS" if ok else "FAIL", flush=True)
    raise SystemExit(0 if ok else 1)


def wait_until(predicate, seconds: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
