"""Fault: the population import is killed (kill -9) half-way through.

Expected: nothing half-written (the commune's household and resident counts are what they
were before), and a re-run imports every row once (counts grow by exactly the file's).

    .venv/bin/python bench/faults/import_killed.py [--rows 60000]

Uses `langso import_households FILE --commune 05641` on `langso_load` (production settings);
the file is generated like bench/people_import.py's (households BENCH-*), which are removed
at the end so the script can run again.
"""

import argparse
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from common import BIN, ROOT, django_for, ensure_demo, env_for, verdict, wait_until


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    env = env_for()
    django_for(env)
    ensure_demo(env)
    import people_import
    from django.db import connection

    from langso.people.models import Household, Resident

    commune = people_import.bench_commune("05641")  # adds the hamlet of the generated rows
    people_import.cleanup(commune)  # a previous interrupted run of this script

    def counts():
        return (
            Household.objects.filter(commune=commune).count(),
            Resident.objects.filter(household__commune=commune).count(),
        )

    rows = people_import.generate(args.rows, seed=9)
    path = people_import.write_file(rows, "csv", Path(tempfile.mkdtemp(prefix="langso-fault-")))
    households_in_file = len({r[0] for r in rows})
    before = counts()
    print(
        f"file: {args.rows} residents in {households_in_file} households; commune before: "
        f"{before[0]} households, {before[1]} residents",
        flush=True,
    )
    command = [str(BIN / "langso"), "import_households", str(path), "--commune", "05641"]

    def writing() -> bool:  # the import's transaction has written rows (it has an xid)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'langso-fault-import'"
                " AND backend_xid IS NOT NULL"
            )
            return cur.fetchone()[0] > 0

    started = time.monotonic()
    proc = subprocess.Popen(  # noqa: S603
        command,
        env=dict(env, PGAPPNAME="langso-fault-import"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    caught = wait_until(writing, 600, step=0.05)
    time.sleep(0.5)  # inside the inserts
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    print(
        f"kill -9 after {time.monotonic() - started:.1f} s "
        f"({'while inserting residents' if caught else 'insert not seen'})",
        flush=True,
    )
    wait_until(lambda: not writing(), 30)
    output = proc.stdout.read().decode(errors="replace").strip()
    if output:
        print("import output before the kill:", output[-300:])
    after_kill = counts()
    print(f"after the kill: {after_kill[0]} households, {after_kill[1]} residents", flush=True)

    started = time.monotonic()
    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    print(
        f"re-run ({time.monotonic() - started:.1f} s): "
        f"{(rerun.stdout or rerun.stderr).strip().splitlines()[-1]}",
        flush=True,
    )
    after_rerun = counts()
    print(
        f"after the re-run: {after_rerun[0]} households (+{after_rerun[0] - before[0]}), "
        f"{after_rerun[1]} residents (+{after_rerun[1] - before[1]})",
        flush=True,
    )
    people_import.cleanup(commune)
    verdict(
        caught
        and after_kill == before
        and rerun.returncode == 0
        and after_rerun == (before[0] + households_in_file, before[1] + args.rows)
    )


if __name__ == "__main__":
    main()
