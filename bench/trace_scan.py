"""Benchmark: the public scan page under a crowd, against a trivial Django view.

    /work/venv/bin/python bench/trace_scan.py --batches 1000000 --events-per-batch 10

1. creates (or reuses) a PostgreSQL database, migrates it, and seeds N batches and
   N x E EPCIS events with generate_series (one SQL statement per table, fast);
2. serves the project with `langso serve`'s server command and its default sizing (granian,
   2 workers x 4 threads; production settings, DEBUG off, JSON access log, Redis as cache) on
   127.0.0.1, with a bench URLconf that adds one trivial view (`/bench/trivial`) to the real
   ones;
3. drives, with `wrk` (apt-get install -y wrk) at 32 connections: the trivial view; the scan
   page over random batches among all N with an empty page cache (every scan renders: the
   worst case, e.g. right after Redis was flushed); then renders every page in bulk
   (`langso trace_render_pages`, timed) and drives the scan page over a hot set of batches
   (a crowd scanning the same shelf) and over random batches among all N;
4. records a new event on one batch and measures how long until its page shows it;
5. with nginx installed (apt-get install -y nginx), serves the hot set's pages as
   pre-rendered files from nginx (gzip_static, one access-log line per request: where scan
   counts would have to come from) and drives them the same way: the ceiling for a web
   server in front (docs/production.md, "Scan pages");
6. prints requests/s, p99 latency, the ratios and their goals, the gzip size of one scan
   page, and the page cache's memory: the bytes Redis holds for every page and skeleton key
   (MEMORY USAGE, so other databases of a shared Redis do not count), per batch, and
   extrapolated to a million batches;
7. prints what each run cost, in CPU milliseconds per request (from /proc, Linux only): the
   server's processes, the PostgreSQL backends connected to the bench database, the whole
   Redis server and wrk itself. On a small machine everything shares the same cores, and
   other work may be running beside the bench: requests/s then move with the load, while
   CPU per request says what a request costs and which process bounds the run (with two
   cores and four busy processes, a request's total CPU is what matters, not the server's
   alone). Every run is measured the same way, so the reference and the scan page stay
   comparable; the ratios above remain the goals' measure.

Threads: until issue 17 the bench ran 1 thread per worker while `langso serve` runs 4.
With one thread a worker sits idle during each Redis or PostgreSQL round trip of a scan
(the trivial view makes none), so the bench measured a configuration production does not
run, and a scan's requests/s moved with how soon the worker got a core back after each
answer. Both are now served with production's threads, by the same server, the same way
(`--threads 1` gives the old setting). Running with 4 threads also found a race at a
worker's first scans (fixed in langso/trace/prepared.py and queries.py).

Goals (issue 17): empty cache >= 0.3x the trivial view, pre-rendered >= 1.2x, page cache
<= 1 GB per million batches, a new event on its page within 100 ms; moonshot: the Python
front >= 0.5x nginx serving the same pages as static files.

Not a test: figures depend on the machine. Run it once, briefly, e.g.
`--batches 20000 --duration 10s` (per-batch bytes do not depend on N).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchdb import ensure_database  # bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from langso.core.management.commands.serve import DEFAULT_THREADS  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/langso_trace_bench")
    p.add_argument("--batches", type=int, default=1_000_000)
    p.add_argument("--events-per-batch", type=int, default=10)
    p.add_argument("--skip-seed", action="store_true", help="reuse an already seeded database")
    p.add_argument("--seed-only", action="store_true", help="seed the database and stop")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--server",
        choices=["granian", "gunicorn"],
        default="granian",
        help="application server (default: granian, as `langso serve`)",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"threads per worker (default: {DEFAULT_THREADS}, as `langso serve`)",
    )
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--duration", default="15s")
    p.add_argument("--hot", type=int, default=100, help="size of the hot set of batches")
    p.add_argument("--port", type=int, default=8194)
    p.add_argument("--nginx-port", type=int, default=0, help="nginx's port (default: --port + 1)")
    p.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/7",
        help="Redis database for the cache (flushed by the bench)",
    )
    p.add_argument("--render-processes", type=int, default=2)
    p.add_argument(
        "--keep-pages",
        action="store_true",
        help="measure on the pages already rendered by a previous run (no empty-cache "
        "run, no bulk render)",
    )
    return p.parse_args()


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.db,
            "DJANGO_SETTINGS_MODULE": "trace_bench_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT), env.get("PYTHONPATH", "")]),
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "LANGSO_PUBLIC_URL": f"http://127.0.0.1:{args.port}",
            "LANGSO_VAR_DIR": "/tmp/trace-bench-var",  # noqa: S108 - a throwaway bench folder
            "REDIS_URL": args.redis,
        }
    )
    return env


def seed(args, env) -> None:
    os.environ.update(env)
    sys.path[:0] = [str(BENCH), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from langso.core import gs1
    from langso.economy.models import GrowingArea, Producer, Product
    from langso.places.models import AdminUnit

    province, _ = AdminUnit.objects.get_or_create(
        structure="2025",
        level="province",
        code="19",
        defaults={
            "name": "Tỉnh Thái Nguyên",
            "short_name": "Thái Nguyên",
            "unit_type": "Tỉnh",
            "province_code": "19",
            "search_key": "tinh thai nguyen",
        },
    )
    commune, _ = AdminUnit.objects.get_or_create(
        structure="2025",
        level="commune",
        code="05641",
        defaults={
            "name": "Xã Vô Tranh",
            "short_name": "Vô Tranh",
            "unit_type": "Xã",
            "province_code": "19",
            "parent": province,
            "search_key": "xa vo tranh",
        },
    )
    producer, _ = Producer.objects.get_or_create(
        name="HTX Chè Vô Tranh (bench)",
        defaults={
            "kind": "cooperative",
            "commune": commune,
            "province_code": "19",
            "address": "Xóm Khe Cốc, Xã Vô Tranh",
        },
    )
    gtin = gs1.with_check_digit("893850399001")
    product, _ = Product.objects.get_or_create(
        producer=producer, name="Chè móc câu (bench)", defaults={"gtin": gtin}
    )
    area, _ = GrowingArea.objects.get_or_create(
        name="Đồi chè (bench)",
        defaults={
            "commune": commune,
            "province_code": "19",
            "crop": "Chè",
            "latitude": 21.71,
            "longitude": 105.77,
        },
    )
    n, e = args.batches, args.events_per_batch
    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE trace_scancount, trace_traceevent_batches, trace_traceevent, "
            "trace_batch RESTART IDENTITY CASCADE"
        )
        cur.execute(
            """
            INSERT INTO trace_batch (id, created_at, updated_at, public_id, gtin, lot, quantity,
                unit, uom, planted_on, harvested_on, packed_on, expires_on, labelled, version,
                commune_id, growing_area_id, producer_id, product_id)
            SELECT g, now(), now(), md5('b' || g)::uuid, %s, 'L' || lpad(g::text, 7, '0'),
                500, 'kg', 'KGM', DATE '2026-01-01', DATE '2026-03-01', DATE '2026-03-03',
                DATE '2027-09-01', true, 1, %s, %s, %s, %s
            FROM generate_series(1, %s) g""",
            [product.gtin.zfill(14), commune.pk, area.pk, producer.pk, product.pk, n],
        )
        print(f"  {n:,} batches in {time.monotonic() - started:.0f} s", flush=True)
        t = time.monotonic()
        # event g belongs to batch (g-1)/e+1; its kind cycles through a tea season
        cur.execute(
            """
            WITH k(i, kind, typ, step, disp) AS (VALUES
              (0, 'planting', 'ObjectEvent', 'urn:langso:bizstep:planting', 'in_progress'),
              (1, 'input_application', 'ObjectEvent', 'urn:langso:bizstep:input_application',
               'in_progress'),
              (2, 'input_application', 'ObjectEvent', 'urn:langso:bizstep:input_application',
               'in_progress'),
              (3, 'harvest', 'ObjectEvent', 'commissioning', 'active'),
              (4, 'inspection', 'ObjectEvent', 'inspecting', 'conformant'),
              (5, 'packing', 'AggregationEvent', 'packing', 'in_progress'),
              (6, 'shipping', 'ObjectEvent', 'shipping', 'in_transit'),
              (7, 'receiving', 'ObjectEvent', 'receiving', 'in_progress'),
              (8, 'retail_selling', 'ObjectEvent', 'retail_selling', 'retail_sold'),
              (9, 'inspection', 'ObjectEvent', 'inspecting', 'conformant'))
            INSERT INTO trace_traceevent (id, event_id, is_error_declaration, kind, event_type,
                action, biz_step, disposition, event_time, tz_offset, record_time, read_point,
                biz_location, quantity, uom, epcs, details, document, producer_id)
            SELECT g, 'urn:uuid:' || md5('e' || g)::uuid, false, k.kind, k.typ,
                CASE WHEN k.kind = 'harvest' THEN 'ADD' ELSE 'OBSERVE' END, k.step, k.disp,
                TIMESTAMPTZ '2026-01-01 07:00+07' + (((g - 1) %% %(e)s) * interval '9 days'),
                '+07:00', now(), '', 'urn:epc:id:sgln:893850399.001.0', 100, 'KGM',
                ' https://id.gs1.org/01/' || %(gtin)s || '/10/L'
                    || lpad((((g - 1) / %(e)s) + 1)::text, 7, '0') || ' ',
                CASE WHEN (g - 1) %% %(e)s = 2 THEN jsonb_build_object(
                    'input_type', 'pesticide', 'input_product', 'Abamectin 3.6EC',
                    'method', 'drone', 'phi_days', 7) ELSE '{}'::jsonb END,
                jsonb_build_object('type', k.typ, 'eventID', 'urn:uuid:' || md5('e' || g)::uuid,
                    'eventTime', to_char(TIMESTAMPTZ '2026-01-01 07:00+07'
                        + (((g - 1) %% %(e)s) * interval '9 days'),
                        'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
                    'eventTimeZoneOffset', '+07:00', 'action', 'OBSERVE', 'bizStep', k.step,
                    'disposition', k.disp),
                %(producer)s
            FROM generate_series(1, %(total)s) g JOIN k ON k.i = (g - 1) %% 10""",
            {"e": e, "gtin": product.gtin.zfill(14), "producer": producer.pk, "total": n * e},
        )
        print(f"  {n * e:,} events in {time.monotonic() - t:.0f} s", flush=True)
        t = time.monotonic()
        cur.execute(
            """INSERT INTO trace_traceevent_batches (traceevent_id, batch_id)
                       SELECT g, (g - 1) / %s + 1 FROM generate_series(1, %s) g""",
            [e, n * e],
        )
        for table in ("trace_batch", "trace_traceevent", "trace_traceevent_batches"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )  # fixed table names
        print(f"  links in {time.monotonic() - t:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE trace_batch")
        cur.execute("VACUUM ANALYZE trace_traceevent")
        cur.execute("VACUUM ANALYZE trace_traceevent_batches")
    print(f"Seeded in {time.monotonic() - started:.0f} s", flush=True)


LUA_RANDOM = """
math.randomseed(os.time())
request = function()
  local n = math.random(1, %(n)d)
  return wrk.format("GET", string.format("/01/%(gtin)s/10/L%%07d", n))
end
"""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name: state is field 3
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """The process and its descendants (the server's workers)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += parents.get(current, [])
    return out


class CpuProbe:
    """CPU used by the server's processes, the bench database's backends, Redis and wrk
    between `start()` and `stop()`."""

    def __init__(self, server_pid: int, db: str):
        self.server_pid, self.db = server_pid, db

    def _groups(self) -> dict[str, dict[int, float]]:
        import psycopg

        with psycopg.connect(self.db, autocommit=True) as conn:
            backends = [
                pid
                for (pid,) in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                )
            ]
        redis = [
            int(e.name)
            for e in Path("/proc").iterdir()
            if e.name.isdigit() and _comm(e) == "redis-server"
        ]
        return {
            "server": {pid: _cpu_seconds(pid) for pid in _children(self.server_pid)},
            "postgres": {pid: _cpu_seconds(pid) for pid in backends},
            "redis": {pid: _cpu_seconds(pid) for pid in redis},
        }

    def start(self) -> None:
        import resource

        self.before = self._groups()
        self.wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)

    def stop(self, requests: int) -> dict[str, float]:
        """CPU ms per request of each group."""
        import resource

        wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = {}
        for name, pids in self._groups().items():
            before = self.before.get(name, {})
            out[name] = sum(cpu - before.get(pid, 0.0) for pid, cpu in pids.items())
        out["wrk"] = (wrk.ru_utime + wrk.ru_stime) - (
            self.wrk_before.ru_utime + self.wrk_before.ru_stime
        )
        return {name: seconds * 1000 / max(requests, 1) for name, seconds in out.items()}


