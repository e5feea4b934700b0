"""A realistic mix against the production setup on loopback.

Starts the application server of `langso serve` with its defaults (granian; production
settings, DEBUG off; the workers and threads chosen in docs/production.md) and the task
worker (`langso db_worker`) on PostgreSQL `langso_load` with the Redis cache (DB 5),
prepares the demo once, then drives for --duration seconds: trace scan pages, resident
pages (home, procedures list/detail, announcements, market, product), dossier submissions
(logged-in resident, CSRF, a PDF attached; each accepted one redirects to a receipt page
that must show its code), the officials' desk (logged-in session), API GETs and a few EPCIS
captures. Prints requests/s, p50/p99 and errors per route, and checks that every dossier
that got a receipt is in the database.

The target: no error and every route's p99 under 200 ms at the client. The goal, printed
beside the figures: the target holds at 40 req/s on 2 cores with `langso serve`'s defaults.

    .venv/bin/python bench/load_mix.py --duration 180 --clients 8 --rate 40
    .venv/bin/python bench/load_mix.py --duration 30 --rate 30 --find-max

--rate 0 drives closed-loop (each client sends as soon as it has its answer); a positive
rate paces the clients to that many requests per second in total (open loop, so queueing
shows in the latency). --find-max runs --rate, then 10 req/s more each time on the same
server until the target fails (or 10 less until it holds), and reports the highest rate
where it held. --workers and
--threads override the server's defaults (to compare sizings). The bench settings
(bench/load_settings.py) raise the rate limits (every client is 127.0.0.1) and switch off
the lock-out of django-axes.
"""

import argparse
import bisect
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import urllib3
from benchdb import ensure_database  # bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 8_000
PASSWORD = "langso-demo"  # noqa: S105 (the demo accounts)
GOAL_RATE = 40  # req/s on 2 cores, the default production configuration (issue 17)
TARGET_MS = 200  # every route's p99 at the client, with no error


def stack_env(database_url: str, redis_url: str, var_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "load_settings",
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "bench"), str(ROOT / "bench" / "faults"), str(ROOT)]
            ),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "LANGSO_VAR_DIR": var_dir,
            "LANGSO_PUBLIC_URL": "http://127.0.0.1",
            "PYTHONUNBUFFERED": "1",
            # the first request of a worker loads every URLconf and API schema; on a busy
            # machine that takes longer than gunicorn's default 30 s worker timeout
            "GUNICORN_CMD_ARGS": os.environ.get("GUNICORN_CMD_ARGS", "--timeout 120"),
        }
    )
    return env


def langso(*args, env, **kw) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [str(BIN / "langso"), *args],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        **kw,
    )


