"""Dossier submissions per second on PostgreSQL with concurrent clients.

Each client is a thread with its own database connection calling the real action
`submit_dossier` (validation, receipt number under a row lock, deadline arithmetic, one PDF
attachment written to disk, history row, audit row). The reference is a bare INSERT of the
same dossier row with the same number of threads, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/langso_procedures_bench \
        /work/venv/bin/python bench/procedures_submit.py --clients 4 --seconds 10

The database is created if missing and migrated; its dossiers are deleted at the start.
"""

import argparse
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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 20_000


def setup():
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
    commune, _ = AdminUnit.objects.get_or_create(
        structure=Structure.Y2025,
        level=Level.COMMUNE,
        code="05641",
        defaults={
            "name": "Xã Vô Tranh",
            "short_name": "Vô Tranh",
            "unit_type": "Xã",
            "parent": province,
            "province_code": "19",
            "search_key": fold("Xã Vô Tranh"),
        },
    )
    load_catalogue(commune=commune)
    DossierEvent.objects.filter(dossier__commune=commune).delete()
    Dossier.objects.filter(commune=commune).delete()
    ReceiptSequence.objects.filter(commune=commune).delete()
    users = []
    for i in range(16):
        user, _ = User.objects.get_or_create(username=f"bench.resident{i}")
        RoleAssignment.objects.get_or_create(user=user, role=Role.RESIDENT, unit=commune)
        users.append(user)
    return commune, Procedure.objects.get(commune=commune, code="1.004873"), users


def run(kind: str, clients: int, seconds: float, procedure, commune, users) -> tuple[int, float]:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.db import connection

    assert connection.vendor == "postgresql", "this benchmark is for PostgreSQL"
    commune, procedure, users = setup()
    connection.close()
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"{args.clients} concurrent clients, {args.seconds:.0f} s per measure, "
        f"{os.cpu_count()} CPU cores"
    )
    reference, ref_time = run("insert", args.clients, args.seconds, procedure, commune, users)
    done, act_time = run("action", args.clients, args.seconds, procedure, commune, users)
    ref_rate, act_rate = reference / ref_time, done / act_time
    from langso.procedures.models import Dossier

    codes = Dossier.objects.filter(commune=commune).exclude(receipt_code__startswith="REF-")
    assert codes.values("receipt_code").distinct().count() == done, "duplicate receipt codes"
    print(
        f"bare INSERT of the dossier row : {reference:6d} in {ref_time:5.1f} s = {ref_rate:8.1f} /s"
    )
    print(f"submit_dossier (full action)   : {done:6d} in {act_time:5.1f} s = {act_rate:8.1f} /s")
    print(f"ratio action / bare insert     : {act_rate / ref_rate:.3f}")
    print(f"receipt codes unique           : {done} distinct")


if __name__ == "__main__":
    main()