def _comm(entry: Path) -> str:
    try:
        return (entry / "comm").read_text().strip()
    except OSError:
        return ""


def run_wrk(args, url: str, script: str | None = None, probe: CpuProbe | None = None) -> dict:
    cmd = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(args.connections),
        "-d",
        args.duration,
        "--latency",
        "-H",
        "Accept-Encoding: gzip",
    ]
    if script:
        cmd += ["-s", script]
    if probe:
        probe.start()
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "requests": requests,
        "p99_ms": float(p99.group(1)) * factor,
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "cpu_ms": probe.stop(requests) if probe else {},
    }


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    env = environment(args)
    ensure_database(args.db)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )  # hashed static files, as production
    if not args.skip_seed:
        print(f"Seeding {args.batches:,} batches x {args.events_per_batch} events...", flush=True)
        seed(args, env)
    if args.seed_only:
        return
    import psycopg

    with psycopg.connect(args.db) as conn:
        gtin = conn.execute("SELECT gtin FROM trace_batch WHERE id = 1").fetchone()[0]
        n = conn.execute("SELECT count(*) FROM trace_batch").fetchone()[0]
        events = conn.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = 'trace_traceevent'"
        ).fetchone()[0]
    errors = Path("/tmp/trace-bench-server.log")  # noqa: S108 - a throwaway bench log
    errors.write_text("")
    sys.path[:0] = [str(ROOT)]
    from langso.core.management.commands.serve import server_command

    # the production server command of `langso serve`, on the bench's WSGI module
    cmd = [
        part.replace("config.wsgi:application", "trace_bench_wsgi:application")
        for part in server_command(
            args.server, bind=f"127.0.0.1:{args.port}", workers=args.workers, threads=args.threads
        )
    ]
    server = subprocess.Popen(  # noqa: S603
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors.open("w"),
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/trivial", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        page_url = f"{base}/01/{gtin}/10/L0000001"
        req = urllib.request.Request(page_url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
        with urllib.request.urlopen(req) as resp:  # noqa: S310
            body = resp.read()
            gz = resp.headers.get("Content-Encoding") == "gzip"
        html = gzip.decompress(body) if gz else body
        print(
            f"\nDatabase: {n:,} batches, ~{events:,} events. {args.server} {args.workers} workers"
            f" x {args.threads} threads; wrk {args.connections} connections, {args.duration}."
        )
        print(
            f"Scan page: {len(html):,} bytes, {len(body):,} bytes on the wire "
            f"({'gzip' if gz else 'identity'}), scripts: {html.count(b'<script')}"
        )
        hot = Path("/tmp/trace_hot.lua")  # noqa: S108 - throwaway wrk scripts
        cold = Path("/tmp/trace_random.lua")  # noqa: S108
        hot.write_text(LUA_RANDOM % {"n": min(args.hot, n), "gtin": gtin})
        cold.write_text(LUA_RANDOM % {"n": n, "gtin": gtin})
        # warm the workers (imports, connections) on the trivial view only
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "wrk",
                "-t",
                "2",
                "-c",
                str(args.connections),
                "-d",
                "5s",
                base + "/bench/trivial",
            ],
            capture_output=True,
            check=False,
        )
        probe = CpuProbe(server.pid, args.db) if Path("/proc/self/stat").exists() else None
        results = {"trivial view": run_wrk(args, base + "/bench/trivial", probe=probe)}
        render_s = 0.0
        if not args.keep_pages:
            flush_redis(args.redis)
            results[f"scan, random of {n:,}, empty cache"] = run_wrk(
                args, base, str(cold), probe=probe
            )
            started = time.monotonic()
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "manage.py",
                    "trace_render_pages",
                    "--processes",
                    str(args.render_processes),
                ],
                cwd=ROOT,
                env=env,
                check=True,
            )
            render_s = time.monotonic() - started
        results[f"scan, hot set of {min(args.hot, n)}"] = run_wrk(args, base, str(hot), probe=probe)
        results[f"scan, random of {n:,}, pre-rendered"] = run_wrk(
            args, base, str(cold), probe=probe
        )
        results["trivial view (again)"] = run_wrk(args, base + "/bench/trivial", probe=probe)
        memory = page_cache_memory(args.redis, n)
        static = nginx_static(args, base, gtin, min(args.hot, n), hot)
        fresh_ms = freshness(env, page_url)
        hot.unlink()
        cold.unlink()
    finally:
        server.terminate()
        server.wait(timeout=20)
    log = [
        line for line in errors.read_text().splitlines() if '"ERROR"' in line or "Traceback" in line
    ]
    if log:
        print(f"server / Django log, {len(log)} error lines:\n" + "\n".join(log[-20:]))
    trivial = (results["trivial view"]["rps"] + results["trivial view (again)"]["rps"]) / 2
    if render_s:
        print(
            f"\nAll pages rendered in {render_s:.0f} s ({n / render_s:,.0f} pages/s, "
            f"{args.render_processes} processes)."
        )
    per_batch = memory["bytes"] / max(memory["pages"], 1)
    per_million = per_batch * 1_000_000 / 1e9
    print(
        f"Page cache: {memory['pages']:,} pages, {memory['bytes'] / 1e6:.1f} MB in Redis "
        f"({memory['skeletons']} skeletons, {memory['skeleton_bytes'] / 1e3:.0f} kB): "
        f"{per_batch:,.0f} bytes per batch (record {memory['record_bytes']:,.0f} + key and "
        f"Redis overhead), {per_million:.2f} GB per million batches "
        f"[goal <= 1 GB: {'met' if per_million <= 1 else 'NOT met'}]"
    )
    print(
        f"A new event showed on its page {fresh_ms:.0f} ms after its commit "
        f"[goal <= 100 ms: {'met' if fresh_ms <= 100 else 'NOT met'}]"
    )
    goals = {"empty cache": 0.3, "pre-rendered": 1.2}
    print(f"\n{'':36} {'req/s':>9} {'p99 ms':>8} {'ratio':>6} {'non-2xx':>8}  goal")
    for name, r in results.items():
        ratio = r["rps"] / trivial
        goal = next((g for key, g in goals.items() if name.endswith(key)), None)
        verdict = f"  >= {goal}x: {'met' if ratio >= goal else 'NOT met'}" if goal else ""
        print(
            f"{name:36} {r['rps']:9.0f} {r['p99_ms']:8.1f} {ratio:6.2f} {r['errors']:8d}{verdict}"
        )
    print("(ratio: against the mean of the two trivial-view runs)")
    if probe:
        print(
            f"\n{'CPU ms per request':36} {'server':>9} {'postgres':>9} {'redis*':>7} "
            f"{'wrk':>6} {'total':>6} {'ceiling':>8}"
        )
        cores = os.cpu_count() or 1
        for name, r in results.items():
            cpu = r["cpu_ms"]
            total = sum(cpu.values())
            print(
                f"{name:36} {cpu['server']:9.3f} {cpu['postgres']:9.3f} {cpu['redis']:7.3f} "
                f"{cpu['wrk']:6.3f} {total:6.3f} {cores * 1000 / max(total, 1e-9):8.0f}"
            )
        print(
            "(server: the server's processes; postgres: the backends of the bench database; "
            f"*redis: the whole server, other databases' clients included; ceiling: the "
            f"requests/s {cores} cores could give if nothing else ran)"
        )
    if static:
        front = results[f"scan, hot set of {min(args.hot, n)}"]["rps"]
        print(
            f"\nnginx, the hot set's pages as static files: {static['rps']:,.0f} req/s, "
            f"p99 {static['p99_ms']:.1f} ms; {static['logged']:,} access-log lines for "
            f"{static['requests']:,} requests. Python front (hot set) / nginx static: "
            f"{front / static['rps']:.2f}x [moonshot >= 0.5x: "
            f"{'met' if front / static['rps'] >= 0.5 else 'NOT met'}]"
        )
    else:
        print("\nnginx is not installed (apt-get install -y nginx): no static comparison.")


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def page_cache_memory(url: str, batches: int) -> dict:
    """Bytes Redis holds for the scan pages' keys (MEMORY USAGE: the value, the key and
    Redis's own overhead), for this database only."""
    import redis

    client = redis.Redis.from_url(url)
    out = {"pages": 0, "bytes": 0, "record_bytes": 0, "skeletons": 0, "skeleton_bytes": 0}
    for kind, pattern in (("pages", "*trace:pg:*"), ("skeletons", "*trace:skeleton:*")):
        keys = list(client.scan_iter(match=pattern, count=5000))
        for start in range(0, len(keys), 5000):
            pipe = client.pipeline(transaction=False)
            for key in keys[start : start + 5000]:
                pipe.memory_usage(key, samples=0)
                if kind == "pages":
                    pipe.strlen(key)
            answers = pipe.execute()
            step = 2 if kind == "pages" else 1
            out["bytes" if kind == "pages" else "skeleton_bytes"] += sum(answers[0::step])
            if kind == "pages":
                out["record_bytes"] += sum(answers[1::2])
        out[kind] = len(keys)
    # the skeletons are shared: spread them over the pages (a handful per product)
    out["bytes"] += out["skeleton_bytes"]
    out["record_bytes"] /= max(out["pages"], 1)
    return out


