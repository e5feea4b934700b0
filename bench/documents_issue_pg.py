"""Benchmark: documents issued (rendered, signed PAdES B-T, stored, registered) per second
with concurrent clients, on the configured database (meant for PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/langso_documents_bench \\
        /work/venv/bin/python bench/documents_issue_pg.py --clients 4 --per-client 10

Creates the database tables if needed (migrate), one commune and one official.
Issuing is serialised per commune by the lock that numbers references, so clients of one
commune mostly queue; --communes spreads them over several communes.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("LANGSO_VAR_DIR", tempfile.mkdtemp(prefix="langso-bench-var-"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--communes", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from langso.core.text import fold
    from langso.documents.actions import issue_document
    from langso.documents.models import Document
    from langso.people.models import Role, RoleAssignment, User
    from langso.places.models import AdminUnit, Level, Structure

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
    work = []
    for i in range(args.communes):
        code = f"9{i:04d}"
        commune, _ = AdminUnit.objects.get_or_create(
            structure=Structure.Y2025,
            level=Level.COMMUNE,
            code=code,
            defaults={
                "name": f"Xã Thử {i}",
                "short_name": f"Thử {i}",
                "unit_type": "Xã",
                "parent": province,
                "province_code": "19",
                "search_key": fold("Xã Thử"),
            },
        )
        user, created = User.objects.get_or_create(
            username=f"bench.{code}", defaults={"last_name": "Nguyễn Văn", "first_name": "Bình"}
        )
        if created:
            RoleAssignment.objects.create(user=user, role=Role.COMMUNE_OFFICIAL, unit=commune)
        work.append((commune, user))
    # Warm up: the demo PKI and fonts.
    issue_document(actor=work[0][1], commune=work[0][0], title="warm-up", paragraphs=["x"])
    before = Document.objects.count()
    errors: list[str] = []

    def client(n: int) -> None:
        commune, user = work[n % len(work)]
        try:
            for j in range(args.per_client):
                issue_document(
                    actor=user,
                    commune=commune,
                    title=f"Giấy xác nhận {n}-{j}",
                    paragraphs=["Ủy ban nhân dân xã xác nhận ..."] * 4,
                    kind="certificate",
                    recipient="Ông Nguyễn Văn An",
                )
        except Exception as exc:  # report, do not hide
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    made = Document.objects.count() - before
    refs = Document.objects.values_list("commune_id", "reference")
    duplicates = len(refs) - len(set(refs))
    print(
        f"database: {connection.vendor}; clients {args.clients} (threads), communes {args.communes}"
    )
    print(
        f"issued {made} documents in {elapsed:.2f} s = {made / elapsed:.1f} documents/s; "
        f"errors {len(errors)}; duplicate references {duplicates}"
    )
    for e in errors[:3]:
        print("  error:", e)


if __name__ == "__main__":
    main()
