# ruff: noqa: S603, S607  (a bench: runs PostgreSQL tools and the langso command)
"""Fault: PostgreSQL stops for a few seconds under load and starts again.

The machine's shared PostgreSQL is left alone: the script creates a throwaway cluster
(initdb into a temporary folder, run as the `postgres` user when started as root, port
5441), copies the demo database `langso_load` into it, serves the app against it
(gunicorn, 2 workers, production settings; the task worker too) and drives the mix of
bench/load_mix.py. After --before seconds PostgreSQL is stopped (`pg_ctl stop -m fast`,
which also cuts the open connections), left down --outage seconds, started again.

Expected: while it is down, requests answer 503 with the Vietnamese message (JSON
`service_unavailable` under /api/), never 500 or a traceback; once it is back the same
gunicorn processes serve again (no restart) and every request after --grace seconds
succeeds; every dossier that got a receipt code is in the database.

    .venv/bin/python bench/faults/pg_restart.py [--before 20 --outage 8 --after 30]
"""

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from common import django_for, env_for, load_mix, start_server, start_worker, verdict

PG_BIN = Path("/usr/lib/postgresql/15/bin")
MESSAGE = "Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút."


class Cluster:
    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="langso-pgfault-"))
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.dir.chmod(0o755)

    def run(self, *cmd, **kw):
        return subprocess.run(
            [*self.as_user, *map(str, cmd)], check=True, capture_output=True, text=True, **kw
        )

    def init(self) -> None:
        self.run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )

    def start(self) -> None:
        self.run(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.dir / "log",
            "-w",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=float, default=20)
    parser.add_argument("--outage", type=float, default=8)
    parser.add_argument("--after", type=float, default=30)
    parser.add_argument(
        "--grace",
        type=float,
        default=5,
        help="seconds after the restart in which failures are tolerated",
    )
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rate", type=float, default=25)
    parser.add_argument("--pg-port", type=int, default=5441)
    parser.add_argument("--port", type=int, default=8451)
    parser.add_argument(
        "--source",
        default="postgres://postgres@127.0.0.1:5432/langso_load",
        help="database copied into the throwaway cluster (run load_mix once)",
    )
    args = parser.parse_args()

    cluster = Cluster(args.pg_port)
    server = worker = None
    try:
        t0 = time.monotonic()
        cluster.init()
        cluster.start()
        subprocess.run(
            ["psql", "-q", cluster.url("postgres"), "-c", "CREATE DATABASE langso_fault"],
            check=True,
        )
        dump = subprocess.Popen(["pg_dump", "--no-owner", args.source], stdout=subprocess.PIPE)
        subprocess.run(
            ["psql", "-q", "-o", "/dev/null", cluster.url("langso_fault")],
            stdin=dump.stdout,
            check=True,
        )
        dump.wait()
        print(
            f"throwaway cluster on port {args.pg_port} ({cluster.dir}), demo copied in "
            f"{time.monotonic() - t0:.0f} s",
            flush=True,
        )

        env = env_for(cluster.url("langso_fault"))
        django_for(env)
        data = load_mix.discover()
        from django.db import connections

        connections.close_all()
        server = start_server(env, args.port, log="pgfault")
        worker = start_worker(env, log="pgfault-worker")
        server_pids = sorted(
            int(p)
            for p in subprocess.run(
                ["pgrep", "-g", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        )

        recorder = load_mix.Recorder()
        base = f"http://127.0.0.1:{args.port}"
        duration = args.before + args.outage + args.after
        marks: dict[str, float] = {}

        def fault():
            time.sleep(args.before)
            marks["stop"] = time.monotonic()
            cluster.stop("fast")
            marks["stopped"] = time.monotonic()
            time.sleep(args.outage)
            marks["start"] = time.monotonic()
            cluster.start()
            marks["started"] = time.monotonic()

        thread = threading.Thread(target=fault)
        thread.start()
        # a probe of the page and the API answer while PostgreSQL is down
        probes: dict[str, tuple[int, str]] = {}

        def probe():
            while "stopped" not in marks:
                time.sleep(0.1)
            time.sleep(1)
            import urllib3

            http = urllib3.PoolManager(retries=False)
            for name, path in (("page", "/procedures/"), ("api", "/api/economy/products")):
                r = http.request("GET", base + path)
                body = r.data.decode(errors="replace")
                if name == "api":
                    body = json.dumps(json.loads(body), ensure_ascii=False)
                probes[name] = (r.status, body)

        threading.Thread(target=probe, daemon=True).start()
        t_start = time.monotonic()
        load_mix.drive(
            base,
            load_mix.build_mix(data),
            duration=duration,
            clients=args.clients,
            rate=args.rate,
            recorder=recorder,
        )
        thread.join()
        elapsed = time.monotonic() - t_start

        def window(lo, hi):
            return Counter(s for t, _r, s in recorder.timeline if lo <= t < hi)

        before = window(0, marks["stop"])
        during = window(marks["stop"], marks["started"])
        tolerated = window(marks["started"], marks["started"] + args.grace)
        after = window(marks["started"] + args.grace, float("inf"))
        first_ok = min(
            (t for t, _r, s in recorder.timeline if t >= marks["started"] and s and s < 500),
            default=None,
        )
        print(
            f"\n{sum(len(v) for v in recorder.latency.values())} requests in {elapsed:.0f} s;"
            f" PostgreSQL down {marks['started'] - marks['stop']:.1f} s "
            f"(stop at {marks['stop'] - t_start:.0f} s)"
        )
        print(f"  before the stop:           {dict(before)}")
        print(f"  while down / restarting:   {dict(during)}")
        print(f"  first {args.grace:g} s after the start: {dict(tolerated)}")
        print(f"  afterwards:                {dict(after)}")
        if first_ok:
            print(f"  first success {first_ok - marks['started']:.2f} s after PostgreSQL was up")
        for name, (status, body) in probes.items():
            print(
                f"  probe {name} while down: {status} "
                f"{'Vietnamese message' if MESSAGE in body else 'NO message'}"
                f"{', JSON service_unavailable' if 'service_unavailable' in body else ''}"
            )

        from django.db import close_old_connections

        close_old_connections()
        accepted, stored = load_mix.check_receipts(recorder.receipts)
        print(f"  dossiers accepted with a receipt: {accepted}; in the database: {stored}")
        log = (Path(env["LANGSO_VAR_DIR"]) / "logs" / "pgfault.log").read_text(errors="replace")
        tracebacks = log.count("Traceback")
        warnings = log.count("service unavailable")
        pids_after = sorted(
            int(p)
            for p in subprocess.run(
                ["pgrep", "-g", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        )
        print(
            f"  server log: {tracebacks} tracebacks, {warnings} 'service unavailable' "
            f"warning lines; gunicorn processes unchanged: {pids_after == server_pids}"
        )
        bad_during = {s: n for s, n in during.items() if s not in (503,) and not 200 <= s < 400}
        ok = (
            not bad_during
            and 500 not in tolerated
            and 0 not in tolerated
            and all(200 <= s < 400 or s in (403, 404) for s in after)
            and 500 not in before
            and probes.get("page", (0, ""))[0] == 503
            and MESSAGE in probes["page"][1]
            and probes.get("api", (0, ""))[0] == 503
            and "service_unavailable" in probes["api"][1]
            and accepted == stored
            and tracebacks == 0
            and pids_after == server_pids
            and during.get(503, 0) > 0
        )
        if bad_during:
            print(f"  unexpected answers while down: {bad_during}")
        verdict(ok)
    finally:
        load_mix.stop(server)
        load_mix.stop(worker)
        cluster.destroy()


if __name__ == "__main__":
    main()
