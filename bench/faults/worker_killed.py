"""Fault: the task worker is killed (kill -9) while it delivers an announcement.

An announcement goes to every subscriber of one hamlet (SMS, Zalo and e-mail through a
durable fake provider, bench/faults/durable_gateway.py). The worker (`langso db_worker`) is
killed right after the provider accepted a message and before the worker recorded it, then
started again; `langso engage_retry_deliveries` runs every few seconds as cron would.
Expected: every delivery ends `sent`, and the provider delivered each message exactly once
(the repeated request after the kill carries the same reference and is deduplicated).

    .venv/bin/python bench/faults/worker_killed.py [--recipients 150]
"""

import argparse
import os
import signal
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import BIN, ROOT, django_for, ensure_demo, env_for, load_mix, start_worker, verdict


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=150)
    parser.add_argument(
        "--kill-at",
        type=float,
        default=0.3,
        help="fraction of the messages sent when the worker is killed",
    )
    args = parser.parse_args()
    outbox = Path(tempfile.mkdtemp(prefix="langso-fault-")) / "outbox.sqlite3"
    env = env_for(
        LANGSO_BENCH_GATEWAYS="durable",
        LANGSO_BENCH_OUTBOX=outbox,
        LANGSO_ENGAGE_STALE_AFTER_SECONDS=5,
        LANGSO_BENCH_SEND_SECONDS=0.05,
    )
    django_for(env)
    ensure_demo(env)
    import durable_gateway
    from django.utils import timezone

    from langso.engage.actions import create_announcement
    from langso.engage.models import Audience, Delivery, DeliveryState, Subscription
    from langso.people.models import Resident, User
    from langso.places.models import AdminUnit, Hamlet, Level, Structure

    commune = AdminUnit.objects.get(structure=Structure.Y2025, level=Level.COMMUNE, code="05641")
    hamlet = (
        Hamlet.objects.filter(commune=commune)
        .exclude(code__startswith="BENCH")
        .order_by("name")
        .first()
    )
    residents = list(
        Resident.objects.filter(household__hamlet=hamlet).exclude(
            engage_subscription__isnull=False
        )[: args.recipients]
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                resident=r,
                commune=commune,
                phone=f"09{r.pk:08d}"[-10:],
                email=f"nguoidan{r.pk}@example.vn",
                by_sms=True,
                by_zalo=True,
                by_email=True,
                consent_at=timezone.now(),
            )
            for r in residents
        ]
    )
    official = User.objects.get(username="canbo.votranh")
    conn = durable_gateway.connect(str(outbox))

    def provider_calls() -> int:
        return conn.execute("SELECT count(*) FROM calls").fetchone()[0]

    worker = start_worker(env, log="fault-worker")
    announcement = create_announcement(
        actor=official,
        commune=commune,
        audience=Audience.HAMLET,
        hamlet=hamlet,
        title=f"Thử lỗi: lịch cắt điện {time.strftime('%H:%M:%S')}",
        body="Thông báo thử khi tắt đột ngột tiến trình gửi tin.",
    )
    deliveries = Delivery.objects.filter(announcement=announcement)
    total = deliveries.count()
    print(
        f"announcement to {hamlet.name}: {total} deliveries "
        f"({deliveries.values('resident').distinct().count()} residents)",
        flush=True,
    )

    started = time.monotonic()
    kill_at = max(1, int(total * args.kill_at))
    while provider_calls() < kill_at and time.monotonic() - started < 600:
        time.sleep(0.005)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    states = Counter(deliveries.values_list("state", flat=True))
    print(
        f"kill -9 of the worker after {provider_calls()} provider calls; rows: {dict(states)}",
        flush=True,
    )

    worker = start_worker(env, log="fault-worker")
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            subprocess.run(  # noqa: S603
                [str(BIN / "langso"), "engage_retry_deliveries"],
                env=env,
                cwd=ROOT,
                capture_output=True,
                check=True,
            )  # the cron job
            if not deliveries.exclude(state=DeliveryState.SENT).exists():
                break
            time.sleep(3)
    finally:
        load_mix.stop(worker)
    elapsed = time.monotonic() - started
    states = Counter(deliveries.values_list("state", flat=True))
    references = {f"langso-{pk}" for pk in deliveries.values_list("pk", flat=True)}
    calls = Counter(
        ref for (ref,) in conn.execute("SELECT reference FROM calls") if ref in references
    )
    sent = Counter(
        ref for (ref,) in conn.execute("SELECT reference FROM sent") if ref in references
    )
    repeated = sorted(ref for ref, n in calls.items() if n > 1)
    print(f"after restart ({elapsed:.0f} s in all): rows {dict(states)}")
    print(
        f"provider: {sum(calls.values())} requests for {len(calls)} deliveries "
        f"(repeated requests: {repeated or 'none'}); messages delivered: {sum(sent.values())},"
        f" deliveries with exactly one message: {sum(1 for r in references if sent[r] == 1)}"
        f"/{total}"
    )
    verdict(
        states == Counter({DeliveryState.SENT: total})
        and set(sent) == references
        and all(n == 1 for n in sent.values())
    )


if __name__ == "__main__":
    main()