NGINX_CONF = """
worker_processes %(workers)d;
pid %(root)s/nginx.pid;
error_log %(root)s/error.log;
events { worker_connections 1024; }
http {
    access_log %(root)s/access.log;
    types { text/html html; }
    server {
        listen 127.0.0.1:%(port)d;
        root %(root)s/www;
        location / { gzip_static always; gunzip on; default_type text/html; }
    }
}
"""


def nginx_static(args, base: str, gtin: str, hot: int, script: Path) -> dict | None:
    """The hot set's pages, as the Python front serves them, written as files and served by
    nginx (as many workers as the Python server): requests/s and the access log's count."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx:
        return None
    root = Path("/tmp/trace-bench-nginx")  # noqa: S108 - a throwaway bench folder
    shutil.rmtree(root, ignore_errors=True)
    (root / "www").mkdir(parents=True)
    for i in range(1, hot + 1):
        path = f"/01/{gtin}/10/L{i:07d}"
        req = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})  # noqa: S310
        with urllib.request.urlopen(req) as resp:  # noqa: S310
            body = resp.read()
        target = root / "www" / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        Path(f"{target}.gz").write_bytes(body)
    port = args.nginx_port or args.port + 1
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF % {"workers": args.workers, "root": root, "port": port})
    server = subprocess.Popen(  # noqa: S603
        [nginx, "-p", str(root), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/01/{gtin}/10/L0000001").read()
                break
            except OSError:
                time.sleep(0.1)
        (root / "access.log").write_text("")  # nginx appends to the same open file
        result = run_wrk(args, f"http://127.0.0.1:{port}", str(script))
    finally:
        server.terminate()
        server.wait(timeout=20)
    result["logged"] = sum(1 for _line in (root / "access.log").open())
    return result


def freshness(env: dict, page_url: str) -> float:
    """Record an inspection on batch 1 through the real action; time until the page,
    fetched over HTTP like a phone would, shows it."""
    os.environ.update(env)
    sys.path[:0] = [str(BENCH), str(ROOT)]
    import django

    django.setup()
    from django.utils import timezone

    from langso.people.models import User
    from langso.trace.actions import record_event
    from langso.trace.models import Batch

    actor, _ = User.objects.get_or_create(
        username="bench-inspector", defaults={"is_superuser": True, "is_staff": True}
    )
    lab = f"Phòng kiểm nghiệm {secrets.token_hex(3)}"
    record_event(
        actor=actor,
        batch=Batch.objects.get(pk=1),
        kind="inspection",
        event_time=timezone.now(),
        details={"laboratory": lab, "passed": True},
    )
    committed = time.monotonic()
    while time.monotonic() - committed < 30:
        with urllib.request.urlopen(page_url) as resp:  # noqa: S310
            if lab in resp.read().decode():
                return (time.monotonic() - committed) * 1000
        time.sleep(0.05)
    return float("inf")


if __name__ == "__main__":
    main()