def stop(proc: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_http(url: str, seconds: float = 400) -> None:
    http = urllib3.PoolManager(retries=False, timeout=5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if http.request("GET", url).status < 500:
                return
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def setup_django(env: dict) -> None:
    for key in (
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "REDIS_URL",
        "LANGSO_VAR_DIR",
        "LANGSO_PUBLIC_URL",
    ):
        os.environ[key] = env[key]
    for path in env["PYTHONPATH"].split(os.pathsep)[::-1]:
        sys.path.insert(0, path)
    import django

    django.setup()


def demo_ready() -> bool:
    from django.db import connection

    from langso.people.models import User

    tables = connection.introspection.table_names()
    return "people_user" in tables and User.objects.filter(username="canbo.votranh").exists()


def discover() -> dict:
    """Real addresses from the demo data (read once, before the load starts)."""
    from langso.economy.queries import market_products
    from langso.engage.models import Announcement
    from langso.people.models import User
    from langso.procedures.models import Procedure
    from langso.trace import epcis
    from langso.trace.actions import create_api_key
    from langso.trace.identifiers import batch_path
    from langso.trace.models import Batch

    batches = list(Batch.objects.select_related("product__producer").order_by("?")[:200])
    from langso.procedures.models import OnlineLevel
    from langso.procedures.queries import dossiers_visible_to

    procedures = list(
        Procedure.objects.filter(is_active=True, commune__code="05641")
        .exclude(online_level=OnlineLevel.COUNTER)
        .values_list("pk", flat=True)[:50]
    )
    official = User.objects.get(username="canbo.votranh")
    capture = None
    with_gtin = [b for b in batches if b.gtin]
    if with_gtin:  # an EPCIS capture key for the producer of one lot (one per run)
        batch = with_gtin[0]
        actor = User.objects.get(username="admin")
        secret = create_api_key(
            actor=actor, producer=batch.product.producer, name=f"load bench {uuid.uuid4().hex[:6]}"
        )[1]
        capture = {
            "secret": secret,
            "epcClass": f"https://id.gs1.org/01/{batch.gtin}/10/{batch.lot}",
            "document": epcis.document,
        }
    return {
        "capture": capture,
        "scan": [batch_path(b) for b in batches],
        "procedures": procedures,
        "announcements": [
            str(p)
            for p in Announcement.objects.filter(status="published").values_list(
                "public_id", flat=True
            )[:100]
        ],
        "products": [str(p) for p in market_products().values_list("public_id", flat=True)[:100]],
        "desk_dossiers": [
            str(p) for p in dossiers_visible_to(official).values_list("public_id", flat=True)[:100]
        ],
    }


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.status: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.receipts: list[str] = []
        self.timeline: list[tuple[float, str, int]] = []  # (time, route, status)

    def add(self, route: str, seconds: float, status: int, error: str = "") -> None:
        with self.lock:
            bisect.insort(self.latency[route], seconds)
            self.status[route][status] += 1
            self.timeline.append((time.monotonic(), route, status))
            if error:
                self.errors[route][error] += 1


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


COOKIE = re.compile(r"^([^=;]+)=([^;]*)")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(r"Mã biên nhận: <strong>([^<]+)</strong>")


class Client:
    """One simulated user: its own connection and cookies."""

    def __init__(self, base: str, recorder: Recorder):
        self.base = base
        self.http = urllib3.HTTPConnectionPool(
            "127.0.0.1",
            int(base.rsplit(":", 1)[1]),
            maxsize=1,
            retries=False,
            timeout=urllib3.Timeout(connect=5, read=30),
        )
        self.cookies: dict[str, str] = {}
        self.user = ""
        self.sessions: dict[str, dict[str, str]] = {}  # user -> that user's cookies
        self.recorder = recorder

    def request(
        self, route: str, method: str, path: str, *, expect=(200,), record=True, cookies=True, **kw
    ):
        headers = kw.pop("headers", {})
        if self.cookies and cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            response = self.http.request(method, path, headers=headers, redirect=False, **kw)
        except urllib3.exceptions.HTTPError as exc:
            if record:
                self.recorder.add(route, time.perf_counter() - started, 0, type(exc).__name__)
            return None
        elapsed = time.perf_counter() - started
        for header in response.headers.getlist("Set-Cookie"):
            match = COOKIE.match(header)
            if match:
                self.cookies[match[1].strip()] = match[2]
        if record:
            error = "" if response.status in expect else f"HTTP {response.status}"
            self.recorder.add(route, elapsed, response.status, error)
        return response

    def login(self, username: str, *, fresh: bool = False) -> bool:
        """Act as `username`, in that person's session if they logged in before (a resident
        and an official are two people with two browsers); else log in, recorded as route
        login. `fresh`: log in again even so (a new day, another phone)."""
        if self.user:
            self.sessions[self.user] = self.cookies
        if username in self.sessions and not fresh:
            self.cookies, self.user = self.sessions[username], username
            return True
        self.cookies = {}
        self.user = ""
        page = self.request("login", "GET", "/dang-nhap/")
        token = CSRF_INPUT.search(page.data.decode()) if page and page.status == 200 else None
        if not token:
            return False
        response = self.request(
            "login",
            "POST",
            "/dang-nhap/",
            expect=(302,),
            body=urlencode(
                {"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD}
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response is not None and response.status == 302:
            self.user = username
        return bool(self.user)


def build_mix(data: dict):
    """(route name, weight, function(client)) — the weights are a guess at a commune's day:
    mostly consumers scanning labels and residents reading, few submissions."""

    def get(route, path, expect=(200,)):
        return lambda c: c.request(route, "GET", path() if callable(path) else path, expect=expect)

    pick = random.choice

    def submit(c: "Client"):
        if not c.login("nguoidan.votranh"):
            return
        pk = pick(data["procedures"])
        form = c.request("submit_form", "GET", f"/procedures/thu-tuc/{pk}/nop-ho-so/")
        token = CSRF_INPUT.search(form.data.decode()) if form else None
        if not token:
            return
        response = c.request(
            "submit",
            "POST",
            f"/procedures/thu-tuc/{pk}/nop-ho-so/",
            expect=(302,),
            fields={
                "csrfmiddlewaretoken": token[1],
                "applicant_name": "Nguyễn Văn Tải",
                "applicant_phone": "0912345678",
                "description": "Nộp thử khi đo tải.",
                "files": ("giay-to.pdf", PDF, "application/pdf"),
            },
        )
        if response is None or response.status != 302:
            return
        # the accepted dossier redirects to its receipt (so that F5 does not file it again)
        receipt = c.request("receipt", "GET", response.headers["Location"])
        code = RECEIPT.search(receipt.data.decode()) if receipt else None
        with c.recorder.lock:
            if code:
                c.recorder.receipts.append(code[1])
            else:
                c.recorder.errors["receipt"]["receipt page without a receipt code"] += 1

    def desk(path):
        def run(c: "Client"):
            if not c.login("canbo.votranh"):
                return
            c.request(*path())

        return run

    def capture(c: "Client"):
        spec = data["capture"]
        event = {
            "type": "ObjectEvent",
            "eventID": f"urn:uuid:{uuid.uuid4()}",
            "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
            "eventTimeZoneOffset": "+07:00",
            "action": "OBSERVE",
            "bizStep": "inspecting",  # shipping more than was packed is refused (422)
            "disposition": "active",
            "quantityList": [{"epcClass": spec["epcClass"], "quantity": 10, "uom": "KGM"}],
        }
        c.request(
            "api_capture",
            "POST",
            "/api/trace/capture",
            expect=(202,),
            cookies=False,  # a partner's system, not a browser (a session would ask for CSRF)
            body=json.dumps(spec["document"]([event])),
            headers={
                "Content-Type": "application/ld+json",
                "Authorization": f"Bearer {spec['secret']}",
            },
        )

    mix = [
        ("scan", 30, get("scan", lambda: pick(data["scan"]))),
        ("home", 8, get("home", "/")),
        ("procedures", 6, get("procedures", "/procedures/")),
        (
            "procedure_detail",
            6,
            get("procedure_detail", lambda: f"/procedures/thu-tuc/{pick(data['procedures'])}/"),
        ),
        ("announcements", 6, get("announcements", "/engage/announcements/")),
        (
            "announcement_detail",
            4,
            get(
                "announcement_detail",
                lambda: f"/engage/announcements/{pick(data['announcements'])}/",
            ),
        ),
        ("market", 6, get("market", "/economy/")),
        ("product", 4, get("product", lambda: f"/economy/products/{pick(data['products'])}/")),
        ("api_products", 4, get("api_products", "/api/economy/products")),
        ("api_announcements", 4, get("api_announcements", "/api/engage/announcements")),
        ("api_units", 3, get("api_units", "/api/places/units?q=vo+tranh")),
        ("submit", 3, submit),
        ("desk", 4, desk(lambda: ("desk", "GET", "/procedures/ban-lam-viec/"))),
        ("login", 1, lambda c: c.login(pick(["nguoidan.votranh", "canbo.votranh"]), fresh=True)),
        (
            "desk_detail",
            3,
            desk(
                lambda: (
                    "desk_detail",
                    "GET",
                    f"/procedures/ban-lam-viec/ho-so/{pick(data['desk_dossiers'])}/",
                )
            ),
        ),
    ]
    if data["capture"]:
        mix.append(("api_capture", 1, capture))
    return mix


def drive(
    base: str,
    mix,
    *,
    duration: float,
    clients: int,
    rate: float,
    recorder: Recorder,
    stop_event: threading.Event | None = None,
) -> float:
    _names, weights, funcs = zip(*mix, strict=True)
    stop_event = stop_event or threading.Event()
    deadline = time.monotonic() + duration
    interval = clients / rate if rate > 0 else 0.0

    def loop(seed: int):
        rnd = random.Random(seed)
        client = Client(base, recorder)
        next_at = time.monotonic() + rnd.random() * interval
        while not stop_event.is_set() and time.monotonic() < deadline:
            if interval:
                pause = next_at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                next_at += interval
            rnd.choices(funcs, weights)[0](client)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def report(recorder: Recorder, elapsed: float, *, target_ms: float = TARGET_MS) -> bool:
    total = sum(len(v) for v in recorder.latency.values())
    errors = sum(sum(e.values()) for e in recorder.errors.values())
    print(
        f"\n{total} requests in {elapsed:.0f} s = {total / elapsed:.1f} requests/s; {errors} errors"
    )
    print(f"{'route':<22}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  errors")
    ok = errors == 0
    for route in sorted(recorder.latency):
        values = recorder.latency[route]
        p50, p99 = percentile(values, 50) * 1000, percentile(values, 99) * 1000
        errs = dict(recorder.errors.get(route, {}))
        flag = "" if p99 <= target_ms else "  (p99 over target)"
        ok = ok and p99 <= target_ms
        print(
            f"{route:<22}{len(values):>7}{p50:>9.0f}{p99:>9.0f}{values[-1] * 1000:>9.0f}  "
            f"{errs or 0}{flag}"
        )
    return ok


def server_side(log: Path, *, since: datetime, target_ms: float = TARGET_MS) -> None:
    """p50/p99 per Django route from the access lines the server wrote (duration_ms: from
    the request entering Django to its response, without the client or the network).
    Far below the client's figures means the time was spent queueing, not working."""
    durations: dict[str, list[float]] = defaultdict(list)
    for line in log.read_text(errors="replace").splitlines():
        if '"langso.request"' not in line:
            continue
        try:
            entry = json.loads(line)
            at = datetime.fromisoformat(entry["time"].replace("Z", "+00:00"))
        except (ValueError, KeyError):
            continue
        if at < since:
            continue
        durations[entry.get("route", "?")].append(float(entry.get("duration_ms", 0)))
    if not durations:
        return
    print(f"\nserver side (access log), {sum(map(len, durations.values()))} requests")
    print(f"{'Django route':<34}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for route in sorted(durations, key=lambda r: -len(durations[r])):
        values = sorted(durations[route])
        if len(values) < 20:
            continue
        p50, p99 = percentile(values, 50), percentile(values, 99)
        flag = "" if p99 <= target_ms else "  (p99 over target)"
        print(f"{route[:33]:<34}{len(values):>7}{p50:>9.1f}{p99:>9.1f}{values[-1]:>9.1f}{flag}")


def check_receipts(receipts: list[str]) -> tuple[int, int]:
    from django.db import close_old_connections

    from langso.procedures.models import Dossier

    close_old_connections()
    found = set()
    for i in range(0, len(receipts), 500):
        found |= set(
            Dossier.objects.filter(receipt_code__in=receipts[i : i + 500]).values_list(
                "receipt_code", flat=True
            )
        )
    return len(set(receipts)), len(found & set(receipts))


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(base: str, mix, args, rate: float, logs: Path) -> tuple[bool, Recorder, float]:
    """One run at `rate`: the full table, the server's side of it, PASS or FAIL."""
    measured_from = datetime.now(UTC)
    recorder = Recorder()
    elapsed = drive(
        base, mix, duration=args.duration, clients=args.clients, rate=rate, recorder=recorder
    )
    ok = report(recorder, elapsed, target_ms=TARGET_MS)
    accepted, stored = check_receipts(recorder.receipts)
    print(f"\ndossiers accepted with a receipt code: {accepted}; found in the database: {stored}")
    server_side(logs / "server.log", since=measured_from, target_ms=TARGET_MS)
    server_errors = (logs / "server.log").read_text(errors="replace").count("Traceback")
    print(f"tracebacks in the server log: {server_errors}")
    ok = ok and accepted == stored and server_errors == 0
    return ok, recorder, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=180, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--rate",
        type=float,
        default=GOAL_RATE,
        help="requests per second in total (0: as fast as answered)",
    )
    parser.add_argument(
        "--find-max",
        action="store_true",
        help="run --duration at --rate, then 10 req/s more each time until the target "
        "fails (or less until it holds); report the highest rate where it held",
    )
    parser.add_argument(
        "--workers", type=int, help="application server workers (default: langso serve's)"
    )
    parser.add_argument("--threads", type=int, help="threads per worker (default: langso serve's)")
    parser.add_argument(
        "--warmup",
        type=float,
        default=20,
        help="seconds of the same mix before measuring (not counted)",
    )
    parser.add_argument("--port", type=int, default=8450)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/langso_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--var-dir", default="/tmp/langso-load/var")  # noqa: S108
    args = parser.parse_args()

    ensure_database(args.database_url)
    env = stack_env(args.database_url, args.redis_url, args.var_dir)
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    setup_django(env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # as production: hashed static files (the pages name them through the manifest)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not demo_ready():
        print("Preparing the demo on", args.database_url, "(once)...", flush=True)
        subprocess.run(  # noqa: S603
            [str(BIN / "langso"), "demo", "--no-serve"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    data = discover()
    print(
        f"demo: {len(data['scan'])} scan addresses, {len(data['procedures'])} procedures, "
        f"{len(data['desk_dossiers'])} desk dossiers"
    )
    print(
        "bench settings: rate limits raised to 1,000,000/min, axes lock-out off "
        "(every client is 127.0.0.1)"
    )

    base = f"http://127.0.0.1:{args.port}"
    logs = Path(args.var_dir) / "logs"
    logs.mkdir(exist_ok=True)
    sizing = []
    if args.workers is not None:
        sizing += ["--workers", str(args.workers)]
    if args.threads is not None:
        sizing += ["--threads", str(args.threads)]
    server = worker = None
    try:
        server = langso(
            "serve",
            "--bind",
            f"127.0.0.1:{args.port}",
            *sizing,
            env=env,
            stdout=open(logs / "access.log", "w"),
            stderr=open(logs / "server.log", "w"),
        )
        worker = langso(
            "db_worker", env=env, stdout=open(logs / "worker.log", "w"), stderr=subprocess.STDOUT
        )
        wait_http(base + "/healthz")
        started = (logs / "access.log").read_text(errors="replace").strip().splitlines()
        print(
            f"{started[-1] if started else 'langso serve'} on {base} "
            f"({'as given: ' + ' '.join(sizing) if sizing else 'its defaults'}), "
            f"db_worker running; {args.clients} clients, {args.duration:g} s a run; "
            f"{os.cpu_count()} cores, {load_average()}",
            flush=True,
        )
        mix = build_mix(data)
        warm = Recorder()
        if args.warmup:
            # a server in service is warm: each worker's first request of a route imports
            # and compiles what it needs (up to ~1.8 s here), which with ~150 requests per
            # route would be the p99 itself. Not recorded; its dossiers are checked too.
            drive(
                base, mix, duration=args.warmup, clients=args.clients, rate=args.rate, recorder=warm
            )
            accepted, stored = check_receipts(warm.receipts)
            print(
                f"warm-up: {sum(len(v) for v in warm.latency.values())} requests in "
                f"{args.warmup:g} s, not counted; its dossiers {stored}/{accepted} stored",
                flush=True,
            )
        goal = (
            f"goal: the target (0 errors, every route's p99 under {TARGET_MS} ms at the client) "
            f"holds at {GOAL_RATE} req/s on 2 cores with langso serve's defaults"
        )
        if not args.find_max:
            print(f"\n--- {args.rate:g} req/s " + ("paced" if args.rate else "closed loop"))
            ok, _, _ = measure(base, mix, args, args.rate, logs)
            print(f"{'PASS' if ok else 'FAIL'} at {args.rate:g} req/s; {load_average()}")
            print(goal + ("" if args.rate == GOAL_RATE else f" (this run: {args.rate:g} req/s)"))
            return
        held, failed, rate, lines = None, None, args.rate, []
        while rate > 0 and (held is None or failed is None):
            print(f"\n--- {rate:g} req/s paced", flush=True)
            ok, recorder, elapsed = measure(base, mix, args, rate, logs)
            total = sum(len(v) for v in recorder.latency.values())
            worst = max(
                recorder.latency, key=lambda r: percentile(recorder.latency[r], 99), default=""
            )
            lines.append(
                f"{rate:>6g} req/s asked, {total / elapsed:6.1f} served, "
                f"slowest p99 {percentile(recorder.latency[worst], 99) * 1000:5.0f} ms "
                f"({worst}): {'holds' if ok else 'fails'}; {load_average()}"
            )
            if ok:
                held = rate
                rate += 10  # up until it fails
            else:
                failed = rate
                rate = rate - 10 if rate > 10 else rate // 2  # down until it holds
        print("\n" + "\n".join(lines))
        verdict = "met" if held and held >= GOAL_RATE else "NOT met"
        print(
            f"highest rate where the target holds: {held or 'none'} req/s "
            f"(steps of 10); {goal}: {verdict}"
        )
    finally:
        stop(server)
        stop(worker)


if __name__ == "__main__":
    main()
