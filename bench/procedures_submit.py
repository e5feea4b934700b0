"""Dossier submissions per second on PostgreSQL with concurrent clients.

Each client is a thread with its own database connection calling the real action
`submit_dossier` (validation, receipt number under a row lock, deadline arithmetic, one PDF
attachment written to disk, history row, audit row). The reference is a bare INSERT of the
same dossier row with the same number of threads, in the same run; the two alternate in
`--rounds` rounds so that the load of a shared machine weighs on both alike.

All clients file in one commune by default: the receipt number of a commune and day is
taken under a row lock held until COMMIT (gapless numbers), so this measures one commune's
ceiling. `--communes N` spreads the clients over N communes, as a province's traffic is.

Tasks go where production sends them (`--tasks production`: django-tasks' database backend,
a row per enqueued task, drained later by `db_worker`); `--tasks immediate` runs them in the
submitting thread as the test settings do. No worker runs during the measure: after the
burst the benchmark counts the recompute tasks left queued for the commune, which must be at
most one however many dossiers arrived (pending recomputes of a unit and year coalesce).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/langso_procedures_bench \
        .venv/bin/python bench/procedures_submit.py --clients 4 --seconds 10

The database is created if missing and migrated; its dossiers and queued tasks are deleted
at the start.

`--profile N` measures instead the Python (CPU) time of N submissions and N bare INSERTs in
one thread, then prints cProfile's heaviest functions over N more submissions, by cumulative
time and by own time. With the GIL, the clients' Python runs one at a time: that CPU time,
more than the database, sets the ratio.
"""

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchdb import ensure_database  # bench/ is on sys.path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/langso_procedures_bench")
os.environ.setdefault("LANGSO_MEDIA_ROOT", tempfile.mkdtemp(prefix="langso-bench-"))

