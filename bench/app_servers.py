"""Benchmark: gunicorn against granian, serving Làng Số's production settings.

    .venv/bin/python bench/app_servers.py [--workers 2] [--duration 10] [--connections 16]

Needs a prepared PostgreSQL database (`langso demo --no-serve` against it, so that the home
page and the API have data), Redis, and `wrk` (apt-get install -y wrk). Defaults:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/langso_prod, REDIS_URL=redis://127.0.0.1:6379/1,
ports 8310 and 8311.

For each server it runs the real `langso serve --server <name>` (DEBUG off, PostgreSQL,
Redis cache, hashed static files, JSON logs to /dev/null, the observability middleware on),
waits for /healthz, then drives three URLs over loopback with wrk:
  trivial  /healthz                 (no database: the server and middleware overhead)
  home     /                        (a template and one database query)
  api      /api/economy/products    (django-ninja, a database list)
and prints requests/s, p99 latency, the server's CPU time per request (all its processes,
from /proc: the figure least disturbed by other work on a shared machine) and the ratios
granian/gunicorn per URL. With --rounds N the servers alternate N times and the run with
the least CPU per request is kept for each.

Not a test: figures depend on the machine and its load. Run it once, briefly.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGSO = Path(sys.executable).parent / "langso"
URLS = [("trivial", "/healthz"), ("home", "/"), ("api", "/api/economy/products")]
SERVERS = ["gunicorn", "granian"]


def production_env(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/langso_prod")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "LANGSO_VAR_DIR": var_dir,
            "LOG_LEVEL": "INFO",
        }
    )
    return env


def wait_ready(port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not become ready")


def session_cpu_seconds(session_id: int) -> float:
    """User + system CPU time of every live process of the server's session (Linux /proc).

    CPU time per request is the figure that survives a busy machine: throughput and latency
    there depend on how many other processes share the cores.
    """
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id:  # field 6 of stat: the session id
            total += int(fields[11]) + int(fields[12])  # fields 14, 15: utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def parse_latency(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, *, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(  # noqa: S603
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = parse_latency(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    p50 = parse_latency(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "requests": requests,
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def bench_server(server: str, port: int, env: dict, args) -> dict[str, dict]:
    log = open(Path(env["LANGSO_VAR_DIR"]) / f"{server}.log", "w")
    proc = subprocess.Popen(  # noqa: S603
        [
            str(LANGSO),
            "serve",
            "--no-migrate",
            "--server",
            server,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(port)
        results = {}
        for name, path in URLS:
            url = f"http://127.0.0.1:{port}{path}"
            run_wrk(url, duration=2, connections=args.connections, threads=2)  # warm up
            cpu_before = session_cpu_seconds(proc.pid)
            results[name] = r = run_wrk(
                url, duration=args.duration, connections=args.connections, threads=2
            )
            r["cpu_ms"] = (session_cpu_seconds(proc.pid) - cpu_before) * 1000 / r["requests"]
            print(
                f"{server:9} {name:8} {r['rps']:9.0f} req/s  p50 {r['p50']:7.1f} ms  "
                f"p99 {r['p99']:7.1f} ms  CPU {r['cpu_ms']:6.2f} ms/req  "
                f"non-2xx {r['non2xx']} {r['socket_errors']}",
                flush=True,
            )
        return results
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8310)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="alternate the servers this many times; keep each one's best",
    )
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="langso-app-servers-")
    env = production_env(var_dir)
    print(
        f"cpus={os.cpu_count()} workers={args.workers} connections={args.connections} "
        f"duration={args.duration}s  logs in {var_dir}",
        flush=True,
    )
    subprocess.run([str(LANGSO), "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [str(LANGSO), "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )

    figures: dict[str, dict[str, dict]] = {server: {} for server in SERVERS}
    for _round in range(args.rounds):  # alternate, so both see the same swings of load
        for i, server in enumerate(SERVERS):
            for name, result in bench_server(server, args.port + i, env, args).items():
                best = figures[server].get(name)
                if best is None or result["cpu_ms"] < best["cpu_ms"]:
                    figures[server][name] = result

    print(f"\nbest of {args.rounds} round(s)")
    print(
        "url      gunicorn: req/s  p99 ms  CPU ms/req | granian: req/s  p99 ms  CPU ms/req"
        " | granian/gunicorn: req/s  p99  CPU"
    )
    for name, _path in URLS:
        g, r = figures["gunicorn"][name], figures["granian"][name]
        print(
            f"{name:8} {g['rps']:15.0f} {g['p99']:7.1f} {g['cpu_ms']:11.2f} |"
            f" {r['rps']:14.0f} {r['p99']:7.1f} {r['cpu_ms']:11.2f} |"
            f" {r['rps'] / g['rps']:22.2f} {r['p99'] / g['p99']:4.2f}"
            f" {r['cpu_ms'] / g['cpu_ms']:4.2f}"
        )


if __name__ == "__main__":
    main()