GOAL_RATIO = 0.2  # the full action at a fifth of a bare INSERT or better (issue 17)
GOAL_QUEUED = 1  # recompute tasks queued per commune after the burst
RECOMPUTE_TASK = "langso.monitor.tasks.recompute_unit"
TASK_BACKENDS = {
    "production": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 20_000


def setup(communes: int):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from langso.core.text import fold
    from langso.people.models import Role, RoleAssignment, User
    from langso.places.models import AdminUnit, Level, Structure
    from langso.procedures.actions import load_catalogue
    from langso.procedures.models import Dossier, DossierEvent, Procedure, ReceiptSequence

    province, _ = AdminUnit.objects.get_or_create(
        structure=Structure.Y2025,
        level=Level.PROVINCE,
        code="19",
        defaults={
            "name": "Tỉnh Thái Nguyên",
            "short_name": "Thái Nguyên",
            "unit_type": "Tỉnh",
            "province_code": "19",
            "search_key": "tinh thai nguyen",
        },
    )
    from django_tasks_db.models import DBTaskResult

    from langso.monitor.models import PendingRecompute

    DBTaskResult.objects.filter(task_path=RECOMPUTE_TASK).delete()
    places = []
    for n in range(communes):
        code, name = ("05641", "Xã Vô Tranh") if n == 0 else (f"9{n:04d}", f"Xã Bench {n}")
        commune, _ = AdminUnit.objects.get_or_create(
            structure=Structure.Y2025,
            level=Level.COMMUNE,
            code=code,
            defaults={
                "name": name,
                "short_name": name[3:],
                "unit_type": "Xã",
                "parent": province,
                "province_code": "19",
                "search_key": fold(name),
            },
        )
        load_catalogue(commune=commune)
        DossierEvent.objects.filter(dossier__commune=commune).delete()
        Dossier.objects.filter(commune=commune).delete()
        ReceiptSequence.objects.filter(commune=commune).delete()
        PendingRecompute.objects.filter(unit=commune).delete()
        places.append((commune, Procedure.objects.get(commune=commune, code="1.004873")))
    users = []
    for i in range(16):
        user, _ = User.objects.get_or_create(username=f"bench.resident{i}")
        for commune, _procedure in places:
            RoleAssignment.objects.get_or_create(user=user, role=Role.RESIDENT, unit=commune)
        users.append(user)
    return places, users


def run(kind: str, clients: int, seconds: float, places, users) -> tuple[int, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.utils import timezone

    from langso.procedures.actions import submit_dossier
    from langso.procedures.models import Channel, Dossier, State

    counts = [0] * clients
    errors: list[BaseException] = []
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def worker(i: int) -> None:
        user = users[i % len(users)]
        commune, procedure = places[i % len(places)]
        try:
            start_gate.wait()
            while time.perf_counter() < stop_at[0]:
                if kind == "action":
                    submit_dossier(
                        actor=user,
                        procedure_id=procedure.pk,
                        applicant_name="Nguyễn Văn Bench",
                        files=[SimpleUploadedFile("to-khai.pdf", PDF)],
                    )
                else:
                    now = timezone.now()
                    Dossier.objects.create(
                        commune=commune,
                        province_code="19",
                        procedure=procedure,
                        receipt_code=f"REF-{uuid.uuid4().hex[:24]}",
                        tracking_secret="ABCDEFGH",  # noqa: S106
                        channel=Channel.ONLINE,
                        state=State.SUBMITTED,
                        applicant_user=user,
                        applicant_name="Nguyễn Văn Bench",
                        submitted_at=now,
                        receipt_due_at=now,
                        due_at=now,
                    )
                counts[i] += 1
        except BaseException as exc:  # report, don't hang the barrier
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start_gate.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return sum(counts), elapsed


def profile(count: int, places, users) -> None:
    import cProfile
    import pstats

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from langso.procedures.actions import submit_dossier
    from langso.procedures.models import Channel, Dossier, State

    commune, procedure = places[0]
    user = users[0]

    def submit() -> None:
        submit_dossier(
            actor=user,
            procedure_id=procedure.pk,
            applicant_name="Nguyễn Văn Bench",
            files=[SimpleUploadedFile("to-khai.pdf", PDF)],
        )

    def insert() -> None:
        now = timezone.now()
        Dossier.objects.create(
            commune=commune,
            province_code="19",
            procedure=procedure,
            receipt_code=f"REF-{uuid.uuid4().hex[:24]}",
            tracking_secret="ABCDEFGH",  # noqa: S106
            channel=Channel.ONLINE,
            state=State.SUBMITTED,
            applicant_user=user,
            applicant_name="Nguyễn Văn Bench",
            submitted_at=now,
            receipt_due_at=now,
            due_at=now,
        )

    for _ in range(20):  # warm up: caches, prepared statements, the day's receipt sequence
        submit()
    with CaptureQueriesContext(connection) as queries:
        submit()
    cpu = {}
    for name, call in (("submit_dossier", submit), ("bare INSERT", insert)):
        began = time.process_time()
        for _ in range(count):
            call()
        cpu[name] = (time.process_time() - began) / count * 1000
    action, bare = cpu["submit_dossier"], cpu["bare INSERT"]
    print(
        f"CPU per call in one thread: submit_dossier {action:.2f} ms, bare INSERT {bare:.2f} ms, "
        f"ratio {bare / action:.3f}; {len(queries.captured_queries)} statements per submission "
        "(BEGIN and COMMIT included)"
    )
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(count):
        submit()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--tasks", choices=sorted(TASK_BACKENDS), default="production")
    parser.add_argument("--communes", type=int, default=1, help="clients spread over them")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile N submissions instead"
    )
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    logging.getLogger("django_tasks").setLevel(logging.WARNING)  # a line per task otherwise
    from django.conf import settings
    from django.db import connection
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS[args.tasks]}}
    # Apps declare their tasks at start-up (langso/core/schedule.py), which builds the
    # configured backend: forget it, so that the next enqueue builds the one asked for.
    task_backends._settings = None
    task_backends.__dict__.pop("settings", None)
    if hasattr(task_backends._connections, "default"):
        delattr(task_backends._connections, "default")
    backend = type(task_backends["default"]).__name__

    assert connection.vendor == "postgresql", "this benchmark is for PostgreSQL"
    places, users = setup(args.communes)
    if args.profile:
        profile(args.profile, places, users)
        return
    connection.close()
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"{args.clients} concurrent clients in {args.communes} commune(s), "
        f"{args.seconds:.0f} s per measure in {args.rounds} alternating rounds, "
        f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.2f}, tasks: {backend}"
    )
    reference = done = 0
    ref_time = act_time = 0.0
    for _ in range(args.rounds):  # alternate, so that a change of load hits both measures
        n, t = run("insert", args.clients, args.seconds / args.rounds, places, users)
        reference, ref_time = reference + n, ref_time + t
        n, t = run("action", args.clients, args.seconds / args.rounds, places, users)
        done, act_time = done + n, act_time + t
    ref_rate, act_rate = reference / ref_time, done / act_time
    from langso.procedures.models import Dossier

    codes = Dossier.objects.filter(commune__in=[c for c, _ in places]).exclude(
        receipt_code__startswith="REF-"
    )
    assert codes.values("receipt_code").distinct().count() == done, "duplicate receipt codes"
    print(
        f"bare INSERT of the dossier row : {reference:6d} in {ref_time:5.1f} s = {ref_rate:8.1f} /s"
    )
    print(f"submit_dossier (full action)   : {done:6d} in {act_time:5.1f} s = {act_rate:8.1f} /s")
    ratio = act_rate / ref_rate
    print(f"ratio action / bare insert     : {ratio:.3f}   (goal >= {GOAL_RATIO})")
    print(f"receipt codes unique           : {done} distinct")
    queued = [queued_recomputes(commune) for commune, _ in places]
    if None in queued:
        print("recompute tasks queued         : (run in the submitting thread, none queued)")
    else:
        print(
            f"recompute tasks queued         : {max(queued):6d} at most per commune, "
            f"{sum(queued)} in all, for {done} dossiers (goal <= {GOAL_QUEUED} per commune)"
        )
    print(f"load average at the end        : {os.getloadavg()[0]:.2f} (machine shared)")


def queued_recomputes(commune) -> int | None:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    return sum(
        1
        for row in DBTaskResult.objects.ready().filter(task_path=RECOMPUTE_TASK)
        if row.args_kwargs["kwargs"].get("unit_id") == commune.pk
    )


if __name__ == "__main__":
    main()
